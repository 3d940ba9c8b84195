import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from './logger.js';

const SECRET = 'S3cr3t-value';

function logged(write: (logger: ReturnType<typeof createLogger>) => void): string {
  let text = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  write(createLogger('trace', sink));
  return text;
}

it('hides every known secret field, at the top, one level down and in a carriers file, at every level', () => {
  const text = logged((logger) => {
    logger.trace({ passcode: SECRET, password: SECRET, token: SECRET, adminToken: SECRET, secret: SECRET }, 'top level');
    logger.debug({ body: { passcode: SECRET }, callback: { secret: SECRET, callbackSecret: SECRET } }, 'one level down');
    logger.info({ headers: { authorization: `Bearer ${SECRET}` }, req: { headers: { authorization: SECRET } } }, 'headers');
    logger.warn({ config: { databaseUrl: `postgres://u:${SECRET}@h/db`, redisUrl: `redis://:${SECRET}@h`, simulatorPassword: SECRET } }, 'config');
    logger.error({ connections: [{ name: 'a', password: SECRET }], carriers: { connections: [{ password: SECRET }] } }, 'carriers');
    logger.child({ thread: 'dispatch' }).fatal({ adminToken: SECRET }, 'child');
  });
  expect(text.split('\n').filter(Boolean)).toHaveLength(6);
  expect(text).not.toContain(SECRET);
  expect(text).toContain('[hidden]');
});
