import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { DueQueue } from './due-queue.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('runs each callback at its due time, those due together in one turn, earlier ones on their own timer', () => {
  const queue = new DueQueue();
  const ran: string[] = [];
  const start = Date.now();
  queue.add(start + 100, () => ran.push('a'));
  queue.add(start + 100, () => ran.push('b'));
  queue.add(start + 300, () => ran.push('c'));
  queue.add(start + 50, () => ran.push('early'));
  vi.advanceTimersByTime(99);
  expect(ran).toEqual(['early']);
  vi.advanceTimersByTime(1);
  expect(ran).toEqual(['early', 'a', 'b']);
  queue.add(start + 200, () => ran.push('d'));
  vi.advanceTimersByTime(99);
  expect(ran).toEqual(['early', 'a', 'b']);
  vi.advanceTimersByTime(1); // d is due before c, already queued: on a timer of its own
  expect(ran).toEqual(['early', 'a', 'b', 'd']);
  vi.advanceTimersByTime(100);
  expect(ran).toEqual(['early', 'a', 'b', 'd', 'c']);
});

it('close cancels everything', () => {
  const queue = new DueQueue();
  const run = vi.fn();
  queue.add(Date.now() + 10, run);
  queue.add(Date.now() + 5, run);
  queue.close();
  vi.advanceTimersByTime(100);
  expect(run).not.toHaveBeenCalled();
});
