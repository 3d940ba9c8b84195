import { describe, expect, it } from 'vitest';
import { assertCallbackTarget } from '../../src/callbacks/callback-url-guard.js';

async function refusal(url: string, allowPrivate = false): Promise<string> {
  const error = await assertCallbackTarget(url, allowPrivate).then(
    () => undefined,
    (e: unknown) => e as { code: string; message: string },
  );
  if (error === undefined) throw new Error(`${url} was accepted`);
  expect(error.code).toBe('CALLBACK_URL_REFUSED');
  return error.message;
}

describe('assertCallbackTarget', () => {
  it('refuses a host name that resolves to loopback, naming the address and the opt-in', async () => {
    const message = await refusal('http://localhost:9/cb');
    expect(message).toMatch(/localhost resolves to (127\.0\.0\.1|::1) is loopback/);
    expect(message).toContain('SMSGATE_CALLBACK_ALLOW_PRIVATE');
  });

  it.each(['http://127.0.0.1/', 'http://[::1]/', 'http://10.0.0.8/', 'http://[::ffff:192.168.0.1]/', 'http://2130706433/'])(
    'refuses the private address literal %s',
    async (url) => {
      expect(await refusal(url)).toContain('refused unless SMSGATE_CALLBACK_ALLOW_PRIVATE=true');
    },
  );

  it('accepts a public address literal without asking DNS', async () => {
    expect((await assertCallbackTarget('https://8.8.8.8/hook', false)).href).toBe('https://8.8.8.8/hook');
  });

  it('refuses a host that does not resolve', async () => {
    expect(await refusal('https://no-such-host.invalid/cb')).toContain('does not resolve');
  });

  it('with the opt-in, accepts private addresses but still refuses bad schemes and credentials', async () => {
    expect((await assertCallbackTarget('http://127.0.0.1:8080/cb', true)).port).toBe('8080');
    expect(await refusal('ftp://127.0.0.1/', true)).toContain('scheme');
    expect(await refusal('http://a:b@127.0.0.1/', true)).toContain('password');
  });
});
