import { pino } from 'pino';
import { expect, it, vi } from 'vitest';
import { StatusEvents } from '../../src/dispatch/status-events.js';
import type { StatusTransition } from '../../src/domain/status-transition.js';

const delivered: StatusTransition = { smsUid: 'm1', clientId: 'c1', from: 'sent', to: 'delivered', errorCode: '0', at: 1 };

it('hands every transition to every listener until it unsubscribes; says nothing of none', () => {
  const events = new StatusEvents(pino({ level: 'silent' }));
  const first = vi.fn();
  const second = vi.fn();
  const unsubscribe = events.subscribe(first);
  events.subscribe(second);
  events.publish([delivered]);
  events.publish([]);
  unsubscribe();
  events.publish([delivered]);
  expect(first).toHaveBeenCalledTimes(1);
  expect(first).toHaveBeenCalledWith([delivered]);
  expect(second).toHaveBeenCalledTimes(2);
});

it('logs a listener that throws or rejects, and the others still hear', async () => {
  const logger = pino({ level: 'silent' });
  const logged = vi.spyOn(logger, 'error');
  const events = new StatusEvents(logger);
  const after = vi.fn();
  events.subscribe(() => {
    throw new Error('boom');
  });
  events.subscribe(() => Promise.reject(new Error('later')));
  events.subscribe(after);
  expect(() => events.publish([delivered])).not.toThrow();
  expect(after).toHaveBeenCalledWith([delivered]);
  await new Promise((resolve) => setImmediate(resolve));
  expect(logged).toHaveBeenCalledTimes(2);
});
