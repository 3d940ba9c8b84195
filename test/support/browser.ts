import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import type { ServiceCheck } from './services.js';

/**
 * Debian's Chromium driven by playwright-core (no browser download): the console's end-to-end
 * tests and its screenshots. `.ci/run` installs the package where it is missing.
 */
export const CHROMIUM = process.env.SMSGATE_TEST_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): ServiceCheck {
  return existsSync(CHROMIUM)
    ? { name: 'Chromium', available: true, reason: '' }
    : { name: 'Chromium', available: false, reason: `${CHROMIUM} is missing (apt-get install chromium)` };
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile, closed (and its profile deleted) by close(). */
export async function launchChromium(options: { width: number; height: number; colorScheme?: 'light' | 'dark' }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'smsgate-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: options.width, height: options.height },
    colorScheme: options.colorScheme ?? 'light',
    // Phone-sized runs take the touch-sized layout as a phone would.
    deviceScaleFactor: 1,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
