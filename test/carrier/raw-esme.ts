import smpp, { type PDU, type Session } from 'smpp';

/**
 * A bare ESME written with the `smpp` package, for tests of the simulator itself: it binds as a
 * transceiver, submits, queries, and acknowledges and records every deliver_sm it gets.
 */
export class RawEsme {
  readonly receipts: PDU[] = [];

  private constructor(private readonly session: Session) {
    session.on('error', () => undefined);
    session.on('deliver_sm', (pdu: PDU) => {
      this.receipts.push(pdu);
      session.send(pdu.response());
    });
  }

  static async bind(port: number): Promise<RawEsme> {
    const session = smpp.connect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve) => session.once('connect', () => resolve()));
    session.socket.setNoDelay(true);
    const esme = new RawEsme(session);
    const resp = await esme.request(() => new smpp.PDU('bind_transceiver', { system_id: 'smsgate', password: 'smsgate' }));
    if (resp.command_status !== 0) throw new Error(`bind refused: ${resp.command_status}`);
    return esme;
  }

  /** Submits to `destination` asking for a receipt; resolves with the submit_sm_resp's message_id. */
  async submit(destination: string, text = 'hello'): Promise<string> {
    const resp = await this.request(
      () => new smpp.PDU('submit_sm', { source_addr: 'smsgate', destination_addr: destination, short_message: text, registered_delivery: 1 }),
    );
    if (resp.command_status !== 0) throw new Error(`submit refused: ${resp.command_status}`);
    return String(resp.message_id);
  }

  /** Sends query_sm for `messageId`; resolves with whatever PDU answers it (query_sm_resp or generic_nack). */
  query(messageId: string): Promise<PDU> {
    return this.request(() => new smpp.PDU('query_sm', { message_id: messageId, source_addr: 'smsgate' }));
  }

  /** The receipt whose source_addr (the submit's destination) is `destination`. */
  receiptFrom(destination: string): PDU | undefined {
    return this.receipts.find((r) => r.source_addr === destination);
  }

  close(): void {
    this.session.destroy();
  }

  private request(make: () => PDU): Promise<PDU> {
    return new Promise((resolve) => this.session.send(make(), resolve));
  }
}
