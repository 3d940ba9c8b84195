import { describe, expect, it } from 'vitest';
import { Lifecycle } from '../../src/compose/lifecycle.js';

function part(name: string, log: string[]) {
  return { name, close: async () => void log.push(name) };
}

describe('Lifecycle: what started last closes first', () => {
  it('closes the parts in reverse order, once however often asked', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle();
    for (const name of ['store', 'dispatcher', 'api']) lifecycle.own(part(name, log));
    await Promise.all([lifecycle.close(), lifecycle.close()]);
    await lifecycle.close();
    expect(log).toEqual(['api', 'dispatcher', 'store']);
  });

  it('closes what had started when a later part fails, and rethrows that failure', async () => {
    const log: string[] = [];
    const lifecycle = new Lifecycle();
    const failure = new Error('port in use');
    await expect(
      lifecycle.starting(async () => {
        lifecycle.own(part('store', log));
        lifecycle.own(part('dispatcher', log));
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(log).toEqual(['dispatcher', 'store']);
  });
});
