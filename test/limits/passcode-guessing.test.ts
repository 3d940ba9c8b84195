import { describe, expect, it } from 'vitest';
import { guessingPolicy } from '../../src/domain/passcode-guessing.js';
import { MemoryLimiter } from '../../src/limits/memory-limiter.js';
import { PasscodeFailureLog } from '../../src/limits/passcode-failure-log.js';

function limiter() {
  const clock = { now: 1_000_000 };
  const blocks: string[] = [];
  const l = new MemoryLimiter({
    numberWindows: [],
    sendRatePerS: 1000,
    queryRatePerS: 1000,
    guessing: guessingPolicy(20, 50),
    failureLog: { failed: () => {}, blocked: (address, clientId, s) => blocks.push(`${address} ${clientId ?? '*'} ${s}`), flush: () => {} },
    now: () => clock.now,
  });
  return { l, clock, blocks };
}

describe('MemoryLimiter: passcode guessing', () => {
  it('blocks a pair on the 20th wrong passcodes a minute, with Retry-After, growing; other addresses and clients go on', async () => {
    const { l, clock, blocks } = limiter();
    for (let i = 0; i < 19; i += 1) await l.recordPasscodeFailure('10.0.0.1', 'acme');
    expect((await l.checkPasscodeAttempt('10.0.0.1', 'acme')).allowed).toBe(true);
    await l.recordPasscodeFailure('10.0.0.1', 'acme');
    expect(await l.checkPasscodeAttempt('10.0.0.1', 'acme')).toEqual({ allowed: false, retryAfterS: 60 });
    expect((await l.checkPasscodeAttempt('10.0.0.2', 'acme')).allowed).toBe(true);
    expect((await l.checkPasscodeAttempt('10.0.0.1', 'other')).allowed).toBe(true);
    expect(blocks).toEqual(['10.0.0.1 acme 60']);
    clock.now += 60_000;
    expect((await l.checkPasscodeAttempt('10.0.0.1', 'acme')).allowed).toBe(true);
    for (let i = 0; i < 20; i += 1) await l.recordPasscodeFailure('10.0.0.1', 'acme');
    expect(await l.checkPasscodeAttempt('10.0.0.1', 'acme')).toEqual({ allowed: false, retryAfterS: 120 });
  });

  it('blocks an address that sprays client ids, for every client', async () => {
    const { l } = limiter();
    for (let i = 0; i < 50; i += 1) await l.recordPasscodeFailure('10.0.0.9', `guess-${i}`);
    expect(await l.checkPasscodeAttempt('10.0.0.9', 'acme')).toEqual({ allowed: false, retryAfterS: 60 });
    expect((await l.checkPasscodeAttempt('10.0.0.8', 'acme')).allowed).toBe(true);
  });
});

describe('PasscodeFailureLog', () => {
  it('logs at most once a second per client with the count, never the passcode, and names at most 20 clients', async () => {
    const lines: { details: any; message: string }[] = [];
    const log = new PasscodeFailureLog({ warn: (details, message) => lines.push({ details, message }) }, 50);
    for (let i = 0; i < 500; i += 1) log.failed('acme', '10.0.0.1');
    expect(lines).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(lines).toEqual([{ details: { client_id: 'acme', failures: 500, last_address: '10.0.0.1' }, message: '500 wrong passcode(s) for client acme' }]);
    for (let i = 0; i < 30; i += 1) log.failed(`c${i}`, '10.0.0.1');
    log.flush();
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines.at(-1)!.details).toEqual({ clients: 10, failures: 10 });
  });
});
