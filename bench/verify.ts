import { Agent, request } from 'node:http';
import type Database from 'better-sqlite3';
import { CLIENT_ID, TEMPLET_ID } from './proc.js';
import { phoneNumber } from './load/types.js';

/**
 * Commit before 200, checked one by one: sends `count` messages over `connections` keep-alive
 * connections and, the moment each 200 arrives, looks its sms_uid up in the database through a
 * read-only connection. Returns how many answered 200 and how many of those were not there.
 */
export async function verifyCommitBefore200(
  port: number, passcode: string, db: Database.Database, count: number, connections: number, numberOffset: number,
): Promise<{ ok: number; missing: number; other: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const lookup = db.prepare('SELECT 1 FROM messages WHERE sms_uid = ?');
  let next = 0;
  let ok = 0;
  let missing = 0;
  let other = 0;
  const one = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({ client_id: CLIENT_ID, passcode, phone_number: phoneNumber(numberOffset + n), templet_id: TEMPLET_ID, contents: [{ p1: '424242' }] });
      const req = request({ host: '127.0.0.1', port, path: '/api/sms/v1/sendsms', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200) {
            ok += 1;
            const { sms_uid } = JSON.parse(Buffer.concat(chunks).toString()) as { sms_uid: string };
            if (lookup.get(sms_uid) === undefined) missing += 1;
          } else other += 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  const worker = async () => {
    while (next < count) await one(next++);
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return { ok, missing, other };
}
