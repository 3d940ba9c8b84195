import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Context } from '../context.js';
import { url } from '../context.js';
import { openReadOnly } from '../db.js';
import { combine } from '../load/quantiles.js';
import { note, progress } from '../progress.js';
import { CLI, CLIENT_ID, TEMPLET_ID, setupCatalog, sleep, startGateway, probeSend } from '../proc.js';

const CONNECTIONS = 64;
const run = promisify(execFile);

/** A receiver that acknowledges at once and counts the events it got, with when. */
async function countingReceiver(): Promise<{ server: Server; url: string; events: () => number }> {
  let events = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      events += (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: unknown[] }).events.length;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, events: () => events };
}

interface SendRun {
  readonly okPerS: number;
  readonly ok: number;
  readonly durationS: number;
}

/** Sends at 64 connections for `durationS`, in one-second slices after a one-second warm-up. */
async function sendFor(ctx: Context, label: string, port: number, passcode: string, slices: number): Promise<SendRun> {
  let offset = 0;
  const spec = () => {
    const s = { url: url(port, 'sendsms'), connections: CONNECTIONS, durationS: 1, body: { kind: 'send' as const, clientId: CLIENT_ID, passcode, templetId: TEMPLET_ID, numberOffset: offset } };
    offset += ctx.gen.numbersUsed(s);
    return s;
  };
  await ctx.gen.run(spec());
  const results = [];
  for (let i = 0; i < slices; i++) {
    progress(label, i, slices);
    results.push(await ctx.gen.run(spec()));
  }
  const c = combine(results);
  progress(label, slices, slices, `${Math.round(c.okPerS)} ok/s`);
  return c;
}

/** Events neither dead nor acknowledged (acknowledged ones stay in the outbox as the message's history). */
function owedCallbacks(dbPath: string): number {
  const db = openReadOnly(dbPath);
  try {
    return (db.prepare('SELECT count(*) AS n FROM callback_outbox WHERE dead_at IS NULL AND acknowledged_at IS NULL').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * Status callbacks on the embedded default: sendsms accepted/s with no callback URL and with one
 * (every status change, to a local receiver that answers at once), and the callbacks delivered
 * per second while the sends run, with the backlog they leave and how long it takes to drain.
 */
export async function callbacksPhase(ctx: Context): Promise<void> {
  const slices = ctx.quick ? 3 : 10;

  const offPath = join(ctx.tmp, 'callbacks-off', 'smsgate.db');
  const offPasscode = await setupCatalog(offPath);
  const off = await startGateway({ dbPath: offPath });
  let offRun: SendRun;
  try {
    await probeSend(off.port, offPasscode);
    offRun = await sendFor(ctx, 'sendsms, callbacks off', off.port, offPasscode, slices);
  } finally {
    await off.stop();
  }

  const receiver = await countingReceiver();
  const onPath = join(ctx.tmp, 'callbacks-on', 'smsgate.db');
  const onPasscode = await setupCatalog(onPath);
  const env = { SMSGATE_CALLBACK_ALLOW_PRIVATE: 'true' };
  await run(process.execPath, [CLI, 'client', 'callback', CLIENT_ID, '--url', receiver.url, '--events', 'all', '--json'], { env: { ...process.env, ...env, SMSGATE_DB: onPath } });
  const on = await startGateway({ dbPath: onPath, env });
  try {
    await probeSend(on.port, onPasscode);
    const before = receiver.events();
    const started = Date.now();
    const onRun = await sendFor(ctx, 'sendsms, callbacks on', on.port, onPasscode, slices);
    const loadS = (Date.now() - started) / 1000;
    const during = receiver.events() - before;
    const owedAtEnd = owedCallbacks(onPath);
    const drainStart = Date.now();
    const drainLimitMs = 120_000;
    while (owedCallbacks(onPath) > 0 && Date.now() - drainStart < drainLimitMs) await sleep(250);
    const drainS = (Date.now() - drainStart) / 1000;
    const leftOwed = owedCallbacks(onPath);
    if (leftOwed > 0) note(`warning: ${leftOwed} callback events still owed ${drainLimitMs / 1000} s after the load`);
    const perS = during / loadS;
    const ratio = offRun.okPerS > 0 ? onRun.okPerS / offRun.okPerS : undefined;
    ctx.figures.push(
      { phase: 'callbacks', figure: 'sendsms accepted, no callback URL', value: offRun.okPerS, unit: '/s', note: `${offRun.ok} in ${offRun.durationS.toFixed(1)} s at ${CONNECTIONS} connections` },
      { phase: 'callbacks', figure: 'sendsms accepted, callbacks on', value: onRun.okPerS, unit: '/s', note: `${onRun.ok} in ${onRun.durationS.toFixed(1)} s; every status change POSTed to a local receiver` },
      { phase: 'callbacks', figure: 'sendsms with callbacks / without', value: ratio === undefined ? undefined : ratio * 100, unit: '%', target: '>= 90%', met: ratio !== undefined && ratio >= 0.9 },
      {
        phase: 'callbacks',
        figure: 'callbacks delivered while sending',
        value: perS,
        unit: 'events/s',
        target: '>= 5,000/s',
        met: perS >= 5000,
        note: `${during} events in ${loadS.toFixed(1)} s; ${owedAtEnd} owed when the sends stopped, drained in ${drainS.toFixed(1)} s${leftOwed > 0 ? ` (${leftOwed} left)` : ''}`,
      },
    );
    ctx.details.callbacks = { off: offRun, on: onRun, eventsDuringLoad: during, loadS, owedAtEnd, drainS, leftOwed };
  } finally {
    await on.stop();
    await new Promise((resolve) => receiver.server.close(resolve));
  }
}
