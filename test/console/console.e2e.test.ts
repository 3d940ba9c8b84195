import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, type Browser } from '../support/browser.js';
import { postJson } from '../support/cli.js';
import { startConsoleGateway, type ConsoleGateway } from '../support/console-gateway.js';
import { describeIfService } from '../support/services.js';

/**
 * The operator console in a real browser against a real gateway (issue 18's "done when"): each
 * step reads what the page shows, as an operator would, and checks it against the API.
 */
describeIfService(chromiumAvailable(), 'console in Chromium', () => {
  let gateway: ConsoleGateway;
  let browser: Browser;
  let page: Page;
  let sent: { smsUid: string; phone: string }[] = [];

  beforeAll(async () => {
    [gateway, browser] = await Promise.all([startConsoleGateway(), launchChromium({ width: 1280, height: 800 })]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(10_000);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
  });

  it('refuses a wrong token and logs in with the admin token', async () => {
    await page.goto(gateway.consoleUrl);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not the admin token');

    // By keyboard: Enter in the field submits the form.
    await page.getByLabel('Admin token').fill(gateway.adminToken);
    await page.getByLabel('Admin token').press('Enter');
    await page.getByRole('heading', { name: 'Live', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const cookies = await browser.context.cookies();
    expect(cookies.find((c) => c.name === 'smsgate_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  it('charts the traffic while 500 messages are sent', async () => {
    const accepted = page.locator('figure[aria-label="Messages per second"] [data-series="accepted"]');
    // Two snapshots a second apart before any traffic: the chart runs, at zero.
    await expect.poll(() => accepted.getAttribute('data-now'), { timeout: 5_000 }).toBe('0');
    expect(await accepted.getAttribute('data-peak')).toBe('0');

    sent = await gateway.send(500);

    await expect.poll(async () => Number(await accepted.getAttribute('data-peak')), { timeout: 5_000 }).toBeGreaterThan(0);
    const delivered = page.locator('figure[aria-label="Messages per second"] [data-series="delivered"]');
    await expect.poll(async () => Number(await delivered.getAttribute('data-peak')), { timeout: 8_000 }).toBeGreaterThan(0);
    const p99 = page.locator('figure[aria-label="Accept latency p99"] [data-series="p99"]');
    expect(Number(await p99.getAttribute('data-peak'))).toBeGreaterThan(0);
    // The chart drew: uPlot's canvas is there.
    expect(await page.locator('figure[aria-label="Messages per second"] canvas').count()).toBe(1);
    // The page's total reaches what was sent: every accepted message is counted, once.
    const acceptedTotal = page.getByRole('region', { name: 'Now' }).getByText(/^[\d,.\s]+ total$/).first();
    await expect.poll(async () => Number((await acceptedTotal.textContent())!.replace(/\D/g, '')), { timeout: 3_000 }).toBe(500);
  });

  it('finds a message by number and follows its timeline until delivered', async () => {
    const target = sent[137]!;
    await page.getByRole('link', { name: 'Messages' }).click();
    // Newest first, a page of 50, then the next through next_cursor.
    const rows = page.locator('table tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    await page.getByRole('button', { name: 'Show older messages' }).click();
    await expect.poll(() => rows.count()).toBe(100);

    await page.getByLabel('Phone number').fill(target.phone);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain(target.phone.slice(-7));
    await rows.first().getByRole('link').click();
    await expect.poll(() => page.url()).toContain(`#/messages/${target.smsUid}`);
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toContain('delivered');
    expect(await timeline.getByRole('listitem').allTextContents()).toEqual([
      expect.stringContaining('queuing'),
      expect.stringContaining('sent'),
      expect.stringContaining('delivered'),
    ]);
    const parts = page.getByRole('region', { name: 'Parts' });
    expect(await parts.textContent()).toContain('GSM-7');
  });

  it('goes straight to a message by sms_uid', async () => {
    const target = sent[3]!;
    await page.getByRole('link', { name: 'Messages', exact: true }).first().click();
    await page.getByLabel('sms_uid').fill(target.smsUid);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: `Message to +86${target.phone}` }).waitFor();
  });

  it('adds a client whose passcode, shown once, sends over the public API', async () => {
    await page.getByRole('link', { name: 'Clients' }).click();
    await page.getByLabel('New client ID').fill('e2e_shop');
    await page.getByRole('button', { name: 'Add client' }).click();
    const secret = page.getByRole('region', { name: 'New passcode for e2e_shop' });
    const passcode = await secret.getByRole('textbox').inputValue();
    expect(passcode).toMatch(/^[2-9A-Z]{5}(-[2-9A-Z]{4}){3}-[2-9A-Z]{5}$/);
    const curl = await secret.getByLabel('curl command', { exact: true }).textContent();
    expect(curl).toContain(`"passcode":"${passcode}"`);
    expect(curl).toContain('"templet_id":"t1"');

    const sendAsShop = (phone: string) =>
      postJson(`${gateway.serve.url}/api/sms/v1/sendsms`, { client_id: 'e2e_shop', passcode, phone_number: phone, templet_id: 't1', contents: [{ code: '4242' }] });
    const answer = await sendAsShop('13900139000');
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ error_code: '0' });

    // Disabled from the page: the same send is refused.
    await page.getByRole('listitem', { name: 'e2e_shop' }).getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('listitem', { name: 'e2e_shop' }).getByText('disabled').waitFor();
    expect((await sendAsShop('13900139001')).status).toBe(403);
  });

  it('previews a 200-character template as 2 GSM-7 parts while typing, and adds it', async () => {
    await page.getByRole('link', { name: 'Templates' }).click();
    await page.getByLabel('Template ID (templet_id)').fill('e2e_long');
    const text = `Your code is \${code}. ${'x'.repeat(200 - 'Your code is 1234. '.length)}`;
    await page.getByLabel('Text').fill(text);
    await page.getByLabel('code', { exact: true }).fill('1234');
    const preview = page.getByRole('region', { name: 'Preview' });
    await expect.poll(() => preview.locator('dl').textContent()).toBe('EncodingGSM-7Characters200SMS parts2');
    expect(await preview.locator('.phone-bubble').textContent()).toMatch(/^Your code is 1234\. x+$/);
    // Outside GSM 03.38: UCS-2, 67 characters a part.
    await page.getByLabel('code', { exact: true }).fill('١٢٣٤');
    await expect.poll(() => preview.locator('dl').textContent()).toBe('EncodingUCS-2Characters200SMS parts3');

    await page.getByRole('button', { name: 'Add template' }).click();
    await page.getByRole('listitem', { name: 'e2e_long' }).waitFor();
  });

  it('logs out: the old cookie is refused and the page asks for the token', async () => {
    const cookie = (await browser.context.cookies()).find((c) => c.name === 'smsgate_console');
    expect(cookie).toBeDefined();
    const header = { cookie: `smsgate_console=${cookie!.value}` };
    expect((await fetch(`${gateway.adminUrl}/admin/v1/clients`, { headers: header })).status).toBe(200);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect((await fetch(`${gateway.adminUrl}/admin/v1/clients`, { headers: header })).status).toBe(401);
    await page.reload();
    await page.getByLabel('Admin token').waitFor();
  });
});
