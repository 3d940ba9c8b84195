import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallbackSignature } from '../../src/callbacks/signature.js';

export interface ReceivedEvent {
  readonly event_id: string;
  readonly sms_uid: string;
  readonly client_id: string;
  readonly status: string;
  readonly error_code: string;
  readonly phone_number: string;
  readonly templet_id: string;
  readonly parts: number;
  readonly sequence: number;
  readonly occurred_at: string;
}

/** What the receiver does with a request: answer this status, or never answer. */
export type Answer = number | 'hang';

/**
 * A real HTTP callback receiver on a random loopback port. It checks each request's signature
 * with the secret of the client its events name, keeps every event of every request it
 * acknowledged (duplicates included), and counts the rest.
 */
export class TestReceiver {
  readonly accepted: ReceivedEvent[] = [];
  readonly requests: { at: number; events: number; answer: Answer }[] = [];
  badSignatures = 0;
  answer: (request: IncomingMessage) => Answer = () => 204;
  private readonly secrets = new Map<string, string>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  secretFor(clientId: string, secret: string): void {
    this.secrets.set(clientId, secret);
  }

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => this.handle(req, res, body));
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
    this.server = undefined;
  }

  /** Events acknowledged, one per event_id. */
  unique(): Map<string, ReceivedEvent> {
    return new Map(this.accepted.map((e) => [e.event_id, e]));
  }

  /** event_id -> times acknowledged, for those acknowledged more than once. */
  duplicates(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const e of this.accepted) counts.set(e.event_id, (counts.get(e.event_id) ?? 0) + 1);
    return new Map([...counts].filter(([, n]) => n > 1));
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const answer = this.answer(req);
    const events = (JSON.parse(body) as { events: ReceivedEvent[] }).events;
    this.requests.push({ at: Date.now(), events: events.length, answer });
    if (answer === 'hang') {
      this.hanging.add(res);
      return;
    }
    const secret = this.secrets.get(events[0]!.client_id) ?? '';
    if (!verifyCallbackSignature(secret, body, String(req.headers['smsgate-signature']), Date.now())) {
      this.badSignatures += 1;
      res.writeHead(401).end();
      return;
    }
    if (answer >= 200 && answer < 300) this.accepted.push(...events);
    res.writeHead(answer).end();
  }
}
