import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERCENTILES, type LoadGenerator, type LoadResult, type LoadSpec } from './types.js';

const THREADS = 2;
/** Numbers each wrk thread may use per second of run: well above what one thread can send. */
const NUMBERS_PER_THREAD_S = 250_000;

// Shared Lua: thread ids from setup(), a done() that prints one JSON line with the percentile grid.
const COMMON = `
local next_tid = 0
function setup(thread) thread:set("tid", next_tid); next_tid = next_tid + 1 end
local PCTS = { ${PERCENTILES.join(', ')} }
function done(s, latency, requests)
  local q = {}
  for i, p in ipairs(PCTS) do
    local v = latency:percentile(p)
    if p == 0 then v = latency.min elseif p == 100 then v = latency.max end
    q[i] = string.format("[%s,%d]", tostring(p), v)
  end
  io.write(string.format('BENCHJSON {"requests":%d,"duration_us":%d,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"max_us":%d,"q":[%s]}\\n',
    s.requests, s.duration, s.errors.status, s.errors.connect, s.errors.read, s.errors.write, s.errors.timeout, latency.max, table.concat(q, ",")))
end
`;

// args: offset, per-thread stride, client_id, passcode, templet_id, delay ms
const SEND = `
local counter, base, delay_ms = 0, 0, 0
local prefix, suffix
function init(args)
  base = tonumber(args[1]) + tid * tonumber(args[2])
  delay_ms = tonumber(args[6])
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  prefix = '{"client_id":"' .. args[3] .. '","passcode":"' .. args[4] .. '","phone_number":"+86138'
  suffix = '","templet_id":"' .. args[5] .. '","contents":[{"p1":"'
end
function request()
  local n = base + counter
  counter = counter + 1
  return wrk.format(nil, nil, nil, prefix .. string.format("%08d", n % 100000000) .. suffix .. string.format("%06d", (n * 7919) % 1000000) .. '"}]}')
end
`;

// args: uids file, client_id, passcode, delay ms
const QUERY = `
local uids, counter, delay_ms = {}, 0, 0
local prefix
function init(args)
  for line in io.lines(args[1]) do if #line > 0 then uids[#uids + 1] = line end end
  delay_ms = tonumber(args[4])
  counter = tid * 7777
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  prefix = '{"client_id":"' .. args[2] .. '","passcode":"' .. args[3] .. '","sms_uid":"'
end
function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, prefix .. uids[(counter * 104729) % #uids + 1] .. '"}')
end
`;

const DELAY = `function delay() return delay_ms end\n`;

export class WrkGenerator implements LoadGenerator {
  readonly name = 'wrk';
  private readonly scripts = new Map<string, string>();

  /** `dir`: where the Lua scripts go (the run's temporary folder). */
  constructor(private readonly binary: string, private readonly dir: string) {}

  numbersUsed(spec: LoadSpec): number {
    return THREADS * this.stride(spec);
  }

  private stride(spec: LoadSpec): number {
    return Math.ceil(spec.durationS) * NUMBERS_PER_THREAD_S;
  }

  private script(kind: 'send' | 'query', paced: boolean): string {
    const key = `${kind}-${paced}`;
    let path = this.scripts.get(key);
    if (!path) {
      path = join(this.dir, `${key}.lua`);
      writeFileSync(path, COMMON + (kind === 'send' ? SEND : QUERY) + (paced ? DELAY : ''));
      this.scripts.set(key, path);
    }
    return path;
  }

  run(spec: LoadSpec): Promise<LoadResult> {
    const b = spec.body;
    if (b.kind === 'send' && b.numberOffset + this.numbersUsed(spec) > 100_000_000) {
      // Past 10^8 the numbers would repeat and meet the per-number limit (429).
      return Promise.reject(new Error('out of distinct phone numbers (+86138 and 8 digits)'));
    }
    const delay = String(spec.delayMs ?? 0);
    const scriptArgs =
      b.kind === 'send'
        ? [String(b.numberOffset), String(this.stride(spec)), b.clientId, b.passcode, b.templetId, delay]
        : [b.uidsFile, b.clientId, b.passcode, delay];
    const args = [
      '-t', String(Math.min(THREADS, spec.connections)),
      '-c', String(spec.connections),
      '-d', `${spec.durationS}s`,
      '--timeout', '10s',
      '-s', this.script(b.kind, (spec.delayMs ?? 0) > 0),
      spec.url, '--', ...scriptArgs,
    ];
    return new Promise((resolve, reject) => {
      execFile(this.binary, args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
        const line = stdout.split('\n').find((l) => l.startsWith('BENCHJSON '));
        if (!line) return reject(new Error(`wrk gave no result${error ? `: ${error.message}` : ''}\n${stderr}${stdout}`));
        const r = JSON.parse(line.slice('BENCHJSON '.length)) as {
          requests: number; duration_us: number; status: number; connect: number; read: number; write: number; timeout: number; max_us: number; q: [number, number][];
        };
        resolve({
          requests: r.requests,
          ok: r.requests - r.status,
          socketErrors: r.connect + r.read + r.write + r.timeout,
          durationS: r.duration_us / 1e6,
          quantiles: r.requests > 0 ? r.q.map(([p, us]) => [p, us / 1000] as const) : [],
          maxMs: r.max_us / 1000,
        });
      });
    });
  }
}
