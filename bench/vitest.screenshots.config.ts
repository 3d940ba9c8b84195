import { defineConfig } from 'vitest/config';

/** Remakes docs/console/*.png (not a test): npm run console:screenshots. */
export default defineConfig({
  test: { include: ['bench/console-screenshots.bench-run.ts'], testTimeout: 180_000, hookTimeout: 60_000 },
});
