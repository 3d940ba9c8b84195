/** The lifecycle of a message: it only moves forward, and a final status never changes. */
export const ERROR_STATUSES = ['error_rejected', 'error_undeliverable', 'error_expired', 'error_unknown'] as const;
export type ErrorStatus = (typeof ERROR_STATUSES)[number];
export type MessageStatus = 'queuing' | 'sent' | 'delivered' | ErrorStatus;
export const MESSAGE_STATUSES: readonly MessageStatus[] = ['queuing', 'sent', 'delivered', ...ERROR_STATUSES];

export function isFinalStatus(status: MessageStatus): boolean {
  return status !== 'queuing' && status !== 'sent';
}

function rank(status: MessageStatus): number {
  if (status === 'queuing') return 0;
  if (status === 'sent') return 1;
  return 2;
}

/** True when a message in `from` may move to `to`: strictly forward, never out of a final status. */
export function canTransition(from: MessageStatus, to: MessageStatus): boolean {
  return rank(to) > rank(from);
}
