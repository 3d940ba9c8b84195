/**
 * Fixed test numbers: how the simulator treats a destination, so an integration can be tested
 * against every answer an SMSC gives (docs/simulator.md). They are NANP 555-01NN numbers, which
 * are reserved for fiction and never reach a subscriber, yet pass phone-number validation.
 */
export type Behaviour =
  | 'deliver' // submit_sm_resp, then a DELIVRD receipt after the receipt delay
  | 'throttle_once' // ESME_RTHROTTLED to the 1st, 3rd, ... submit to the number; accepts the others
  | 'queue_full_once' // ESME_RMSGQFUL likewise
  | 'reject' // ESME_RINVDSTADR (11) to every submit
  | 'undeliverable' // receipt UNDELIV
  | 'expired' // receipt EXPIRED
  | 'rejected' // receipt REJECTD
  | 'unknown' // receipt UNKNOWN
  | 'drop_once' // closes the connection unanswered on the 1st, 3rd, ... submit; accepts the others
  | 'never_answer' // never sends the submit_sm_resp
  | 'hold' // accepted, no receipt until its validity_period runs out, then EXPIRED
  | 'receipt_first' // the DELIVRD receipt goes out (and is acknowledged) before the submit_sm_resp
  | 'decimal_receipt'; // submit_sm_resp id in hex, the receipt's id in decimal

/** Last two digits of +1 NPA 555 01NN -> behaviour (any area code). */
export const TEST_NUMBERS: Readonly<Record<string, Behaviour>> = {
  '00': 'deliver',
  '01': 'throttle_once',
  '02': 'queue_full_once',
  '03': 'reject',
  '04': 'undeliverable',
  '05': 'expired',
  '06': 'rejected',
  '07': 'drop_once',
  '08': 'never_answer',
  '09': 'hold',
  '10': 'receipt_first',
  '11': 'decimal_receipt',
  '12': 'unknown',
};

const TEST_NUMBER = /^\+?1[2-9][0-9]{2}55501([0-9]{2})$/;

/**
 * The behaviour for a destination_addr (digits, "+" optional). `overrides` (full numbers in
 * the same form as destination_addr) come first; anything else is delivered.
 */
export function behaviourFor(destination: string, overrides: Readonly<Record<string, Behaviour>> = {}): Behaviour {
  const own = overrides[destination] ?? overrides[destination.replace(/^\+/, '')];
  if (own) return own;
  const nn = TEST_NUMBER.exec(destination)?.[1];
  return (nn !== undefined ? TEST_NUMBERS[nn] : undefined) ?? 'deliver';
}

/** Behaviours that alternate: they act on odd-numbered submits to the number only. */
export function actsOnAttempt(behaviour: Behaviour, attempt: number): boolean {
  const alternating = behaviour === 'throttle_once' || behaviour === 'queue_full_once' || behaviour === 'drop_once';
  return !alternating || attempt % 2 === 1;
}

/** The receipt `stat:` a behaviour ends in, or undefined when no receipt comes on a timer. */
export function receiptState(behaviour: Behaviour): string | undefined {
  switch (behaviour) {
    case 'undeliverable':
      return 'UNDELIV';
    case 'expired':
      return 'EXPIRED';
    case 'rejected':
      return 'REJECTD';
    case 'unknown':
      return 'UNKNOWN';
    case 'hold':
    case 'never_answer':
    case 'reject':
      return undefined;
    default:
      return 'DELIVRD';
  }
}
