import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../domain/errors.js';
import { consoleCookieOf, consoleSetCookie, refuseCrossSite } from './console-auth.js';

function request(method: string, headers: Record<string, string>, protocol: 'http' | 'https' = 'http', host = '127.0.0.1:8081'): FastifyRequest {
  return { method, headers, protocol, host } as unknown as FastifyRequest;
}

function refusal(req: FastifyRequest): string | undefined {
  try {
    refuseCrossSite(req);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('CSRF_REFUSED');
    return (error as GatewayError).message;
  }
}

describe('the console cookie', () => {
  it('is found among other cookies, and only under its own name', () => {
    expect(consoleCookieOf('a=1; smsgate_console=v1.x.y.z; b=2')).toBe('v1.x.y.z');
    expect(consoleCookieOf('smsgate_console=v1.x')).toBe('v1.x');
    expect(consoleCookieOf('smsgate_console_old=v1.x; other=smsgate_console')).toBeUndefined();
    expect(consoleCookieOf(undefined)).toBeUndefined();
  });

  it('is Secure only over TLS', () => {
    expect(consoleSetCookie('v', 28800, false)).toBe('smsgate_console=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800');
    expect(consoleSetCookie('v', 28800, true)).toBe('smsgate_console=v; HttpOnly; SameSite=Strict; Path=/; Max-Age=28800; Secure');
  });
});

describe('the CSRF rule of cookie requests', () => {
  it('lets reads through without the header', () => {
    expect(refusal(request('GET', {}))).toBeUndefined();
    expect(refusal(request('HEAD', { origin: 'https://evil.example' }))).toBeUndefined();
  });

  it('needs X-Smsgate-Console: 1 on every change', () => {
    for (const method of ['POST', 'PATCH', 'DELETE', 'PUT']) {
      expect(refusal(request(method, {}))).toMatch(/X-Smsgate-Console/);
      expect(refusal(request(method, { 'x-smsgate-console': 'true' }))).toMatch(/X-Smsgate-Console/);
      expect(refusal(request(method, { 'x-smsgate-console': '1' }))).toBeUndefined();
    }
  });

  it("takes only the listener's own origin, scheme and port included, in any letter case", () => {
    const ok = { 'x-smsgate-console': '1' };
    expect(refusal(request('POST', { ...ok, origin: 'http://127.0.0.1:8081' }))).toBeUndefined();
    expect(refusal(request('POST', { ...ok, origin: 'HTTP://LOCALHOST:8081' }, 'http', 'localhost:8081'))).toBeUndefined();
    expect(refusal(request('POST', { ...ok, origin: 'https://admin.example' }, 'https', 'admin.example'))).toBeUndefined();
    for (const origin of ['http://127.0.0.1:8080', 'https://127.0.0.1:8081', 'http://127.0.0.1', 'null', 'http://127.0.0.1:8081.evil.example']) {
      expect(refusal(request('POST', { ...ok, origin })), origin).toMatch(/another origin/);
    }
  });
});
