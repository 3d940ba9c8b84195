import { GatewayError } from './errors.js';

/** A blocked number or prefix, everywhere (clientId null) or for one client's sends. */
export interface BlockedEntry {
  /** `+` and digits: an E.164 number, or the start of numbers (`+88213`). */
  readonly entry: string;
  readonly clientId: string | null;
}

const ENTRY_FORM = /^\+\d{1,15}$/;

/** An entry as stored: `+` and 1 to 15 digits (callers normalise a number to E.164 first). */
export function validateBlockedPrefix(entry: string): string {
  if (!ENTRY_FORM.test(entry)) {
    throw new GatewayError('INVALID_REQUEST', `blocklist entry "${entry.slice(0, 32)}" is invalid: expected a phone number or a prefix like +88213`);
  }
  return entry;
}

/** The entries of one scope (everyone, or one client): the prefixes and which lengths occur. */
class PrefixSet {
  readonly entries = new Set<string>();
  /** Only lengths some entry has are tried: a number is looked up a few times, not 15. */
  lengths: number[] = [];

  add(entry: string): void {
    this.entries.add(entry);
    if (!this.lengths.includes(entry.length)) this.lengths = [...this.lengths, entry.length].sort((a, b) => a - b);
  }

  /** The entry `number` starts with, if any. */
  match(number: string): string | undefined {
    for (const length of this.lengths) {
      if (length > number.length) break;
      const prefix = length === number.length ? number : number.slice(0, length);
      if (this.entries.has(prefix)) return prefix;
    }
    return undefined;
  }
}

/**
 * The blocklist in memory, for the send path: a number is checked with one Set lookup per
 * distinct entry length (numbers and a few prefix lengths), whatever the number of entries.
 */
export class Blocklist {
  private readonly everyone = new PrefixSet();
  private readonly byClient = new Map<string, PrefixSet>();

  constructor(entries: Iterable<BlockedEntry>) {
    for (const { entry, clientId } of entries) {
      if (clientId === null) {
        this.everyone.add(entry);
        continue;
      }
      let scope = this.byClient.get(clientId);
      if (!scope) this.byClient.set(clientId, (scope = new PrefixSet()));
      scope.add(entry);
    }
  }

  /** The entry that blocks `e164` for `clientId`, if any. */
  blocking(e164: string, clientId: string): BlockedEntry | undefined {
    const global = this.everyone.match(e164);
    if (global !== undefined) return { entry: global, clientId: null };
    const own = this.byClient.get(clientId)?.match(e164);
    return own === undefined ? undefined : { entry: own, clientId };
  }
}
