/** What one `smsgate serve` process does. */
export const ROLES = ['all', 'api', 'dispatcher'] as const;
export type Role = (typeof ROLES)[number];

export function servesHttp(role: Role): boolean {
  return role !== 'dispatcher';
}

export function dispatches(role: Role): boolean {
  return role !== 'api';
}
