import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackPoster } from '../../src/callbacks/callback-poster.js';
import { CALLBACK_ADDRESS_REFUSED, publicOnlyLookup } from '../../src/callbacks/callback-url-guard.js';

let server: Server;
let base = '';
const received: { path: string; headers: Record<string, unknown>; body: string }[] = [];
const routes: Record<string, (res: ServerResponse) => void> = {
  '/ok': (res) => res.writeHead(204).end(),
  '/created': (res) => res.writeHead(201).end('{"fine":true}'),
  '/fail': (res) => res.writeHead(500).end('no'),
  '/redirect': (res) => res.writeHead(302, { location: '/ok' }).end(),
  // Well over 64 KiB, and never ended: only a reader that stops at the limit gets past it.
  '/huge': (res) => {
    res.writeHead(200);
    res.write(Buffer.alloc(256 * 1024, 'x'));
  },
  '/silent': () => {},
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '';
      received.push({ path, headers: req.headers, body });
      (routes[path.split('?')[0]!] ?? ((r: ServerResponse) => r.writeHead(404).end()))(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function post(poster: CallbackPoster, path: string, timeoutMs = 5_000) {
  return poster.post({ url: new URL(`${base}${path}`), body: '{"events":[]}', headers: { 'Smsgate-Signature': 't=1,v1=00' }, signal: AbortSignal.timeout(timeoutMs) });
}

describe('the callback poster', () => {
  const poster = new CallbackPoster({ connections: 2, timeoutMs: 5_000 });
  afterAll(() => poster.close());

  it('POSTs the body as JSON with the signature header, path and query kept', async () => {
    expect(await post(poster, '/ok?token=1')).toEqual({ ok: true });
    const last = received.at(-1)!;
    expect(last.path).toBe('/ok?token=1');
    expect(last.headers['content-type']).toBe('application/json');
    expect(last.headers['smsgate-signature']).toBe('t=1,v1=00');
    expect(last.body).toBe('{"events":[]}');
  });

  it('takes any 2xx as an acknowledgement', async () => {
    expect(await post(poster, '/created')).toEqual({ ok: true });
  });

  it('takes anything else as a failure naming the status', async () => {
    expect(await post(poster, '/fail')).toEqual({ ok: false, reason: 'HTTP 500' });
    expect(await post(poster, '/nowhere')).toEqual({ ok: false, reason: 'HTTP 404' });
  });

  it('does not follow a redirect: a 3xx is a failure', async () => {
    const before = received.length;
    expect(await post(poster, '/redirect')).toEqual({ ok: false, reason: 'HTTP 302' });
    expect(received.slice(before).map((r) => r.path)).toEqual(['/redirect']);
  });

  it('reads an answer body no further than 64 KiB', async () => {
    // No timeout to end the read: a reader without the limit would wait for the endless body.
    const patient = new CallbackPoster({ connections: 1, timeoutMs: 600_000 });
    try {
      expect(await post(patient, '/huge', 600_000)).toEqual({ ok: true });
    } finally {
      await patient.close();
    }
  });

  it('gives up on a receiver that does not answer in time', async () => {
    expect(await post(poster, '/silent', 300)).toEqual({ ok: false, reason: 'timeout' });
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await poster.post({ url: new URL(`http://127.0.0.1:${port}/`), body: '{}', headers: {}, signal: AbortSignal.timeout(5_000) });
    expect(outcome).toEqual({ ok: false, reason: 'ECONNREFUSED' });
  });

  it('refuses to connect to a name that resolves to a private address at connect time (DNS rebinding)', async () => {
    // `localhost` stands for a name whose DNS answered a public address to the check before the
    // request and answers loopback now: the connection itself must be refused.
    const port = new URL(base).port;
    const unguarded = new CallbackPoster({ connections: 1, timeoutMs: 5_000 });
    const guarded = new CallbackPoster({ connections: 1, timeoutMs: 5_000, lookup: publicOnlyLookup });
    try {
      const reached = received.length;
      const signal = () => AbortSignal.timeout(5_000);
      expect(await unguarded.post({ url: new URL(`http://localhost:${port}/ok`), body: '{}', headers: {}, signal: signal() })).toEqual({ ok: true });
      expect(received.length).toBe(reached + 1);
      expect(await guarded.post({ url: new URL(`http://localhost:${port}/ok`), body: '{}', headers: {}, signal: signal() })).toEqual({
        ok: false,
        reason: CALLBACK_ADDRESS_REFUSED,
      });
      expect(received.length, 'the receiver was reached').toBe(reached + 1);
    } finally {
      await Promise.all([unguarded.close(), guarded.close()]);
    }
  });
});
