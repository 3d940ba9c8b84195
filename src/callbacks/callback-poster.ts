import type { LookupFunction } from 'node:net';
import { Pool } from 'undici';

/** How much of a receiver's answer is read: enough to end the exchange cleanly, no more. */
export const ANSWER_READ_LIMIT_BYTES = 64 * 1024;

/** How one request went: acknowledged (any 2xx), or failed with a reason fit for a log and the failure list. */
export type PostOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export interface CallbackPost {
  readonly url: URL;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** Aborts the request (the timeout, or a shutdown). */
  readonly signal: AbortSignal;
}

/**
 * POSTs callbacks over one keep-alive undici Pool per URL, of at most `connections` connections
 * (the sender keeps its in-flight requests per URL within the same number). Redirects are not
 * followed: a 3xx is an answer other than 2xx, so a failure.
 */
export class CallbackPoster {
  private readonly pools = new Map<string, Pool>();

  constructor(
    private readonly options: {
      readonly connections: number;
      readonly timeoutMs: number;
      /** How a connection resolves the host (the guard against private addresses); the system's when absent. */
      readonly lookup?: LookupFunction;
    },
  ) {}

  async post({ url, body, headers, signal }: CallbackPost): Promise<PostOutcome> {
    try {
      const answer = await this.poolFor(url).request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/json', 'user-agent': 'smsgate-callbacks', ...headers },
        body,
        signal,
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
      });
      await drainAtMost(answer.body, ANSWER_READ_LIMIT_BYTES);
      const { statusCode } = answer;
      return statusCode >= 200 && statusCode < 300 ? { ok: true } : { ok: false, reason: `HTTP ${statusCode}` };
    } catch (error) {
      return { ok: false, reason: describeFailure(error, signal) };
    }
  }

  /** Closes every pool: the connections of requests still running are cut. */
  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => {})));
  }

  private poolFor(url: URL): Pool {
    // Keyed by the whole URL, not the origin: two clients' URLs on one host each get their own slots.
    let pool = this.pools.get(url.href);
    if (!pool) {
      pool = new Pool(url.origin, {
        connections: this.options.connections,
        pipelining: 1,
        connect: { timeout: this.options.timeoutMs, ...(this.options.lookup ? { lookup: this.options.lookup } : {}) },
      });
      this.pools.set(url.href, pool);
    }
    return pool;
  }
}

/** Reads a body up to `limit` bytes, then drops the rest (the connection with it, if it was that long). */
async function drainAtMost(body: AsyncIterable<Buffer> & { destroy(): unknown }, limit: number): Promise<void> {
  let read = 0;
  try {
    for await (const chunk of body) {
      read += chunk.length;
      if (read > limit) break; // leaving the loop destroys the stream
    }
  } catch {
    // The answer's status is in; a body cut short does not change it.
  }
}

/** A short reason, without anything the URL carries beyond its origin (a path may hold a token). */
function describeFailure(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) return signal.reason instanceof Error && signal.reason.name === 'TimeoutError' ? 'timeout' : 'aborted';
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return 'timeout';
  if (typeof code === 'string') return code; // ECONNREFUSED, ECONNRESET, ENOTFOUND, UND_ERR_SOCKET, ...
  return typeof name === 'string' ? name : 'request failed';
}
