import smpp, { type PDU, type Server, type Session } from 'smpp';
import type { AddressInfo } from 'node:net';

export interface SubmitContext {
  readonly pdu: PDU;
  readonly session: Session;
  /** Sends the submit_sm_resp (counts it answered). */
  respond(fields: Record<string, unknown>): void;
}

/**
 * A deliberately small SMSC written with smpp.createServer, independent of our simulator, so the
 * carrier is also tested against code that shares none of its assumptions. Each test decides
 * how submits are answered; the server records what it saw.
 */
export class MinimalSmsc {
  readonly submits: { at: number; session: Session; pdu: PDU }[] = [];
  readonly sessions: Session[] = [];
  binds = 0;
  /** The command_status every bind is answered with: non-zero refuses it. */
  bindStatus = 0;
  readonly queries: { at: number; session: Session; pdu: PDU }[] = [];
  /** How query_sm is answered; unset, it is not answered at all. */
  onQuery: ((pdu: PDU, session: Session) => void) | undefined;
  maxOutstanding = 0;
  answerEnquireLink = true;
  onSubmit: (ctx: SubmitContext) => void = (ctx) => ctx.respond({ message_id: String(this.submits.length) });
  private readonly outstanding = new Map<Session, number>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<MinimalSmsc> {
    let smsc: MinimalSmsc | undefined;
    const server = smpp.createServer((session: Session) => smsc!.accept(session));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    smsc = new MinimalSmsc(server, (server.address() as AddressInfo).port);
    return smsc;
  }

  /** Sends a deliver_sm on the newest session; resolves with its deliver_sm_resp. */
  deliver(fields: Record<string, unknown>): Promise<PDU> {
    const session = this.sessions[this.sessions.length - 1]!;
    return new Promise((resolve) => session.deliver_sm(fields, resolve));
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.destroy();
    await closed;
  }

  private accept(session: Session): void {
    this.sessions.push(session);
    this.outstanding.set(session, 0);
    session.on('error', () => undefined);
    session.on('bind_transceiver', (pdu: PDU) => {
      this.binds += 1;
      session.send(pdu.response({ command_status: this.bindStatus }));
    });
    session.on('query_sm', (pdu: PDU) => {
      this.queries.push({ at: Date.now(), session, pdu });
      this.onQuery?.(pdu, session);
    });
    session.on('enquire_link', (pdu: PDU) => {
      if (this.answerEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => session.send(pdu.response(), () => session.close()));
    session.on('submit_sm', (pdu: PDU) => {
      this.submits.push({ at: Date.now(), session, pdu });
      const n = this.outstanding.get(session)! + 1;
      this.outstanding.set(session, n);
      this.maxOutstanding = Math.max(this.maxOutstanding, n);
      let answered = false;
      this.onSubmit({
        pdu,
        session,
        respond: (fields) => {
          if (answered) return;
          answered = true;
          this.outstanding.set(session, this.outstanding.get(session)! - 1);
          session.send(pdu.response(fields));
        },
      });
    });
  }
}
