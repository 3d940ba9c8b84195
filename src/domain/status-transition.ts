import { isFinalStatus, type MessageStatus } from './message-status.js';

/**
 * One message moving from one status to the next, as a store made it happen. Stores return the
 * transitions of every write that changes a status, so that whoever needs to know ("message X
 * just became delivered": callbacks, metrics) hears it from one place.
 */
export interface StatusTransition {
  readonly smsUid: string;
  readonly clientId: string;
  readonly from: MessageStatus;
  readonly to: MessageStatus;
  /** "0", or the carrier's error code for a message in error. */
  readonly errorCode: string;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** The done_at a message takes with this transition: its time when the status is final. */
export function doneAtOf(transition: StatusTransition): number | null {
  return isFinalStatus(transition.to) ? transition.at : null;
}
