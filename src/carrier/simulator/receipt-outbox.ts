import type { PDU, Session } from 'smpp';
import { corkUntilNextTick } from '../smpp/cork.js';
import { nextSequence } from '../smpp/frame-reader.js';
import { CMD, encodeSm, type SmFields } from '../smpp/pdu-codec.js';

/** A session the simulator may send receipts on: bound as receiver or transceiver. */
export interface ReceiverSession {
  readonly session: Session;
  readonly systemId: string;
}

interface Pending {
  readonly systemId: string;
  readonly fields: SmFields;
  /** Called once the ESME acknowledged the receipt with status 0. */
  readonly onAcked?: () => void;
}

const REDELIVER_MS = 200;

/**
 * Store-and-forward of delivery receipts, as an SMSC does: a receipt waits until a receiving
 * session of its system_id is bound, and is sent again when it was refused (non-zero
 * deliver_sm_resp) or its session closed before answering. Receipts sent in one event-loop
 * turn leave in one write (corked); their responses are matched by sequence number.
 */
export class ReceiptOutbox {
  private readonly waiting: Pending[] = [];
  private readonly unanswered = new Map<Session, Map<number, Pending>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private turn = 0;

  constructor(private readonly receivers: () => readonly ReceiverSession[]) {}

  send(systemId: string, fields: SmFields, onAcked?: () => void): void {
    this.waiting.push({ systemId, fields, onAcked });
    this.flush();
  }

  /** Sends what is waiting to the bound receivers; call when one binds. */
  flush(): void {
    if (this.waiting.length === 0) return;
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

  /** A deliver_sm_resp arrived on `session`. */
  answered(session: Session, resp: PDU): void {
    const open = this.unanswered.get(session);
    const item = open?.get(resp.sequence_number);
    if (!item) return;
    open!.delete(resp.sequence_number);
    if (resp.command_status === 0) item.onAcked?.();
    else this.retryLater(item);
  }

  /** The session closed: receipts it never answered go out again. */
  sessionClosed(session: Session): void {
    const lost = this.unanswered.get(session);
    this.unanswered.delete(session);
    if (lost) for (const item of lost.values()) this.retryLater(item);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private deliver(session: Session, item: Pending): void {
    const socket = session.socket;
    if (!socket.writable) {
      this.retryLater(item);
      return;
    }
    let open = this.unanswered.get(session);
    if (!open) {
      open = new Map();
      this.unanswered.set(session, open);
    }
    const sequence = nextSequence(session);
    open.set(sequence, item);
    corkUntilNextTick(socket);
    socket.write(encodeSm(CMD.deliver_sm, sequence, item.fields));
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
