import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAdminGateway, type AdminGateway, type StoreKind } from './admin-harness.js';

const SEND = '/api/sms/v1/sendsms';
const QUERY = '/api/sms/v1/querysms';

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, json: await response.json() };
}

/** Every admin endpoint over real HTTP, against the gateway on `storeKind`. */
export function adminApiSuite(name: string, storeKind: () => StoreKind): void {
  describe(`admin API over HTTP: ${name}`, () => {
    let gw: AdminGateway;
    beforeAll(async () => {
      gw = await startAdminGateway(storeKind());
    });
    afterAll(() => gw?.close());

    it('creates a client (passcode once) that can send at once, lists it, disables and enables it, rotates its passcode', async () => {
      const created = await gw.admin('POST', '/admin/v1/clients', { client_id: 'shop_01' });
      expect(created.status).toBe(201);
      expect(created.headers.get('cache-control')).toBe('no-store');
      expect(created.json).toEqual({ client_id: 'shop_01', passcode: expect.stringMatching(/^[2-9A-Z]{5}-/) });
      expect((await gw.admin('POST', '/admin/v1/clients', { client_id: 'shop_01' })).status).toBe(409);
      expect((await gw.admin('POST', '/admin/v1/clients', { client_id: '' })).status).toBe(400);
      expect((await gw.admin('POST', '/admin/v1/clients', {})).json).toEqual({ error_code: '400', error_message: 'client_id is required' });

      const listed = await gw.admin('GET', '/admin/v1/clients');
      expect(listed.status).toBe(200);
      expect(listed.json.clients).toEqual([
        { client_id: 'shop_01', enabled: true, created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), callback_url: null, events: null },
      ]);

      const template = await gw.admin('POST', '/admin/v1/templates', { templet_id: 'code', text: 'Your code is ${code}.' });
      expect(template.status).toBe(201);
      expect(template.json).toEqual({ templet_id: 'code', text: 'Your code is ${code}.', client_id: null });
      const send = { client_id: 'shop_01', passcode: created.json.passcode, phone_number: '13800138000', templet_id: 'code', contents: [{ p1: '1234' }] };
      // The change reached this process's API at once: no wait for the catalog poll.
      expect((await post(`${gw.url}${SEND}`, send)).status).toBe(200);

      const disabled = await gw.admin('PATCH', '/admin/v1/clients/shop_01', { enabled: false });
      expect(disabled.status).toBe(200);
      expect(disabled.json).toMatchObject({ client_id: 'shop_01', enabled: false });
      expect((await post(`${gw.url}${SEND}`, { ...send, phone_number: '13800138001' })).status).toBe(403);
      expect((await gw.admin('PATCH', '/admin/v1/clients/shop_01', { enabled: true })).json.enabled).toBe(true);
      expect((await gw.admin('PATCH', '/admin/v1/clients/nobody', { enabled: true })).status).toBe(404);
      expect((await gw.admin('PATCH', '/admin/v1/clients/shop_01', { enabled: 'yes' })).status).toBe(400);

      const rotated = await gw.admin('POST', '/admin/v1/clients/shop_01/rotate');
      expect(rotated.status).toBe(200);
      expect(rotated.json.passcode).not.toBe(created.json.passcode);
      expect((await post(`${gw.url}${SEND}`, { ...send, phone_number: '13800138002' })).status).toBe(401);
      expect((await post(`${gw.url}${SEND}`, { ...send, passcode: rotated.json.passcode, phone_number: '13800138002' })).status).toBe(200);
      expect((await gw.admin('POST', '/admin/v1/clients/nobody/rotate')).status).toBe(404);
    });

    it('sets a status callback URL with PATCH (its signing secret answered once), and clears it', async () => {
      await gw.admin('POST', '/admin/v1/clients', { client_id: 'hooked' });
      const set = await gw.admin('PATCH', '/admin/v1/clients/hooked', { callback_url: 'http://127.0.0.1:9/sms-status', callback_events: 'final' });
      expect(set.status).toBe(200);
      expect(set.json).toMatchObject({ client_id: 'hooked', callback_url: 'http://127.0.0.1:9/sms-status', events: 'final', callback_secret: expect.any(String) });
      const listed = (await gw.admin('GET', '/admin/v1/clients')).json.clients.find((c: { client_id: string }) => c.client_id === 'hooked');
      expect(listed).toEqual({ client_id: 'hooked', enabled: true, created_at: expect.any(String), callback_url: 'http://127.0.0.1:9/sms-status', events: 'final' });
      expect((await gw.admin('PATCH', '/admin/v1/clients/hooked', { callback_url: 'ftp://127.0.0.1/x' })).status).toBe(400);
      expect((await gw.admin('PATCH', '/admin/v1/clients/hooked', { callback_events: 'all' })).status).toBe(400);
      const cleared = await gw.admin('PATCH', '/admin/v1/clients/hooked', { callback_url: null });
      expect(cleared.json).toMatchObject({ callback_url: null, events: null });
      expect(cleared.json.callback_secret).toBeUndefined();
    });

    it('adds, lists, previews and removes templates', async () => {
      await gw.admin('POST', '/admin/v1/clients', { client_id: 'tpl_owner' });
      const own = await gw.admin('POST', '/admin/v1/templates', { templet_id: 'own', text: '验证码 ${code}', client_id: 'tpl_owner' });
      expect(own.json).toEqual({ templet_id: 'own', text: '验证码 ${code}', client_id: 'tpl_owner' });
      expect((await gw.admin('POST', '/admin/v1/templates', { templet_id: 'own', text: 'x' })).status).toBe(409);
      expect((await gw.admin('POST', '/admin/v1/templates', { templet_id: 'orphan', text: 'x', client_id: 'nobody' })).status).toBe(404);
      expect((await gw.admin('POST', '/admin/v1/templates', { templet_id: 'bad', text: 'code ${' })).status).toBe(400);
      expect((await gw.admin('GET', '/admin/v1/templates')).json.templates.map((t: { templet_id: string }) => t.templet_id)).toContain('own');

      const gsm = await gw.admin('POST', '/admin/v1/templates/code/preview', { contents: [{ p1: '8888' }] });
      expect(gsm.status).toBe(200);
      expect(gsm.json).toEqual({ text: 'Your code is 8888.', encoding: 'GSM-7', characters: 18, parts: 1 });
      const ucs2 = await gw.admin('POST', '/admin/v1/templates/own/preview', { contents: { code: '42' } });
      expect(ucs2.json).toEqual({ text: '验证码 42', encoding: 'UCS-2', characters: 6, parts: 1 });
      await gw.admin('POST', '/admin/v1/templates', { templet_id: 'long', text: `${'x'.repeat(200)} \${code}` });
      expect((await gw.admin('POST', '/admin/v1/templates/long/preview', { contents: [{ p1: '1' }] })).json).toMatchObject({ encoding: 'GSM-7', parts: 2 });
      expect((await gw.admin('POST', '/admin/v1/templates/code/preview', { contents: [] })).status).toBe(400);
      expect((await gw.admin('POST', '/admin/v1/templates/none/preview', { contents: [{ p1: '1' }] })).status).toBe(404);

      const removed = await gw.admin('DELETE', '/admin/v1/templates/long');
      expect(removed.status).toBe(204);
      expect((await gw.admin('DELETE', '/admin/v1/templates/long')).status).toBe(404);
    });

    it('previews a template text not saved yet, as the saved ones: text, encoding, characters, parts', async () => {
      const preview = (body: unknown) => gw.admin('POST', '/admin/v1/templates/preview', body);
      expect((await preview({ text: 'Your code is ${code}.', contents: { code: '8888' } })).json).toEqual({
        text: 'Your code is 8888.',
        encoding: 'GSM-7',
        characters: 18,
        parts: 1,
      });
      expect((await preview({ text: 'Code ${code}, valid ${minutes} min', contents: [{ p1: '42', p2: '5' }] })).json.text).toBe('Code 42, valid 5 min');
      const long = await preview({ text: `${'x'.repeat(195)} \${code}`, contents: { code: '1234' } });
      expect(long.json).toEqual({ text: `${'x'.repeat(195)} 1234`, encoding: 'GSM-7', characters: 200, parts: 2 });
      expect((await preview({ text: '验证码 ${code}', contents: { code: '42' } })).json).toEqual({ text: '验证码 42', encoding: 'UCS-2', characters: 6, parts: 1 });
      // Nothing was saved.
      expect((await gw.admin('GET', '/admin/v1/templates')).json.templates.map((t: { templet_id: string }) => t.templet_id)).not.toContain('preview');
      for (const [bad, message] of [
        [{ text: 'code ${', contents: {} }, /placeholder/],
        [{ text: '   ', contents: {} }, /empty/],
        [{ text: 'x'.repeat(1001), contents: {} }, /longer/],
        [{ text: 'Code ${code}', contents: {} }, /missing a value/],
        [{ text: 'Code ${code}', contents: { other: '1' } }, /does not use/],
        [{ contents: {} }, /text is required/],
        [{ text: 'Code ${code}' }, /contents is required/],
      ] as const) {
        const answer = await preview(bad);
        expect(answer.status, JSON.stringify(bad)).toBe(400);
        expect(answer.json, JSON.stringify(bad)).toEqual({ error_code: '400', error_message: expect.stringMatching(message) });
      }
    });

    it("shows a message's callback events still owed, with their failed tries and last error", async () => {
      const created = await gw.admin('POST', '/admin/v1/clients', { client_id: 'unheard' });
      // Port 9 (discard) on loopback: nothing listens, every try is refused.
      expect((await gw.admin('PATCH', '/admin/v1/clients/unheard', { callback_url: 'http://127.0.0.1:9/status' })).status).toBe(200);
      const sent = await post(`${gw.url}${SEND}`, { client_id: 'unheard', passcode: created.json.passcode, phone_number: '+8613900000077', templet_id: 'code', contents: [{ p1: '7' }] });
      expect(sent.status).toBe(200);
      const smsUid = sent.json.sms_uid as string;
      await expect
        .poll(async () => (await gw.admin('GET', `/admin/v1/messages/${smsUid}`)).json.callbacks?.filter((e: { attempts: number }) => e.attempts >= 1).length, { timeout: 15_000 })
        .toBeGreaterThanOrEqual(1);
      const shown = (await gw.admin('GET', `/admin/v1/messages/${smsUid}`)).json;
      expect(shown.callbacks[0]).toEqual({
        event_id: `${smsUid}.1`,
        status: 'sent',
        sequence: 1,
        state: 'owed',
        attempts: expect.any(Number),
        last_error: expect.stringMatching(/ECONNREFUSED|refused/),
        next_attempt_at: expect.any(String),
        died_at: null,
        delivered_at: null,
      });
      await gw.admin('PATCH', '/admin/v1/clients/unheard', { callback_url: null });
    });

    it("shows a message's callback events the receiver acknowledged as delivered, with when and after how many tries", async () => {
      const receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const created = await gw.admin('POST', '/admin/v1/clients', { client_id: 'heard' });
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/status`;
        expect((await gw.admin('PATCH', '/admin/v1/clients/heard', { callback_url: url })).status).toBe(200);
        const before = Date.now();
        const sent = await post(`${gw.url}${SEND}`, { client_id: 'heard', passcode: created.json.passcode, phone_number: '+8613900000078', templet_id: 'code', contents: [{ p1: '8' }] });
        expect(sent.status).toBe(200);
        const smsUid = sent.json.sms_uid as string;
        await expect
          .poll(async () => (await gw.admin('GET', `/admin/v1/messages/${smsUid}`)).json.callbacks?.map((e: { state: string }) => e.state), { timeout: 15_000 })
          .toEqual(['delivered', 'delivered']);
        const shown = (await gw.admin('GET', `/admin/v1/messages/${smsUid}`)).json;
        expect(shown.callbacks).toEqual(
          ['sent', 'delivered'].map((status, i) => ({
            event_id: `${smsUid}.${i + 1}`,
            status,
            sequence: i + 1,
            state: 'delivered',
            attempts: 1,
            last_error: null,
            next_attempt_at: null,
            died_at: null,
            delivered_at: expect.any(String),
          })),
        );
        for (const event of shown.callbacks) expect(Date.parse(event.delivered_at)).toBeGreaterThanOrEqual(before - 1_000);
        await gw.admin('PATCH', '/admin/v1/clients/heard', { callback_url: null });
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    it('shows a message with every status change and its parts, finds it by number, client and status, page by page', async () => {
      const created = await gw.admin('POST', '/admin/v1/clients', { client_id: 'finder' });
      const passcode = created.json.passcode as string;
      const uids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const sent = await post(`${gw.url}${SEND}`, { client_id: 'finder', passcode, phone_number: '+8613900000000', templet_id: 'code', contents: [{ p1: String(i) }] });
        expect(sent.status).toBe(200);
        uids.push(sent.json.sms_uid);
      }
      for (const smsUid of uids) {
        await expect
          .poll(async () => (await post(`${gw.url}${QUERY}`, { client_id: 'finder', passcode, sms_uid: smsUid })).json.status, { timeout: 15_000 })
          .toBe('delivered');
      }

      const shown = await gw.admin('GET', `/admin/v1/messages/${uids[0]}`);
      expect(shown.status).toBe(200);
      expect(shown.json).toMatchObject({
        sms_uid: uids[0],
        client_id: 'finder',
        templet_id: 'code',
        phone_number: '+8613900000000',
        text: 'Your code is 0.',
        status: 'delivered',
        error_code: '0',
        part_count: 1,
      });
      expect(shown.json.history.map((h: { status: string }) => h.status)).toEqual(['queuing', 'sent', 'delivered']);
      const times = shown.json.history.map((h: { at: string }) => Date.parse(h.at));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      expect(shown.json.parts).toEqual([{ part_no: 1, carrier_message_id: expect.any(String), status: 'delivered', error_code: '0', connection: expect.any(String) }]);
      expect(shown.json.callbacks).toEqual([]);
      expect((await gw.admin('GET', '/admin/v1/messages/0193a5c2-7d4e-7b1a-9c3f-5e2d8a6b4c10')).status).toBe(404);
      expect((await gw.admin('GET', '/admin/v1/messages/not-a-uid')).status).toBe(404);

      const newestFirst = [...uids].reverse();
      const first = await gw.admin('GET', '/admin/v1/messages?phone_number=13900000000&limit=3');
      expect(first.status).toBe(200);
      expect(first.json.messages.map((m: { sms_uid: string }) => m.sms_uid)).toEqual(newestFirst.slice(0, 3));
      const second = await gw.admin('GET', `/admin/v1/messages?phone_number=13900000000&limit=3&cursor=${first.json.next_cursor}`);
      expect(second.json.messages.map((m: { sms_uid: string }) => m.sms_uid)).toEqual(newestFirst.slice(3));
      expect(second.json.next_cursor).toBeNull();

      const byClient = await gw.admin('GET', '/admin/v1/messages?client_id=finder&status=delivered');
      expect(byClient.json.messages).toHaveLength(5);
      const since = new Date(Date.now() - 60_000).toISOString();
      expect((await gw.admin('GET', `/admin/v1/messages?client_id=finder&since=${since}`)).json.messages).toHaveLength(5);
      expect((await gw.admin('GET', `/admin/v1/messages?client_id=finder&until=${since}`)).json.messages).toHaveLength(0);
      expect((await gw.admin('GET', '/admin/v1/messages?client_id=finder&status=queuing')).json.messages).toHaveLength(0);

      for (const bad of ['status=lost', 'limit=0', 'limit=501', 'since=yesterday', 'cursor=nonsense', 'phone_number=12']) {
        const answer = await gw.admin('GET', `/admin/v1/messages?${bad}`);
        expect(answer.status, bad).toBe(400);
        expect(answer.json, bad).toEqual({ error_code: '400', error_message: expect.any(String) });
      }
    });

    it('shows a message that ended in error on its timeline, and finds the errors by status and time range', async () => {
      const created = await gw.admin('POST', '/admin/v1/clients', { client_id: 'failing' });
      const passcode = created.json.passcode as string;
      const since = new Date().toISOString();
      const sendTo = async (phone_number: string) =>
        (await post(`${gw.url}${SEND}`, { client_id: 'failing', passcode, phone_number, templet_id: 'code', contents: [{ p1: '9' }] })).json.sms_uid as string;
      const refused = await sendTo('+12125550103'); // the SMSC refuses the submit: never sent
      const undeliverable = await sendTo('+12125550104'); // sent, then a receipt UNDELIV
      const final = async (smsUid: string) => (await gw.admin('GET', `/admin/v1/messages/${smsUid}`)).json.status;
      await expect.poll(() => final(refused), { timeout: 15_000 }).toBe('error_rejected');
      await expect.poll(() => final(undeliverable), { timeout: 15_000 }).toBe('error_undeliverable');

      const neverSent = (await gw.admin('GET', `/admin/v1/messages/${refused}`)).json;
      expect(neverSent.history.map((h: { status: string }) => h.status)).toEqual(['queuing', 'error_rejected']);
      expect(neverSent).toMatchObject({ sent_at: null, done_at: neverSent.history[1].at, parts: [] });
      expect(neverSent.error_code).not.toBe('0');
      const lost = (await gw.admin('GET', `/admin/v1/messages/${undeliverable}`)).json;
      expect(lost.history.map((h: { status: string }) => h.status)).toEqual(['queuing', 'sent', 'error_undeliverable']);
      expect(lost.history.map((h: { at: string }) => h.at)).toEqual([lost.queued_at, lost.sent_at, lost.done_at]);
      expect(lost.parts).toEqual([{ part_no: 1, carrier_message_id: expect.any(String), status: 'error_undeliverable', error_code: expect.any(String), connection: expect.any(String) }]);

      const byStatus = await gw.admin('GET', `/admin/v1/messages?client_id=failing&status=error_undeliverable&since=${since}`);
      expect(byStatus.json.messages.map((m: { sms_uid: string }) => m.sms_uid)).toEqual([undeliverable]);
      const byNumber = await gw.admin('GET', `/admin/v1/messages?phone_number=%2B12125550103&status=error_rejected&since=${Date.parse(since)}`);
      expect(byNumber.json.messages.map((m: { sms_uid: string }) => m.sms_uid)).toEqual([refused]);
      const until = new Date(Date.parse(since) - 1).toISOString();
      expect((await gw.admin('GET', `/admin/v1/messages?client_id=failing&until=${until}`)).json.messages).toEqual([]);
    });

    it('counts accepted, sent, delivered and each error over a window, with the queue depth now', async () => {
      const stats = await gw.admin('GET', '/admin/v1/stats?window=1h');
      expect(stats.status).toBe(200);
      expect(stats.json).toEqual({
        window: '1h',
        accepted: expect.any(Number),
        sent: expect.any(Number),
        delivered: expect.any(Number),
        errors: { error_rejected: 1, error_undeliverable: 1, error_expired: 0, error_unknown: 0 },
        queue_depth: { queuing: expect.any(Number), sent: expect.any(Number) },
      });
      // The earlier tests' sends: 2 accepted of shop_01's, 1 of unheard's, 1 of heard's, 5 of finder's and 2 of failing's, all in the last hour.
      expect(stats.json.accepted).toBe(11);
      expect(stats.json.delivered).toBeLessThanOrEqual(stats.json.sent);
      for (const window of ['1m', '24h']) expect((await gw.admin('GET', `/admin/v1/stats?window=${window}`)).json.window).toBe(window);
      expect((await gw.admin('GET', '/admin/v1/stats?window=2d')).status).toBe(400);
    });

    it('refuses every admin endpoint without the right token, and is not on the public port', async () => {
      for (const [method, path] of [
        ['GET', '/admin/v1/clients'],
        ['POST', '/admin/v1/clients'],
        ['GET', '/admin/v1/templates'],
        ['GET', '/admin/v1/messages'],
        ['GET', '/admin/v1/stats'],
      ] as const) {
        expect((await gw.admin(method, path, undefined, { authorization: 'Bearer wrong' })).status, path).toBe(401);
        const none = await fetch(`${gw.adminUrl}${path}`, { method });
        expect(none.status, path).toBe(401);
        expect(none.headers.get('cache-control')).toBe('no-store');
      }
      expect((await fetch(`${gw.url}/admin/v1/clients`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } })).status).toBe(404);
    });
  });
}
