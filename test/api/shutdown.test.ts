import { connect } from 'node:net';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { startTestGateway } from '../support/gateway-harness.js';

/** The store, but every insert takes a while: a send stays in flight long enough to close under it. */
function slowInserts(store: Store): Store {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key === 'insertMessages') {
        return async (...args: Parameters<Store['insertMessages']>) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          return target.insertMessages(...args);
        };
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

it('answers the send in flight at shutdown and does not wait for its keep-alive connection', async () => {
  const gw = await startTestGateway({}, { wrapStore: slowInserts });
  const passcode = await gw.addClient('c1');
  await gw.addTemplate('t1', 'code ${code}');
  const body = JSON.stringify({ client_id: 'c1', passcode, phone_number: '13800138000', templet_id: 't1', contents: [{ p1: '1' }] });
  const socket = connect(gw.port, '127.0.0.1');
  let received = '';
  socket.on('data', (chunk) => (received += chunk.toString()));
  const socketClosed = new Promise((resolve) => socket.on('close', resolve));
  // A keep-alive client that never closes its side: only the server can end the connection.
  socket.write(
    `POST /api/sms/v1/sendsms HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const startedClosing = Date.now();
  await gw.gateway.close();
  await socketClosed;

  expect(Date.now() - startedClosing).toBeLessThan(5_000); // not the 72 s keep-alive timeout
  expect(received).toMatch(/^HTTP\/1\.1 200/);
  expect(received.toLowerCase()).toContain('connection: close');
  const smsUid = /"sms_uid":"([^"]+)"/.exec(received)![1]!;
  // The answered send was committed before the store closed.
  const reopened = SqliteStore.open(join(gw.dir, 'smsgate.db'));
  expect(await reopened.getMessage(smsUid)).toMatchObject({ smsUid, status: expect.any(String) });
  await reopened.close();
  await gw.close();
});
