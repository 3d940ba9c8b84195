/** What the phases ask of a load generator, whichever one runs it. */
export interface SendBody {
  readonly kind: 'send';
  readonly clientId: string;
  readonly passcode: string;
  readonly templetId: string;
  /** First 8-digit suffix of +86138xxxxxxxx this run may use; see numbersUsed(). */
  readonly numberOffset: number;
}

export interface QueryBody {
  readonly kind: 'query';
  readonly clientId: string;
  readonly passcode: string;
  /** A file of sms_uids, one per line. */
  readonly uidsFile: string;
}

export interface LoadSpec {
  readonly url: string;
  readonly body: SendBody | QueryBody;
  readonly connections: number;
  readonly durationS: number;
  /** Pause in ms between a response and the next request on each connection (pacing); 0 = none. */
  readonly delayMs?: number;
}

export interface LoadResult {
  /** Completed responses. */
  readonly requests: number;
  /** Responses with status < 400. */
  readonly ok: number;
  /** Socket errors and timeouts. */
  readonly socketErrors: number;
  readonly durationS: number;
  /** [percentile 0..100, latency ms], ascending. */
  readonly quantiles: readonly (readonly [number, number])[];
  readonly maxMs: number;
}

export interface LoadGenerator {
  readonly name: string;
  run(spec: LoadSpec): Promise<LoadResult>;
  /** How many numbers from numberOffset a run of this spec may have used. */
  numbersUsed(spec: LoadSpec): number;
}

export const PERCENTILES = [0, 1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 97.5, 99, 99.5, 99.9, 99.99, 100] as const;

/** The phone number for an 8-digit index: +86138 followed by it (China Mobile, valid). */
export const phoneNumber = (index: number) => `+86138${String(index % 100_000_000).padStart(8, '0')}`;
