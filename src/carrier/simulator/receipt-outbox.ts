import type { PDU, Session } from 'smpp';
import { corkUntilNextTick } from '../smpp/cork.js';

/** A session the simulator may send receipts on: bound as receiver or transceiver. */
export interface ReceiverSession {
  readonly session: Session;
  readonly systemId: string;
}

interface Pending {
  readonly systemId: string;
  readonly fields: Record<string, unknown>;
  /** Called once the ESME acknowledged the receipt with status 0. */
  readonly onAcked?: () => void;
}

const REDELIVER_MS = 200;

/**
 * Store-and-forward of delivery receipts, as an SMSC does: a receipt waits until a receiving
 * session of its system_id is bound, and is sent again when it was refused (non-zero
 * deliver_sm_resp) or its session closed before answering.
 */
export class ReceiptOutbox {
  private readonly waiting: Pending[] = [];
  private readonly unanswered = new Map<Session, Set<Pending>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private turn = 0;

  constructor(private readonly receivers: () => readonly ReceiverSession[]) {}

  send(systemId: string, fields: Record<string, unknown>, onAcked?: () => void): void {
    this.waiting.push({ systemId, fields, onAcked });
    this.flush();
  }

  /** Sends what is waiting to the bound receivers; call when one binds. */
  flush(): void {
    const receivers = this.receivers();
    for (let i = 0; i < this.waiting.length; ) {
      const item = this.waiting[i]!;
      const mine = receivers.filter((r) => r.systemId === item.systemId);
      if (mine.length === 0) {
        i += 1;
        continue;
      }
      this.waiting.splice(i, 1);
      this.turn = (this.turn + 1) % mine.length;
      this.deliver(mine[this.turn]!.session, item);
    }
  }

  /** The session closed: receipts it never answered go out again. */
  sessionClosed(session: Session): void {
    const lost = this.unanswered.get(session);
    this.unanswered.delete(session);
    if (lost) for (const item of lost) this.retryLater(item);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private deliver(session: Session, item: Pending): void {
    const open = this.unanswered.get(session) ?? new Set<Pending>();
    this.unanswered.set(session, open);
    open.add(item);
    corkUntilNextTick(session.socket);
    const sent = session.deliver_sm({ ...item.fields }, (resp: PDU) => {
      open.delete(item);
      if (resp.command_status === 0) item.onAcked?.();
      else this.retryLater(item);
    });
    if (!sent) {
      open.delete(item);
      this.retryLater(item);
    }
  }

  private retryLater(item: Pending): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.waiting.push(item);
      this.flush();
    }, REDELIVER_MS);
    this.timers.add(timer);
  }
}
