/**
 * Long messages some of whose parts the SMSC accepted while another got a retry answer
 * (throttled, timed out, no bind). When the dispatcher tries such a message again, only the parts
 * still missing are sent, under the same concatenation reference, so the handset gets every part
 * once and can join them. Kept in this process only: a retry that another dispatcher claims, or
 * one after a restart, sends the whole message again (docs/carriers.md, duplicates).
 */
export interface PartialSubmit {
  /** The concatenation reference the accepted parts carried. */
  readonly reference: number;
  readonly connection: string;
  /** By part, the SMSC's message id; undefined where the part is still to be sent. */
  readonly ids: readonly (string | undefined)[];
  /** The message's expiry: a retry after it will not come. */
  readonly expiresAt: number;
}

export class PartialSubmits {
  /** In insertion order, so the oldest go first when the cap is reached. */
  private readonly entries = new Map<string, PartialSubmit>();

  constructor(private readonly maxEntries = 10_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** The earlier attempt of this message, removed: the caller keeps it again if still partial. */
  take(smsUid: string): PartialSubmit | undefined {
    const entry = this.entries.get(smsUid);
    this.entries.delete(smsUid);
    return entry;
  }

  keep(smsUid: string, entry: PartialSubmit, now: number): void {
    for (const [uid, e] of this.entries) if (e.expiresAt <= now) this.entries.delete(uid);
    this.entries.set(smsUid, entry);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
