import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { expect, it } from 'vitest';
import { uuidV7Time } from './uuid-time.js';

it('reads the millisecond a UUIDv7 was made', () => {
  const at = Date.UTC(2026, 11, 3, 15, 30, 0, 123);
  expect(uuidV7Time(uuidv7({ msecs: at }))).toBe(at);
});

it('answers undefined for what is not a UUIDv7', () => {
  expect(uuidV7Time(uuidv4())).toBeUndefined();
  expect(uuidV7Time('not-a-uuid')).toBeUndefined();
  expect(uuidV7Time('zzzzzzzz-zzzz-7zzz-8zzz-zzzzzzzzzzzz')).toBeUndefined();
});
