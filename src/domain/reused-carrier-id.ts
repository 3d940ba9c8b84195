/** A stored part whose carrier id is one of a receipt's candidate spellings. */
export interface PartMatch {
  readonly carrierMessageId: string;
  readonly smsUid: string;
  readonly partNo: number;
  /** Its message has reached a final status. */
  readonly final: boolean;
  readonly sentAt: number | null;
}

/**
 * Which part a receipt is for, among the parts holding its id. Which id an all-digit receipt id
 * means (which reading) is decided per connection by receipt-id-style.ts: the dispatcher passes
 * the store that one id. This rule is what is left once the id is known: carriers reuse ids
 * (counters wrap, SMSCs restart), so one id may name parts of several messages. Among messages
 * holding it, one not final before a final one (a receipt can still change it), and among those
 * the newest submit (then the newest sms_uid, a time-ordered UUIDv7). Given several spellings
 * (a receipt kept before its submit was recorded), the closest spelling wins first (candidates
 * come in order, see carrier-id.ts).
 */
export function chooseReceiptPart<T extends PartMatch>(candidates: readonly string[], matches: readonly T[]): T | undefined {
  let best: T | undefined;
  let bestKey: readonly [number, number, number] | undefined;
  for (const match of matches) {
    const spelling = candidates.indexOf(match.carrierMessageId);
    if (spelling < 0) continue;
    const key = [spelling, match.final ? 1 : 0, -(match.sentAt ?? Number.NEGATIVE_INFINITY)] as const;
    if (!best || !bestKey || isBefore(key, bestKey) || (sameKey(key, bestKey) && match.smsUid > best.smsUid)) {
      best = match;
      bestKey = key;
    }
  }
  return best;
}

function isBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

function sameKey(a: readonly number[], b: readonly number[]): boolean {
  return a.every((value, i) => value === b[i]);
}
