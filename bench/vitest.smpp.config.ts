import { defineConfig } from 'vitest/config';

/** Runs the SMPP throughput measurement, which the test suite leaves out (see the file). */
export default defineConfig({
  test: { include: ['bench/smpp-throughput.bench-run.ts'], testTimeout: 300_000 },
});
