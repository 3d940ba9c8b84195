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
}

export interface SubmitResult {
  /** One id per part, in part order (a long text is sent as concatenated parts). */
  readonly carrierMessageIds: readonly string[];
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
}

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
  stop(): Promise<void>;
}
