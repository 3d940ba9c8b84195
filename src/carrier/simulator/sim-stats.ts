/**
 * What the simulator received, for tests and for `smsgate simulator` users checking their
 * integration: submits per destination, reassembled messages, and the largest number of
 * unanswered submits any one session had (to check a client's window). Lists keep only the
 * latest entries so a long-running embedded simulator does not grow without bound.
 */
export interface ReceivedMessage {
  /** destination_addr as sent (no "+"). */
  readonly destination: string;
  readonly text: string;
  readonly parts: number;
  readonly dataCoding: number;
  readonly messageIds: readonly string[];
}

const KEEP = 10_000;

interface PartIn {
  readonly source: string;
  readonly destination: string;
  readonly text: string;
  readonly dataCoding: number;
  readonly messageId: string;
  /** From the concatenation IE; undefined for a single-part message. */
  readonly concat?: { readonly ref: number; readonly total: number; readonly seq: number };
}

export class SimulatorStats {
  readonly submitsByDestination = new Map<string, number>();
  readonly messages: ReceivedMessage[] = [];
  maxOutstandingPerSession = 0;
  /** Receipts the simulator chose not to send (SimulatorOptions.dropReceipts). */
  receiptsDropped = 0;
  /** query_sm requests received, however they were answered. */
  queries = 0;
  private readonly partial = new Map<string, Map<number, PartIn>>();

  /** Counts a submit_sm and returns its 1-based attempt number for the destination. */
  countSubmit(destination: string): number {
    const n = (this.submitsByDestination.get(destination) ?? 0) + 1;
    this.submitsByDestination.delete(destination); // re-insert: the map stays in recency order
    this.submitsByDestination.set(destination, n);
    if (this.submitsByDestination.size > KEEP) this.submitsByDestination.delete(this.submitsByDestination.keys().next().value!);
    return n;
  }

  noteOutstanding(n: number): void {
    this.maxOutstandingPerSession = Math.max(this.maxOutstandingPerSession, n);
  }

  /** Records an accepted part; a concatenated message is recorded once all its parts arrived. */
  addPart(part: PartIn): void {
    if (!part.concat) {
      this.push({ destination: part.destination, text: part.text, parts: 1, dataCoding: part.dataCoding, messageIds: [part.messageId] });
      return;
    }
    const key = `${part.source}|${part.destination}|${part.concat.ref}|${part.concat.total}`;
    const parts = this.partial.get(key) ?? new Map<number, PartIn>();
    parts.set(part.concat.seq, part);
    this.partial.set(key, parts);
    if (parts.size < part.concat.total) return;
    this.partial.delete(key);
    const ordered = [...parts.values()].sort((a, b) => a.concat!.seq - b.concat!.seq);
    this.push({
      destination: part.destination,
      text: ordered.map((p) => p.text).join(''),
      parts: ordered.length,
      dataCoding: part.dataCoding,
      messageIds: ordered.map((p) => p.messageId),
    });
  }

  private push(message: ReceivedMessage): void {
    this.messages.push(message);
    if (this.messages.length > KEEP) this.messages.shift();
    if (this.partial.size > KEEP) this.partial.delete(this.partial.keys().next().value!);
  }
}

/** The concatenation IE (8- or 16-bit reference) from the UDH list the smpp package decoded. */
export function concatInfo(udh: unknown): PartIn['concat'] {
  if (!Array.isArray(udh)) return undefined;
  for (const ie of udh as Buffer[]) {
    if (ie[0] === 0x00 && ie.length >= 5) return { ref: ie[2]!, total: ie[3]!, seq: ie[4]! };
    if (ie[0] === 0x08 && ie.length >= 6) return { ref: ie.readUInt16BE(2), total: ie[4]!, seq: ie[5]! };
  }
  return undefined;
}
