import { randomUUID } from 'node:crypto';
import type { Carrier, OutboundMessage, ReceiptListener, SubmitResult } from './carrier.js';

/**
 * A stand-in carrier inside the process: accepts every submit and reports DELIVRD after
 * `dlrDelayMs`. To be retired when the SMPP carrier and its simulator replace it.
 */
export class InProcessCarrier implements Carrier {
  private onReceipt: ReceiptListener | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly dlrDelayMs: number) {}

  async start(onReceipt: ReceiptListener): Promise<void> {
    this.onReceipt = onReceipt;
  }

  capacity(): number {
    return this.onReceipt ? 1000 : 0;
  }

  async submit(_message: OutboundMessage): Promise<SubmitResult> {
    const id = randomUUID();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.onReceipt?.({ carrierMessageId: id, state: 'DELIVRD', errorCode: '0' });
    }, this.dlrDelayMs);
    this.timers.add(timer);
    return { carrierMessageIds: [id] };
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.onReceipt = undefined;
  }
}
