import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';

/**
 * The ceiling: a bare node:http server that reads the JSON body, parses it and answers the
 * sendsms shape, storing nothing. Run as a child process; reports its port over IPC.
 */
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    let status = 200;
    let body: string;
    try {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { phone_number?: unknown };
      if (typeof parsed.phone_number !== 'string') throw new Error('phone_number');
      body = JSON.stringify({ sms_uid: randomUUID(), status: 'queuing', error_code: '0' });
    } catch {
      status = 400;
      body = JSON.stringify({ error_code: '400', error_message: 'bad request' });
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
