import { expect } from 'vitest';
import { cnMobile, SEND } from '../support/api.js';

/** Sends `count` messages for the client (template t1, one number each under `prefix`) and answers their sms_uids. */
export async function sendMany(url: string, clientId: string, passcode: string, count: number, prefix: string, concurrency = 16): Promise<string[]> {
  const uids: string[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const response = await fetch(`${url}${SEND}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ client_id: clientId, passcode, phone_number: cnMobile(i, prefix), templet_id: 't1', contents: [{ p1: '1' }] }),
        });
        const json = (await response.json()) as { sms_uid?: string };
        expect(response.status, JSON.stringify(json)).toBe(200);
        uids[i] = json.sms_uid!;
      }
    }),
  );
  return uids;
}

/** Polls `check` until true, or throws after `timeoutMs` saying what did not happen and `detail()`. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, detail: () => string = () => ''): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - start;
}
