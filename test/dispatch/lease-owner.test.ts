import { hostname } from 'node:os';
import { expect, it } from 'vitest';
import { isDeadLocalOwner, localLeaseOwner } from '../../src/dispatch/lease-owner.js';

it('names a lease by host and process', () => {
  expect(localLeaseOwner(42)).toBe(`${hostname()}:42`);
});

it('calls a lease owner dead only when it is on this host and its process is gone', () => {
  const gone = () => false;
  expect(isDeadLocalOwner(localLeaseOwner(123456), gone)).toBe(true);
  expect(isDeadLocalOwner(localLeaseOwner(123456), () => true)).toBe(false);
  expect(isDeadLocalOwner(`another-host:123456`, gone)).toBe(false);
  expect(isDeadLocalOwner(localLeaseOwner(), gone)).toBe(false); // never itself
  expect(isDeadLocalOwner(`${hostname()}:not-a-pid`, gone)).toBe(false);
});

it('sees this very process as alive and a long-gone pid as dead', () => {
  expect(isDeadLocalOwner(localLeaseOwner(process.ppid))).toBe(false);
  expect(isDeadLocalOwner(localLeaseOwner(2 ** 22 + 1))).toBe(true); // beyond pid_max
});
