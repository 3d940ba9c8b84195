import { normaliseCarrierId } from '../domain/carrier-id.js';

/**
 * The carrier ids of submits the SMSC has answered whose record in the store is still being
 * written. A receipt may arrive between the two; whoever reads the store for it waits for
 * these records first (settled), so it sees what the SMSC had already said.
 */
export class SubmitsBeingRecorded {
  private readonly writes = new Map<string, Promise<unknown>>();

  /** Keeps the ids while `write` runs; answers its result. */
  async record<T>(carrierIds: readonly string[], write: Promise<T>): Promise<T> {
    const ids = carrierIds.map(normaliseCarrierId);
    for (const id of ids) this.writes.set(id, write);
    try {
      return await write;
    } finally {
      for (const id of ids) if (this.writes.get(id) === write) this.writes.delete(id);
    }
  }

  /** Resolves once the records being written for any of these ids (normal form) are done. */
  async settled(carrierIds: readonly string[]): Promise<void> {
    const waiting = carrierIds.flatMap((id) => {
      const write = this.writes.get(id);
      return write ? [write] : [];
    });
    if (waiting.length > 0) await Promise.allSettled(waiting);
  }
}
