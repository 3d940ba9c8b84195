import { GatewayError } from './errors.js';

const CLIENT_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Client ids are chosen by the operator: 1-64 letters, digits, _ . : - */
export function validateClientId(clientId: string): void {
  if (!CLIENT_ID.test(clientId)) {
    throw new GatewayError('INVALID_REQUEST', `client_id "${clientId.slice(0, 80)}" must be 1-64 characters of letters, digits, _ . : -`);
  }
}
