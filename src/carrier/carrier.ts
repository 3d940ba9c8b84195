import type { Sender } from '../domain/sender.js';

/**
 * The port every carrier implements (SMPP client, HTTP). Submits are asynchronous and answer
 * with the carrier's message ids; delivery receipts arrive later and separately.
 */
export interface OutboundMessage {
  readonly smsUid: string;
  /** E.164, with the leading + */
  readonly phoneNumber: string;
  readonly text: string;
  /** Epoch ms after which the carrier should give up (SMPP validity_period). */
  readonly expiresAt: number;
  /** The client's sender; absent: the connection's own source_addr. */
  readonly sender?: Sender;
}

export interface SubmitResult {
  /** One id per part, in part order (a long text is sent as concatenated parts). */
  readonly carrierMessageIds: readonly string[];
  /**
   * The connection (by its configured name) every part went over: a message is routed by its
   * destination, so all its parts take the same connection. Receipt id styles are per connection.
   */
  readonly connection: string;
}

/** Why a submit failed: `retry` leaves the message queued (throttling, timeouts, no bind up). */
export class CarrierSubmitError extends Error {
  constructor(
    readonly kind: 'retry' | 'permanent',
    /** The carrier's code, e.g. the SMPP command_status as a decimal string. */
    readonly carrierCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'CarrierSubmitError';
  }
}

export interface DeliveryReceipt {
  /** The id as the receipt gave it (receipted_message_id TLV, or the `id:` of its text). */
  readonly carrierMessageId: string;
  /** The receipt's `stat:`: DELIVRD, UNDELIV, EXPIRED, REJECTD, DELETED, UNKNOWN, ENROUTE, ACCEPTD. */
  readonly state: string;
  /** The receipt's `err:` field, "0" when absent. */
  readonly errorCode: string;
  /** The connection (by its configured name) whose bind the receipt arrived on. */
  readonly connection: string;
}

/** What to ask the SMSC about: a part's id as its submit_sm_resp gave it, and where it went. */
export interface MessageQuery {
  readonly carrierMessageId: string;
  /** The connection the part went over (SubmitResult.connection); absent: routed by phoneNumber. */
  readonly connection?: string;
  /** E.164, with the leading + */
  readonly phoneNumber: string;
}

/**
 * The SMSC's answer to a query, `state` named as in receipts (DELIVRD, UNDELIV, ENROUTE, ...).
 * `unsupported`: no bind of the connection takes queries (ask no more); `unknown`: the SMSC does
 * not know the id or named no state we know; `unavailable`: no answer now (no bind up, timeout,
 * throttled, stopping): ask again later.
 */
export type QueryAnswer = { readonly state: string; readonly errorCode: string } | 'unsupported' | 'unknown' | 'unavailable';

export type ReceiptListener = (receipt: DeliveryReceipt) => Promise<void>;

export interface Carrier {
  /**
   * Starts connecting; resolves without waiting for a bind to come up (messages wait as
   * `queuing` meanwhile). Receipts are given to `onReceipt`; the carrier acknowledges a receipt
   * to the SMSC only after the listener's promise has settled, so none is lost.
   */
  start(onReceipt: ReceiptListener): Promise<void>;
  /** How many more submits it would take right now without queuing them (window space). */
  capacity(): number;
  /** Rejects with CarrierSubmitError. */
  submit(message: OutboundMessage): Promise<SubmitResult>;
  /** Asks the SMSC for a message's state (SMPP query_sm), at a bounded rate per connection. Never rejects. */
  queryMessage(query: MessageQuery): Promise<QueryAnswer>;
  stop(): Promise<void>;
}
