import { describe, expect, it } from 'vitest';
import { shareStep } from '../../src/coordination/fair-share.js';
import { planSlots } from '../../src/coordination/slot-plan.js';
import { parseCarrierConfig } from '../../src/carrier/smpp/smpp-config.js';

describe('fair share of bind slots', () => {
  it('gives back the highest slots above the rounded-up share, and looks for free ones from its start', () => {
    expect(shareStep(new Set([0, 1, 2, 3]), 4, 2, 0, false)).toEqual({ release: [3, 2], tryTake: [], want: 0, hungry: false });
    expect(shareStep(new Set([1]), 4, 2, 3, false)).toEqual({ release: [], tryTake: [3, 0, 2], want: 1, hungry: true });
    // 3 slots, 2 dispatchers: one may hold 2.
    expect(shareStep(new Set([0, 1]), 3, 2, 0, false).release).toEqual([]);
  });

  it('makes room down to the floor while someone is hungry, and takes nothing extra meanwhile', () => {
    // 4 slots, 3 dispatchers: floor 1, ceil 2.
    expect(shareStep(new Set(), 4, 3, 0, false)).toMatchObject({ hungry: true, want: 2 });
    expect(shareStep(new Set([0, 1]), 4, 3, 0, true)).toMatchObject({ release: [1], hungry: false });
    expect(shareStep(new Set([0]), 4, 3, 0, true)).toMatchObject({ release: [], want: 0 });
    expect(shareStep(new Set([0]), 4, 3, 0, false)).toMatchObject({ release: [], want: 1 });
  });

  it('leaves a dispatcher idle when there are fewer slots than dispatchers', () => {
    expect(shareStep(new Set(), 2, 3, 0, false)).toMatchObject({ hungry: false, want: 1 });
    expect(shareStep(new Set([0]), 2, 3, 0, true)).toMatchObject({ release: [] });
  });
});

describe('slot plan', () => {
  const config = parseCarrierConfig({
    connections: [
      { name: 'a', host: 'h', port: 1, system_id: 'acme', binds: 2 },
      { name: 'b', host: 'h', port: 1, system_id: 'acme', binds: 3, prefixes: ['+44'] },
      { name: 'c', host: 'h', port: 2, system_id: 'acme', binds: 1, shared_identity: true, prefixes: ['+1'] },
    ],
  });

  it('pools connections that are one account to the SMSC, numbering their slots one after another', () => {
    const plan = planSlots(config.connections);
    expect(plan.pools).toEqual([
      { identity: 'acme@h:1', slots: 5, shared: false },
      { identity: 'acme@h:2', slots: 1, shared: true },
    ]);
    expect(plan.split('acme@h:1', new Set([1, 2, 4]))).toEqual([
      { connection: 'a', slots: new Set([1]) },
      { connection: 'b', slots: new Set([0, 2]) },
    ]);
  });

  it('refuses a shared_identity that is not true or false', () => {
    expect(() => parseCarrierConfig({ connections: [{ name: 'a', host: 'h', port: 1, system_id: 's', shared_identity: 'yes' }] })).toThrow(
      /connections\[0\]\.shared_identity must be true or false/,
    );
  });
});
