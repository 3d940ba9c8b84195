import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallbackPost, PostOutcome } from '../../src/callbacks/callback-poster.js';
import { CallbackSender, type CallbackSenderOptions } from '../../src/callbacks/callback-sender.js';
import type { CallbackTarget } from '../../src/callbacks/callback-targets.js';
import { verifyCallbackSignature } from '../../src/callbacks/signature.js';
import { GatewayError } from '../../src/domain/errors.js';
import { eventOf, MemoryCallbackOutbox } from './memory-outbox.js';

/** A poster that records each request and answers what `answer` says (a promise that may never settle). */
class FakePoster {
  readonly requests: { url: string; body: any; rawBody: string; signature: string; clientId: string }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  closed = false;
  constructor(public answer: (request: CallbackPost) => Promise<PostOutcome> = async () => ({ ok: true })) {}

  async post(request: CallbackPost): Promise<PostOutcome> {
    const body = JSON.parse(request.body);
    this.requests.push({ url: request.url.href, body, rawBody: request.body, signature: request.headers['Smsgate-Signature']!, clientId: body.events[0].client_id });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await Promise.race([
        this.answer(request),
        new Promise<PostOutcome>((resolve) => request.signal.addEventListener('abort', () => resolve({ ok: false, reason: 'aborted' }))),
      ]);
    } finally {
      this.inFlight -= 1;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

const never = () => new Promise<PostOutcome>(() => {});
const TARGETS: Record<string, CallbackTarget> = {
  a: { url: 'http://a.example/hook', secret: 'secret-a' },
  b: { url: 'http://b.example/hook', secret: 'secret-b' },
};

const senders: CallbackSender[] = [];
afterEach(async () => {
  for (const sender of senders.splice(0)) await sender.close();
});

function startSender(outbox: MemoryCallbackOutbox, poster: FakePoster, options: Partial<CallbackSenderOptions> = {}): CallbackSender {
  const sender = new CallbackSender({
    outbox,
    targets: { refresh: async () => {}, of: (clientId) => TARGETS[clientId] },
    poster,
    checkTarget: async (url) => new URL(url),
    logger: pino({ level: 'silent' }),
    owner: 'test:1',
    batchMax: 10,
    lingerMs: 5,
    timeoutMs: 1_000,
    maxAgeMs: 60_000,
    concurrency: 4,
    pollMs: 20,
    closeWaitMs: 100,
    ...options,
  });
  senders.push(sender);
  sender.start();
  return sender;
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the callback sender', () => {
  it('sends every owed event in signed batches of at most batchMax, one client per request, and acknowledges them', async () => {
    const outbox = new MemoryCallbackOutbox();
    for (let n = 0; n < 25; n++) outbox.add(eventOf('a', n));
    for (let n = 100; n < 103; n++) outbox.add(eventOf('b', n));
    const poster = new FakePoster();
    startSender(outbox, poster);
    await until(() => outbox.rows.size === 0, 'all acknowledged');
    expect(outbox.acknowledged).toHaveLength(28);
    expect(new Set(outbox.acknowledged).size).toBe(28);
    for (const request of poster.requests) {
      expect(request.body.events.length).toBeLessThanOrEqual(10);
      expect(new Set(request.body.events.map((e: any) => e.client_id))).toEqual(new Set([request.clientId]));
      const target = TARGETS[request.clientId]!;
      expect(request.url).toBe(target.url);
      expect(verifyCallbackSignature(target.secret, request.rawBody, request.signature, Date.now())).toBe(true);
    }
    expect(Object.keys(poster.requests[0]!.body.events[0]).sort()).toEqual(
      ['client_id', 'error_code', 'event_id', 'occurred_at', 'parts', 'phone_number', 'sequence', 'sms_uid', 'status', 'templet_id'].sort(),
    );
  });

  it('wakes on a status change, not only on its poll', async () => {
    const outbox = new MemoryCallbackOutbox();
    const poster = new FakePoster();
    let listener: () => void = () => {};
    startSender(outbox, poster, { pollMs: 60_000, subscribe: (l) => ((listener = l), () => {}) });
    await new Promise((resolve) => setTimeout(resolve, 30));
    outbox.add(eventOf('a', 1));
    listener();
    await until(() => outbox.rows.size === 0, 'acknowledged after the wake', 2_000);
  });

  it('a 2xx after a failure sends the events waiting out their backoff at once', async () => {
    const outbox = new MemoryCallbackOutbox();
    for (let n = 0; n < 30; n++) outbox.add(eventOf('a', n));
    let answered = 0;
    const poster = new FakePoster(async () => (answered++ === 0 ? { ok: false, reason: 'HTTP 503' } : { ok: true }));
    const started = Date.now();
    // random 1: the longest backoff of a first failure (at least 1 s), which the 2xx must cut short.
    startSender(outbox, poster, { concurrency: 1, random: () => 1 });
    await until(() => outbox.rows.size === 0, 'all acknowledged', 5_000);
    expect(Date.now() - started).toBeLessThan(900);
    expect(poster.requests).toHaveLength(4);
  });

  it('keeps at most `concurrency` requests in flight per URL', async () => {
    const outbox = new MemoryCallbackOutbox();
    for (let n = 0; n < 100; n++) outbox.add(eventOf('a', n));
    const poster = new FakePoster(() => new Promise((resolve) => setTimeout(() => resolve({ ok: true }), 30)));
    startSender(outbox, poster, { concurrency: 3 });
    await until(() => outbox.rows.size === 0, 'all acknowledged');
    expect(poster.maxInFlight).toBe(3);
  });

  it("never lets one client's dead receiver delay another client's callbacks", async () => {
    const outbox = new MemoryCallbackOutbox();
    for (let n = 0; n < 100; n++) outbox.add(eventOf('a', n));
    const poster = new FakePoster((request) => (request.url.host === 'a.example' ? never() : Promise.resolve({ ok: true })));
    startSender(outbox, poster, { timeoutMs: 60_000 });
    await until(() => poster.inFlight === 4, "a's slots taken");
    for (let n = 200; n < 230; n++) outbox.add(eventOf('b', n));
    await until(() => [...outbox.rows.values()].every((r) => r.event.clientId === 'a'), "b's events acknowledged", 2_000);
    // a holds 4 batches of 10 and no more: the other 60 wait unclaimed.
    expect(poster.requests.filter((r) => r.clientId === 'a')).toHaveLength(4);
  });

  it('reschedules a failed batch with backoff, counting the try and keeping the reason', async () => {
    const outbox = new MemoryCallbackOutbox();
    outbox.add(eventOf('a', 1));
    const poster = new FakePoster(async () => ({ ok: false, reason: 'HTTP 500' }));
    const before = Date.now();
    startSender(outbox, poster, { random: () => 0.5 });
    await until(() => outbox.row(eventOf('a', 1).eventId)!.attempts === 1, 'one failed try');
    const row = outbox.row(eventOf('a', 1).eventId)!;
    expect(row.lastError).toBe('HTTP 500');
    // 1 s + half of (2 s - 1 s)
    expect(row.nextAttemptAt).toBeGreaterThanOrEqual(before + 1_500);
    expect(row.nextAttemptAt).toBeLessThanOrEqual(Date.now() + 1_500);
    expect(poster.requests).toHaveLength(1);
  });

  it('buries events whose tries ran out', async () => {
    const outbox = new MemoryCallbackOutbox();
    outbox.add(eventOf('a', 1), Date.now() - 61_000);
    startSender(outbox, new FakePoster(async () => ({ ok: false, reason: 'ECONNREFUSED' })));
    await until(() => outbox.row(eventOf('a', 1).eventId)!.diedAt !== null, 'buried');
    expect((await outbox.deadCallbackEvents({ limit: 10 }))[0]!.lastError).toBe('ECONNREFUSED');
  });

  it('checks the URL again at send time: a refusal is a failed try with its reason, and nothing is posted', async () => {
    const outbox = new MemoryCallbackOutbox();
    outbox.add(eventOf('a', 1));
    const poster = new FakePoster();
    startSender(outbox, poster, {
      checkTarget: async () => {
        throw new GatewayError('CALLBACK_URL_REFUSED', 'the callback host a.example is 10.0.0.1 (private)');
      },
    });
    await until(() => outbox.row(eventOf('a', 1).eventId)!.attempts === 1, 'one refused try');
    expect(outbox.row(eventOf('a', 1).eventId)!.lastError).toMatch(/^refused: .*private/);
    expect(poster.requests).toHaveLength(0);
  });

  it('treats a client without a callback URL as a failed try', async () => {
    const outbox = new MemoryCallbackOutbox();
    outbox.add(eventOf('nobody', 1));
    startSender(outbox, new FakePoster());
    await until(() => outbox.row(eventOf('nobody', 1).eventId)!.attempts === 1, 'one failed try');
    expect(outbox.row(eventOf('nobody', 1).eventId)!.lastError).toBe('no callback URL set');
  });

  it('logs an outbox outage once, however many polls fail, and sends what is owed once it is back', async () => {
    const outbox = new MemoryCallbackOutbox();
    outbox.add(eventOf('a', 1));
    let down = true;
    const clientsWithDue = outbox.clientsWithDueCallbacks.bind(outbox);
    outbox.clientsWithDueCallbacks = async (now) => {
      if (down) throw new Error('SQLITE_BUSY');
      return clientsWithDue(now);
    };
    const lines: { level: number; msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    startSender(outbox, new FakePoster(), { logger });
    await new Promise((resolve) => setTimeout(resolve, 150)); // several polls of 20 ms
    down = false;
    await until(() => outbox.rows.size === 0, 'sent after the outage');
    expect(lines.map((l) => l.msg)).toEqual(['the callback outbox is unavailable', 'the callback outbox is available again']);
  });

  it('on close stops claiming, cuts requests still running after the wait, and makes their events due at once', async () => {
    const outbox = new MemoryCallbackOutbox();
    for (let n = 0; n < 5; n++) outbox.add(eventOf('a', n));
    const poster = new FakePoster(never);
    const sender = startSender(outbox, poster, { closeWaitMs: 50 });
    await until(() => poster.inFlight === 1, 'one request running');
    const closing = Date.now();
    await sender.close();
    expect(Date.now() - closing).toBeLessThan(2_000);
    expect(poster.closed).toBe(true);
    for (const row of outbox.rows.values()) {
      expect(row.leaseOwner).toBeNull();
      expect(row.nextAttemptAt).toBeLessThanOrEqual(Date.now());
    }
    outbox.add(eventOf('a', 99));
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(poster.requests).toHaveLength(1);
  });
});
