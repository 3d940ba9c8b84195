import { describe, it } from 'vitest';
import { createSmppCarrier } from '../src/carrier/smpp/smpp-carrier.js';
import { startSimulator } from '../src/carrier/simulator/simulator.js';
import { parseCarrierConfig } from '../src/carrier/smpp/smpp-config.js';
import { silentLogger } from '../test/carrier/helpers.js';

/**
 * SMPP submits per second from the carrier to the built-in simulator over loopback TCP, both in
 * this one process (so the figure is a floor: a separate SMSC would not share the CPU).
 * Not part of the test suite; run:  npx vitest run --config bench/vitest.smpp.config.ts
 * Tunables: SMSGATE_BENCH_MESSAGES (default 20000), SMSGATE_BENCH_DLR_MS (default 500).
 */
const MESSAGES = Number(process.env.SMSGATE_BENCH_MESSAGES ?? 20_000);
const DLR_MS = Number(process.env.SMSGATE_BENCH_DLR_MS ?? 500);

async function measure(window: number, binds: number): Promise<number> {
  const sim = await startSimulator({ dlrDelayMs: DLR_MS });
  const config = parseCarrierConfig({
    connections: [
      { name: 'bench', host: '127.0.0.1', port: sim.port, system_id: 'smsgate', password: 'smsgate', window, binds, response_timeout_ms: 30_000 },
    ],
  });
  let receipts = 0;
  const carrier = createSmppCarrier(config, silentLogger);
  await carrier.start(async () => void (receipts += 1));
  while (carrier.capacity() === 0) await new Promise((r) => setTimeout(r, 10));
  let next = 0;
  const started = process.hrtime.bigint();
  // As many senders as the window holds, like the dispatcher filling capacity().
  const worker = async (): Promise<void> => {
    while (next < MESSAGES) {
      next += 1;
      await carrier.submit({ smsUid: `b${next}`, phoneNumber: `+4479460${String(next % 100000).padStart(5, '0')}`, text: `Your code is ${100000 + next}`, expiresAt: Date.now() + 3600_000 });
    }
  };
  await Promise.all(Array.from({ length: window * binds }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await carrier.stop();
  await sim.close();
  const rate = MESSAGES / seconds;
  console.log(`window ${window} x ${binds} bind(s): ${MESSAGES} submits in ${seconds.toFixed(2)} s = ${Math.round(rate)} submit_sm/s (receipts seen: ${receipts})`);
  return rate;
}

describe('SMPP throughput to the simulator', () => {
  it('window 10, one bind', () => measure(10, 1));
  it('window 1000, one bind', () => measure(1000, 1));
  it('window 10, four binds', () => measure(10, 4));
});
