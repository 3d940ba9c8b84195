import { GatewayError } from './errors.js';
import type { SendTimes } from './time-log.js';

/** "at most `limit` accepted sends in any `ms`", as an operator wrote it (`5/1h`). */
export interface SendWindow {
  readonly limit: number;
  readonly ms: number;
  /** As written, normalised (`5/1h`): what a refusal names. */
  readonly label: string;
}

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };
const LONGEST_MS = 86_400_000;
const WINDOW_FORM = /^(\d{1,9})\/(\d{0,6})(s|m|min|h|d)$/;

/**
 * Reads one window: `<count>/<length><unit>`, unit s, m (or min), h or d; a missing length is 1
 * (`200/s`). At most one day long: a longer promise is a quota, not a window.
 */
export function parseSendWindow(text: string, what = 'a window'): SendWindow {
  const match = WINDOW_FORM.exec(text.trim().toLowerCase());
  const limit = match ? Number(match[1]) : 0;
  const length = match ? (match[2] === '' ? 1 : Number(match[2])) : 0;
  const ms = match ? length * UNIT_MS[match[3]!]! : 0;
  if (!match || limit < 1 || ms < 1 || ms > LONGEST_MS) {
    throw new GatewayError('INVALID_REQUEST', `${what} "${text}" is invalid: expected <count>/<length><unit> like 5/1h or 200/s (s, m, h, d; at most 1d)`);
  }
  return { limit, ms, label: `${limit}/${match[2] === '' ? '' : length}${match[3] === 'min' ? 'm' : match[3]}` };
}

/** A comma-separated list of windows (`1/60s,5/1h,10/24h`); `none` or empty: no window. */
export function parseSendWindows(text: string, what = 'a window list'): SendWindow[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return [];
  return trimmed.split(',').map((part) => parseSendWindow(part, what));
}

/** The most accepted sends any of `windows` lets through together: how many past ones to keep. */
export function longestLog(windows: readonly SendWindow[]): number {
  return windows.reduce((most, w) => Math.max(most, w.limit), 0);
}

/** What holds a send back: the window that frees last, and how long until every one allows. */
export interface WindowWait {
  readonly waitMs: number;
  readonly window: SendWindow | undefined;
}

const NO_WAIT: WindowWait = Object.freeze({ waitMs: 0, window: undefined });

/**
 * A sliding log, exact at the edges: a send at `at` counts in a window of length W until (not
 * at) `at + W`. `accepted` holds the times of accepted sends; only the last
 * longestLog(windows) of them matter. A window of limit n refuses while the n-th most recent send
 * is still inside it, and frees when that one leaves.
 */
export function windowsWait(accepted: SendTimes | undefined, windows: readonly SendWindow[], now: number): WindowWait {
  let wait = NO_WAIT;
  if (!accepted) return wait;
  for (const window of windows) {
    if (accepted.length < window.limit) continue;
    const waitMs = accepted.newest(window.limit) + window.ms - now;
    if (waitMs > wait.waitMs) wait = { waitMs, window };
  }
  return wait;
}

/** Whole seconds a caller waits before `waitMs` has passed: what Retry-After says (at least 1). */
export function retryAfterSeconds(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

const DAY_MS = 86_400_000;

/** The UTC day `now` falls in (days since the epoch): daily quotas reset at 00:00 UTC. */
export function utcDay(now: number): number {
  return Math.floor(now / DAY_MS);
}

/** Ms from `now` to the next 00:00 UTC. */
export function msUntilUtcMidnight(now: number): number {
  return (utcDay(now) + 1) * DAY_MS - now;
}
