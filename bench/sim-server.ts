import { join } from 'node:path';
import { ROOT } from './proc.js';

/**
 * The SMSC for the end-to-end phase: the gateway's own SMPP simulator (dist/) in a process of
 * its own, as a real SMSC would be. Reports its port over IPC, and its submit count on request.
 */
interface Simulator {
  readonly port: number;
  readonly stats: { readonly submitsByDestination: Map<string, number>; readonly maxOutstandingPerSession: number };
  close(): Promise<void>;
}
const { startSimulator } = (await import(join(ROOT, 'dist/carrier/simulator/simulator.js'))) as {
  startSimulator: (options: { port?: number; host?: string; dlrDelayMs?: number }) => Promise<Simulator>;
};
let submits = 0;
const sim = await startSimulator({ port: 0, host: '127.0.0.1', dlrDelayMs: Number(process.env.BENCH_SIM_DLR_MS ?? 20) });
// submitsByDestination keeps only recent entries; count submits by wrapping the counter.
const stats = sim.stats as unknown as { countSubmit(d: string): number };
const countSubmit = stats.countSubmit.bind(stats);
stats.countSubmit = (destination: string) => {
  submits += 1;
  return countSubmit(destination);
};
process.send?.({ port: sim.port });
process.on('message', (m: unknown) => {
  if (m === 'stats') process.send?.({ submits, maxOutstanding: sim.stats.maxOutstandingPerSession });
});
process.on('SIGTERM', () => void sim.close().then(() => process.exit(0)));
