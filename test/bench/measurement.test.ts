import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyThreads, cpuByRole, snapshot } from '../../bench/threads.js';
import { pinWal, walBytesBetween, walPosition } from '../../bench/wal.js';
import { profileThreadId } from '../../bench/phases/profile.js';

const linux = process.platform === 'linux';

describe('WAL bytes counted from the wal-index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'smsgate-wal-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts every frame written while a reader pins the WAL, across autocheckpoints', () => {
    const path = join(dir, 'x.db');
    const writer = new Database(path);
    writer.pragma('journal_mode = WAL');
    writer.exec('CREATE TABLE messages (x)');
    const insert = writer.prepare('INSERT INTO messages VALUES (?)');
    for (let i = 0; i < 1500; i++) insert.run(i); // past the 1,000-page autocheckpoint: the WAL restarted
    const reader = new Database(path, { readonly: true });
    const unpin = pinWal(reader);
    const before = walPosition(path);
    const sizeBefore = statSync(`${path}-wal`).size;
    for (let i = 0; i < 2500; i++) insert.run(i); // one commit each: at least one frame each
    const after = walPosition(path);
    unpin();
    expect(after.pageSize).toBe(4096);
    expect(after.frames - before.frames).toBeGreaterThanOrEqual(2500);
    // Pinned, the log only grows: its file ends right after the last frame counted.
    expect(statSync(`${path}-wal`).size).toBe(32 + after.frames * (4096 + 24));
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(sizeBefore);
    expect(walBytesBetween(before, after)).toBe((after.frames - before.frames) * 4120);
    reader.close();
    writer.close();
  });
});

/** A node process with one worker thread that does a fixed amount of work (CPU, not wall time) on request. */
const SCRIPT = `
const { Worker } = require('node:worker_threads');
setTimeout(() => {
  const w = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.on('message', (n) => { let x = 0; for (let i = 0; i < n; i++) x = (x + i * 7) % 1000003; parentPort.postMessage(x); });", { eval: true });
  w.on('message', () => process.send('done'));
  process.on('message', (ms) => w.postMessage(ms));
  w.once('online', () => process.send('ready'));
}, 300);
`;

describe.runIf(linux)('threads told apart from /proc', () => {
  let child: ChildProcess | undefined;
  afterAll(() => child?.kill('SIGKILL'));

  it('finds the worker thread and charges its CPU to it, not to the main thread', async () => {
    child = spawn(process.execPath, ['-e', SCRIPT], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    await once(child, 'message');
    const pid = child.pid!;
    const { roles, warning } = await classifyThreads(pid);
    expect(warning).toBeUndefined();
    expect([...roles.values()].filter((r) => r === 'dispatch')).toHaveLength(1);
    expect(roles.get(pid)).toBe('main');
    const before = snapshot(pid);
    child.send(100_000_000);
    await once(child, 'message');
    const cpu = cpuByRole(before, snapshot(pid), roles);
    // 1e8 rounds of arithmetic (about 0.5 s): several hundred ms of CPU on this machine, whatever its load.
    expect(cpu.dispatch).toBeGreaterThanOrEqual(100_000);
    expect(cpu.dispatch).toBeGreaterThan(0.6 * cpu.total);
    expect(cpu.main).toBeLessThan(cpu.dispatch / 4);
    expect(cpu.total).toBeGreaterThanOrEqual(cpu.dispatch - 20_000); // per-thread ticks round apart from the process total
  });
});

describe('profile files', () => {
  it("reads Node's thread id from a --cpu-prof file name", () => {
    expect(profileThreadId('CPU.20261203.124208.19780.0.001.cpuprofile')).toBe(0);
    expect(profileThreadId('CPU.20261203.124208.19780.1.002.cpuprofile')).toBe(1);
    expect(profileThreadId('Heap.20261203.124208.19780.1.002.heapprofile')).toBeUndefined();
  });
});
