import { describe, expect, it } from 'vitest';
import { generatePasscode, hashPasscode, PasscodeVerdicts, passcodeMatches } from './passcode.js';

const SHAPE = /^[A-Z0-9]{5}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{5}$/;
const AMBIGUOUS = /[01OIL]/;

describe('generatePasscode', () => {
  const many = Array.from({ length: 5000 }, generatePasscode);

  it("has the document's shape (ARDOR-7JF3-8F2E-QUWZ-CAN7F)", () => {
    expect('ARDOR-7JF3-8F2E-QUWZ-CAN7F').toMatch(SHAPE);
    for (const passcode of many) expect(passcode).toMatch(SHAPE);
  });

  it('uses only unambiguous upper-case letters and digits, and all of them', () => {
    const seen = new Set(many.join('').replaceAll('-', ''));
    for (const passcode of many) expect(passcode).not.toMatch(AMBIGUOUS);
    // 5000 x 22 draws: every symbol of the alphabet shows up.
    expect([...seen].sort().join('')).toBe('23456789ABCDEFGHJKMNPQRSTUVWXYZ');
  });

  it('carries at least 100 bits of randomness (alphabet size ^ length)', () => {
    const alphabetSize = new Set(many.join('').replaceAll('-', '')).size;
    const symbols = many[0]!.replaceAll('-', '').length;
    expect(symbols).toBe(22);
    expect(symbols * Math.log2(alphabetSize)).toBeGreaterThanOrEqual(100);
  });

  it('never repeats', () => {
    expect(new Set(many).size).toBe(many.length);
  });

  it('spreads symbols evenly at each position (no fixed or biased position)', () => {
    for (let position = 0; position < 26; position += 1) {
      if ([5, 10, 15, 20].includes(position)) continue;
      const distinct = new Set(many.map((p) => p[position]));
      expect(distinct.size).toBeGreaterThan(25);
    }
  });
});

describe('hashPasscode / passcodeMatches', () => {
  const passcode = generatePasscode();
  const hash = hashPasscode('client-a', passcode);

  it('stores a hash, not the passcode', () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(passcode);
    expect(hash.toUpperCase()).not.toContain(passcode.replaceAll('-', ''));
  });

  it('matches the right passcode for the right client', () => {
    expect(passcodeMatches('client-a', passcode, hash)).toBe(true);
  });

  it('rejects a wrong passcode, another client, a near miss and a malformed hash', () => {
    expect(passcodeMatches('client-a', generatePasscode(), hash)).toBe(false);
    expect(passcodeMatches('client-b', passcode, hash)).toBe(false);
    expect(passcodeMatches('client-a', passcode.toLowerCase(), hash)).toBe(false);
    expect(passcodeMatches('client-a', `${passcode} `, hash)).toBe(false);
    expect(passcodeMatches('client-a', '', hash)).toBe(false);
    expect(passcodeMatches('client-a', passcode, '')).toBe(false);
    expect(passcodeMatches('client-a', passcode, hash.slice(0, 32))).toBe(false);
    expect(passcodeMatches('client-a', passcode, 'zz')).toBe(false);
  });

  it('hashes one passcode differently for two clients', () => {
    expect(hashPasscode('client-b', passcode)).not.toBe(hash);
  });
});

describe('PasscodeVerdicts', () => {
  const passcode = 'ARDOR-7JF3-8F2E-QUWZ-CAN7F';
  /** The stored hashes, counting how often one is read: a read means an HMAC is computed. */
  function hashesOf(entries: [string, string][]) {
    const map = new Map(entries.map(([client, code]) => [client, Buffer.from(hashPasscode(client, code), 'hex')]));
    let reads = 0;
    return {
      hashes: { get: (client: string) => ((reads += 1), map.get(client)) } as unknown as ReadonlyMap<string, Buffer>,
      reads: () => reads,
    };
  }

  it('proves the right passcode once, then compares bytes without the HMAC', () => {
    const { hashes, reads } = hashesOf([['acme', passcode]]);
    const verdicts = new PasscodeVerdicts(hashes);
    expect(verdicts.matches('acme', passcode)).toBe(true);
    expect(reads()).toBe(1);
    expect(verdicts.matches('acme', passcode)).toBe(true);
    expect(verdicts.matches('acme', passcode)).toBe(true);
    expect(reads()).toBe(1);
  });

  it('still refuses wrong passcodes of a proven client, of any length, and checks each one', () => {
    const { hashes, reads } = hashesOf([['acme', passcode]]);
    const verdicts = new PasscodeVerdicts(hashes);
    verdicts.matches('acme', passcode);
    for (const wrong of ['ARDOR-7JF3-8F2E-QUWZ-CAN7G', '', 'ARDOR', `${passcode}X`, passcode.toLowerCase()]) {
      expect(verdicts.matches('acme', wrong), wrong).toBe(false);
    }
    expect(reads()).toBe(6);
    // Another client does not get acme's proven passcode.
    expect(verdicts.matches('other', passcode)).toBe(false);
  });

  it('refuses an unknown client whatever it presents, the stand-in bytes included', () => {
    const verdicts = new PasscodeVerdicts(hashesOf([['acme', passcode]]).hashes);
    expect(verdicts.matches('nobody', passcode)).toBe(false);
    expect(verdicts.matches('nobody', '\0'.repeat(26))).toBe(false);
    expect(verdicts.matches('acme', '\0'.repeat(26))).toBe(false);
  });

  it('keeps no wrong passcode: memory grows with proven clients only', () => {
    const verdicts = new PasscodeVerdicts(hashesOf([['acme', passcode]]).hashes);
    for (let i = 0; i < 1000; i++) verdicts.matches(i % 2 ? 'acme' : `c${i}`, generatePasscode());
    expect(verdicts.provenClients()).toBe(0);
    verdicts.matches('acme', passcode);
    expect(verdicts.provenClients()).toBe(1);
  });

  it('a new catalog version (a rotated passcode) forgets the old one', () => {
    const old = new PasscodeVerdicts(hashesOf([['acme', passcode]]).hashes);
    expect(old.matches('acme', passcode)).toBe(true);
    const rotated = generatePasscode();
    const next = new PasscodeVerdicts(hashesOf([['acme', rotated]]).hashes);
    expect(next.matches('acme', passcode)).toBe(false);
    expect(next.matches('acme', rotated)).toBe(true);
  });
});
