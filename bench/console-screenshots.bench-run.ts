import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { launchChromium } from '../test/support/browser.js';
import { ROOT } from '../test/support/cli.js';
import { startConsoleGateway, type ConsoleGateway } from '../test/support/console-gateway.js';

/**
 * The console's screenshots in docs/console/, each page at a laptop's and a phone's size, taken
 * from a real gateway with some traffic. Not part of the test suite; run:
 *   npm run console:screenshots
 */
const OUT = join(ROOT, 'docs/console');
const SIZES = [
  { name: 'laptop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;
const TRAFFIC_SECONDS = 40;

/** A varying load for the live chart: a few dozen messages a second for a while. */
async function traffic(gateway: ConsoleGateway, seconds: number, firstNumber: number): Promise<void> {
  let number = firstNumber;
  for (let s = 0; s < seconds; s += 1) {
    const started = Date.now();
    const count = Math.max(5, Math.round(45 + 25 * Math.sin(s / 4) + 12 * Math.sin(s / 1.7)));
    await gateway.send(count, { parallel: 4, firstNumber: number });
    number += count;
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - (Date.now() - started))));
  }
}

async function login(page: Page, gateway: ConsoleGateway): Promise<void> {
  await page.getByLabel('Admin token').fill(gateway.adminToken);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Live', level: 1 }).waitFor();
}

const shot = (page: Page, name: string, size: string) => page.screenshot({ path: join(OUT, `${name}-${size}.png`) });

it('takes the console screenshots', async () => {
  mkdirSync(OUT, { recursive: true });
  const gateway = await startConsoleGateway();
  const browsers = await Promise.all(SIZES.map((size) => launchChromium(size)));
  try {
    const pages = await Promise.all(browsers.map((b) => b.context.newPage()));
    for (const [i, page] of pages.entries()) {
      await page.goto(gateway.consoleUrl);
      await page.getByLabel('Admin token').waitFor();
      await shot(page, 'login', SIZES[i]!.name);
      await login(page, gateway);
    }
    // Dark mode as the operating system asks for it: the Live page once more.
    const dark = await launchChromium({ width: 1280, height: 800, colorScheme: 'dark' });
    try {
      const darkPage = await dark.context.newPage();
      await darkPage.goto(gateway.consoleUrl);
      await login(darkPage, gateway);
      // The pictures while the traffic still runs: the rates of its last seconds, not a drop to 0.
      const running = traffic(gateway, TRAFFIC_SECONDS + 3, 0);
      await new Promise((r) => setTimeout(r, TRAFFIC_SECONDS * 1000));
      await Promise.all([...pages.map((page, i) => shot(page, 'live', SIZES[i]!.name)), shot(darkPage, 'live', 'laptop-dark')]);
      await running;
    } finally {
      await dark.close();
    }

    const [one] = await gateway.send(1, { firstNumber: 900_000 });
    await gateway.send(60, { firstNumber: 900_001 });
    for (const [i, page] of pages.entries()) {
      const size = SIZES[i]!.name;
      await page.goto(`${gateway.consoleUrl}#/messages`);
      await page.locator('table tbody tr').first().waitFor();
      await shot(page, 'messages', size);

      await page.goto(`${gateway.consoleUrl}#/messages/${one!.smsUid}`);
      await expect.poll(() => page.getByRole('region', { name: 'Timeline' }).textContent(), { timeout: 10_000 }).toContain('delivered');
      await shot(page, 'message', size);

      await page.goto(`${gateway.consoleUrl}#/clients`);
      await page.getByLabel('New client ID').fill(`shop_server_0${i + 1}`);
      await page.getByRole('button', { name: 'Add client' }).click();
      await page.getByRole('region', { name: /^New passcode/ }).waitFor();
      // The list is read again after the change: the new client in it, not the list before.
      await page.getByRole('list', { name: 'Clients' }).getByText(`shop_server_0${i + 1}`, { exact: true }).waitFor();
      await shot(page, 'clients', size);

      await page.goto(`${gateway.consoleUrl}#/templates`);
      await page.getByLabel('Template ID (templet_id)').fill('order_shipped');
      await page
        .getByLabel('Text')
        .fill('Hi ${name}, your order ${order} has shipped and arrives ${day}. Track it at shop.example/t/${order}. Reply STOP to opt out.');
      await page.getByLabel('name', { exact: true }).fill('Ana');
      await page.getByLabel('order', { exact: true }).fill('A-20931');
      await page.getByLabel('day', { exact: true }).fill('on Friday');
      const preview = page.getByRole('region', { name: 'Preview' });
      await expect.poll(() => preview.textContent()).toContain('SMS parts');
      // On a phone the preview sits below the form: the picture is of the preview.
      await preview.scrollIntoViewIfNeeded();
      await shot(page, 'templates', size);
    }
  } finally {
    await Promise.all(browsers.map((b) => b.close()));
    await gateway.close();
  }
});
