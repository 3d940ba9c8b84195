/** How the SMSC answered one submit_sm: accepted, refused, busy (throttled) or not in time. */
export type SubmitOutcome = 'ok' | 'rejected' | 'throttled' | 'timeout';

/**
 * What a carrier tells whoever counts (metrics) about each connection, without knowing who that
 * is: the carrier never imports a metrics library. Called on the hot path: keep it to a count.
 */
export interface CarrierObserver {
  submitAnswered(connection: string, outcome: SubmitOutcome): void;
  receipt(connection: string): void;
}

export const NO_CARRIER_OBSERVER: CarrierObserver = {
  submitAnswered: () => {},
  receipt: () => {},
};

/** One connection's submit window right now, over its bound binds that submit. */
export interface WindowUse {
  readonly connection: string;
  /** Submits given to its binds and not answered yet (queued in the bind or in flight). */
  readonly inUse: number;
  /** The window of every bound bind together. */
  readonly size: number;
}
