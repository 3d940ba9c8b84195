import { describe, expect, it } from 'vitest';
import { CallbackFailureLog, FAILURE_LOG_EVERY_MS } from '../../src/callbacks/failure-log.js';

function capture(): { lines: [Record<string, unknown>, string][]; warn: (fields: object, message: string) => void } {
  const lines: [Record<string, unknown>, string][] = [];
  return { lines, warn: (fields, message) => void lines.push([fields as Record<string, unknown>, message]) };
}

describe('the callback failure log', () => {
  it('logs the first failure of a client and origin at once, then at most one line a minute with the count between', () => {
    let now = 0;
    const logger = capture();
    const log = new CallbackFailureLog(logger as never, () => now);
    log.failed('shop', 'https://hooks.example', 'HTTP 500', 100);
    for (let i = 0; i < 50; i++) log.failed('shop', 'https://hooks.example', 'HTTP 500', 100);
    expect(logger.lines).toHaveLength(1);
    now += FAILURE_LOG_EVERY_MS;
    log.failed('shop', 'https://hooks.example', 'timeout', 3);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[1]![0]).toEqual({ client_id: 'shop', origin: 'https://hooks.example', reason: 'timeout', events: 3, other_failures_since_last_line: 50 });
  });

  it('keeps clients apart, and a success makes the next failure news again', () => {
    const logger = capture();
    const log = new CallbackFailureLog(logger as never, () => 0);
    log.failed('a', 'https://a.example', 'HTTP 500', 1);
    log.failed('b', 'https://b.example', 'HTTP 500', 1);
    log.succeeded('a', 'https://a.example');
    log.failed('a', 'https://a.example', 'HTTP 502', 1);
    expect(logger.lines.map(([fields]) => [fields.client_id, fields.reason])).toEqual([
      ['a', 'HTTP 500'],
      ['b', 'HTTP 500'],
      ['a', 'HTTP 502'],
    ]);
  });
});
