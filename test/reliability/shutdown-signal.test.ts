import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { postJson, requireBuild, runJson, startServe, tempDir, type ServeProcess } from '../support/cli.js';
import { QUERY, SEND } from '../support/api.js';

/**
 * SIGTERM while a submit waits for an answer that never comes (the simulator's +1 202 555 0108,
 * docs/simulator.md): the process still stops within SMSGATE_SHUTDOWN_TIMEOUT_MS, exit 0, says
 * so in a last line, and the message is queued again, not lost. Needs `npm run build`.
 */
const TIMEOUT_MS = 3_000;
const NEVER_ANSWERS = '+12025550108';
const temp = tempDir('smsgate-sigterm-');
const running: ServeProcess[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await server.stop('SIGKILL');
});
afterAll(() => temp.cleanup());

function lines(stderr: string): { msg?: string; level?: number }[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { msg?: string; level?: number });
}

for (const dispatchThread of ['on', 'off']) {
  it(`stops within the shutdown timeout with a submit unanswered, logs "stopped", loses nothing (dispatch thread ${dispatchThread})`, async () => {
    requireBuild();
    const db = join(temp.dir, `${dispatchThread}.db`);
    const { passcode } = await runJson(['client', 'add', 'c1'], { SMSGATE_DB: db });
    await runJson(['template', 'add', 't1', '--text', 'code ${code}'], { SMSGATE_DB: db });
    const env = { SMSGATE_DB: db, SMSGATE_DISPATCH_THREAD: dispatchThread, SMSGATE_SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS) };
    const server = await startServe(env);
    running.push(server);
    const send = { client_id: 'c1', passcode, templet_id: 't1', contents: [{ code: '1' }] };
    const stuck = await postJson(`${server.url}${SEND}`, { ...send, phone_number: NEVER_ANSWERS });
    const delivered = await postJson(`${server.url}${SEND}`, { ...send, phone_number: '13800138000' });
    expect([stuck.status, delivered.status]).toEqual([200, 200]);
    await new Promise((resolve) => setTimeout(resolve, 500)); // submitted, waiting for its answer

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const tookMs = Date.now() - signalled;
    const log = lines(server.stderr());
    expect(code, server.stderr().slice(-2000)).toBe(0);
    expect(tookMs).toBeLessThan(TIMEOUT_MS);
    expect(log.at(-1)?.msg, 'the last line says it stopped').toBe('stopped');
    expect(log.filter((line) => (line.level ?? 0) >= 50).map((line) => line.msg)).toEqual([]);

    const again = await startServe(env);
    running.push(again);
    const answer = await postJson(`${again.url}${QUERY}`, { client_id: 'c1', passcode, sms_uid: stuck.json.sms_uid });
    expect(answer.status).toBe(200);
    expect(answer.json.status).toBe('queuing'); // retried, never lost
    console.log(`SIGTERM with one submit unanswered (thread ${dispatchThread}): exit ${code} after ${tookMs} ms`);
  }, 40_000);
}
