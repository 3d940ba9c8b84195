import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** Everything the server wrote before it closed (or before `waitMs` ran out). */
  readonly text: string;
  readonly status: number | undefined;
  readonly headers: Record<string, string>;
  readonly json: any;
  /** Whether the server closed the connection. */
  readonly closed: boolean;
  readonly elapsedMs: number;
}

export function parseAnswer(text: string, closed: boolean, elapsedMs: number): RawAnswer {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { text, status: status === undefined ? undefined : Number(status), headers, json, closed, elapsedMs };
}

/** How many whole responses (head and Content-Length body) `text` holds. */
function completeResponses(text: string): number {
  let count = 0;
  let rest = text;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) return count;
    const length = Number(/content-length: *(\d+)/i.exec(rest.slice(0, end))?.[1] ?? 0);
    if (rest.length < end + 4 + length) return count;
    count += 1;
    rest = rest.slice(end + 4 + length);
  }
}

/**
 * Writes `chunks` to a fresh TCP connection (a number: wait that many ms first), optionally
 * half-closes, and collects what comes back until the server closes, `responses` whole responses are in (when
 * given), or `waitMs` passes.
 */
export function rawExchange(
  port: number,
  chunks: readonly (string | number)[],
  options: { end?: boolean; waitMs?: number; responses?: number } = {},
): Promise<RawAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let settled = false;
    const finish = (closed: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(text, closed, Date.now() - started));
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 3000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (options.responses !== undefined && completeResponses(text) >= options.responses) finish(false);
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    void (async () => {
      for (const chunk of chunks) {
        if (typeof chunk === 'number') await new Promise((r) => setTimeout(r, chunk));
        else if (!socket.destroyed) socket.write(chunk);
      }
      if (options.end && !socket.destroyed) socket.end();
    })();
  });
}

/** A request as bytes; `contentLength` may lie about the body. */
export function requestText(method: string, path: string, body = '', headers: readonly string[] = [], contentLength = Buffer.byteLength(body)): string {
  return [`${method} ${path} HTTP/1.1`, 'Host: localhost', ...headers, `Content-Length: ${contentLength}`, '', body].join('\r\n');
}
