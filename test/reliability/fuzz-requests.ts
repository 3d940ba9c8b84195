import { request as httpRequest, type Agent } from 'node:http';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { QUERY, SEND } from '../support/api.js';

/** One generated HTTP request, as bytes on the wire would carry it. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Sent in two chunks (Transfer-Encoding: chunked) rather than with a Content-Length. */
  readonly chunked: boolean;
  /** What the generator meant, for reading a failure. */
  readonly note: string;
}

/** The credentials and ids the generated requests may (and often do) get right. */
export interface FuzzTarget {
  readonly clientId: string;
  readonly passcode: string;
  readonly templetIds: readonly string[];
  readonly smsUid: string;
}

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const controlCharacter = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));

/** Strings of every kind: short and huge, controls, NUL, lone surrogates, any code point. */
const nastyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 20 }), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 5 },
  { arbitrary: fc.string({ unit: fc.oneof(loneSurrogate, controlCharacter, fc.constantFrom('\u0000', '\u2028', '\ufeff', '\u202e', '"', '\\', '$', '{', '}')), maxLength: 20 }), weight: 5 },
  { arbitrary: fc.integer({ min: 0, max: 200 }).map((n) => 'x'.repeat(n)), weight: 5 },
  { arbitrary: fc.integer({ min: 200, max: 20_000 }).map((n) => 'x'.repeat(n)), weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', 'null', 'undefined', '__proto__', 'constructor', 'toString', '${p1}', '{}', '[]', '[{"p1":"1"}]', '0', '-1'), weight: 5 },
);

const nastyNumber = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, -1e-320),
);

/** Raw JSON number texts JSON.stringify would never write. */
const hugeNumberText = fc.constantFrom('1e309', '-1e309', '123456789012345678901234567890123456789', '0.0000000000000000000000001', '1E+2', '-0');

const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3, withObjectString: true, withNullPrototype: true, withBoxedValues: false }),
  nastyString,
  nastyNumber,
  fc.constant(null),
);

/** Every shape of phone number: valid, nearly valid, formatted, foreign digits, letters, huge. */
function phoneNumber(): fc.Arbitrary<unknown> {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  return fc.oneof(
    { arbitrary: digits(11, 11).map((d) => `138${d.slice(3)}`), weight: 4 },
    digits(0, 40),
    digits(6, 15).map((d) => `+${d}`),
    fc.constantFrom('+86 138 0013 8000', '(138) 0013-8000', '+1 (415) 555-0123', '+44 20 7946 0958', 'tel:+8613800138000', '+86-138-0013-8000 ext. 12',
      '１３８００１３８０００', '١٣٨٠٠١٣٨٠٠٠', '+8613800138000\u0000', ' 13800138000 ', '13800138000\n', '+', '++8613800138000', '0086 13800138000', '911', '112', '+999999999999999'),
    nastyString,
    anyJson,
  );
}

/** Every shape of `contents`: the document's array, an object, a string of JSON, and nonsense. */
function contents(): fc.Arbitrary<unknown> {
  const value = fc.oneof(nastyString, nastyNumber, fc.constant(null), fc.boolean(), anyJson);
  const key = fc.oneof(fc.constantFrom('p1', 'p2', 'p3', 'code', 'p0', 'p01', '__proto__', 'constructor', 'prototype', 'hasOwnProperty'), nastyString);
  const flat = fc.dictionary(key, value, { maxKeys: 5 });
  return fc.oneof(
    { arbitrary: fc.record({ p1: fc.stringMatching(/^[0-9]{4,6}$/) }).map((o) => [o]), weight: 4 },
    fc.array(flat, { maxLength: 4 }),
    flat,
    fc.array(flat, { maxLength: 3 }).map((a) => JSON.stringify(a)),
    flat.map((o) => JSON.stringify(o)),
    fc.integer({ min: 1, max: 3000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
    fc.integer({ min: 1, max: 200 }).map((n) => Array.from({ length: n }, (_, i) => ({ [`p${i + 1}`]: String(i) }))),
    anyJson,
  );
}

/** A field: usually right, else of any type at all. */
const field = (right: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: right, weight: 16 }, anyJson, nastyString);

function bodyObject(target: FuzzTarget, endpoint: 'send' | 'query'): fc.Arbitrary<Record<string, unknown>> {
  const clientId = field(fc.constant(target.clientId));
  const passcode = field(fc.oneof({ arbitrary: fc.constant(target.passcode), weight: 4 }, fc.constant(target.passcode.toLowerCase())));
  const model: Record<string, fc.Arbitrary<unknown>> =
    endpoint === 'send'
      ? { client_id: clientId, passcode, phone_number: phoneNumber(), templet_id: field(fc.constantFrom(...target.templetIds, 'nope')), contents: contents() }
      : { client_id: clientId, passcode, sms_uid: field(fc.oneof(fc.constant(target.smsUid), fc.uuid())) };
  const extra = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'extra'), nastyString), anyJson, { maxKeys: 3 });
  const dropped = fc.oneof({ arbitrary: fc.constant(undefined), weight: 8 }, fc.constantFrom(...Object.keys(model)));
  const noExtra = fc.constant({});
  return fc
    .tuple(fc.record(model, { requiredKeys: Object.keys(model) }), fc.oneof({ arbitrary: noExtra, weight: 3 }, extra), dropped, fc.boolean())
    .map(([fields, more, drop, extraFirst]) => {
      const body: Record<string, unknown> = extraFirst ? { ...more, ...fields } : { ...fields, ...more };
      if (drop !== undefined) delete body[drop];
      return body;
    });
}

/** The JSON text of an object, sometimes with keys repeated, `__proto__` written literally, or a huge number spliced in. */
function bodyText(target: FuzzTarget, endpoint: 'send' | 'query'): fc.Arbitrary<{ text: string; note: string }> {
  return fc.oneof(
    { arbitrary: bodyObject(target, endpoint).map((o) => ({ text: JSON.stringify(o), note: 'object' })), weight: 20 },
    fc.tuple(bodyObject(target, endpoint), fc.constantFrom('client_id', 'passcode', 'phone_number', 'contents', 'sms_uid'), anyJson).map(([o, key, value]) => ({
      text: `${JSON.stringify(o).slice(0, -1)}${Object.keys(o).length ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}}`,
      note: `duplicate key ${key}`,
    })),
    fc.tuple(bodyObject(target, endpoint), anyJson).map(([o, value]) => ({
      text: `{"__proto__":${JSON.stringify(value) ?? 'null'},${JSON.stringify(o).slice(1)}`.replace(',}', '}'),
      note: 'literal __proto__ key',
    })),
    fc.tuple(bodyObject(target, endpoint), fc.constantFrom('phone_number', 'client_id', 'contents', 'sms_uid'), hugeNumberText).map(([o, key, number]) => ({
      text: `${JSON.stringify({ ...o, [key]: 0 }).replace(`"${key}":0`, `"${key}":${number}`)}`,
      note: `raw number ${number} in ${key}`,
    })),
    fc.integer({ min: 1, max: 100_000 }).map((depth) => ({ text: `{"contents":${'['.repeat(depth)}${']'.repeat(depth)}}`, note: `nesting ${depth}` })),
    anyJson.map((v) => ({ text: JSON.stringify(v) ?? '', note: 'any JSON' })),
    fc.string({ unit: 'binary', maxLength: 200 }).map((text) => ({ text, note: 'any text' })),
    fc.constantFrom('', '{', '}', 'null', '[]', '"x"', '{"a":}', '{\'a\':1}', '{"a":1,}', '\ufeff{}', '{"client_id":"a"}garbage', 'NaN', '{"a":NaN}').map((text) => ({ text, note: 'broken JSON' })),
  );
}

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, encoded surrogates, cut sequences. */
const invalidUtf8 = fc.constantFrom([0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x00]);

/** A right send but for one code value holding a lone surrogate, a control character or bytes that are not UTF-8. */
function badTextInValue(target: FuzzTarget): fc.Arbitrary<{ body: Buffer; note: string }> {
  const right = (value: string) =>
    JSON.stringify({ client_id: target.clientId, passcode: target.passcode, phone_number: '13800138000', templet_id: 't1', contents: [{ p1: value }] });
  return fc.oneof(
    fc.tuple(fc.oneof(loneSurrogate, controlCharacter), fc.boolean()).map(([odd, asString]) => {
      const text = asString ? right(`12${odd}34`) : right(`12${odd}34`).replace(/"contents":(\[.*\])/, (_m, array: string) => `"contents":${JSON.stringify(array)}`);
      return { body: Buffer.from(text, 'utf8'), note: `code with U+${odd.charCodeAt(0).toString(16)}${asString ? '' : ' in contents given as a string'}` };
    }),
    invalidUtf8.map((bad) => {
      const [before, after] = right('12@34').split('@') as [string, string];
      return { body: Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]), note: `code with bytes ${Buffer.from(bad).toString('hex')}` };
    }),
  );
}

function bodyBytes(target: FuzzTarget, endpoint: 'send' | 'query'): fc.Arbitrary<{ body: Buffer; note: string }> {
  return fc.oneof(
    ...(endpoint === 'send' ? [badTextInValue(target)] : []),
    { arbitrary: bodyText(target, endpoint).map(({ text, note }) => ({ body: Buffer.from(text, 'utf8'), note })), weight: 20 },
    fc.tuple(bodyText(target, endpoint), invalidUtf8, fc.nat()).map(([{ text, note }, bad, at]) => {
      const bytes = Buffer.from(text, 'utf8');
      const cut = bytes.length === 0 ? 0 : at % bytes.length;
      return { body: Buffer.concat([bytes.subarray(0, cut), Buffer.from(bad), bytes.subarray(cut)]), note: `${note}, invalid UTF-8 at ${cut}` };
    }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ body: Buffer.from(bytes), note: 'random bytes' })),
    fc.integer({ min: 16 * 1024 - 64, max: 64 * 1024 }).map((n) => ({ body: Buffer.from(`{"contents":"${'x'.repeat(n)}"}`), note: `${n}-byte string` })),
  );
}

const METHODS = ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'PURGE', 'LOCK', 'REPORT'];

/** Paths near the two endpoints, and far from them. */
function path(endpoint: 'send' | 'query'): fc.Arbitrary<string> {
  const base = endpoint === 'send' ? SEND : QUERY;
  return fc
    .oneof(
      { arbitrary: fc.constant((p: string) => p), weight: 30 },
      fc.constantFrom(
        (p: string) => `${p}/`,
        (p: string) => p.toUpperCase(),
        (p: string) => `${p}?a=1&a=2`,
        (p: string) => `${p}?client_id=x`,
        (p: string) => `/${p}`,
        (p: string) => p.replace('/v1/', '/v1/../v1/'),
        (p: string) => p.replace('sms', 's%6Ds'),
        (p: string) => `${p}%00`,
        (p: string) => `${p};x`,
        (p: string) => `${p}/extra`,
        (p: string) => p.replace('v1', 'v2'),
        () => '/',
        () => '/api',
        () => '/api/sms/v1/',
        () => '*',
        () => '/favicon.ico',
        () => `/${'a/'.repeat(500)}`,
        () => `/api/sms/v1/sendsms?${'x'.repeat(4000)}`,
        // Malformed percent-encoding: the router cannot decode it; still our 400.
        (p: string) => `${p}%`,
        () => '/%zz',
      ),
      fc.webPath().map((w) => () => w || '/'),
    )
    .map((change) => change(base));
}

const CONTENT_TYPES = [
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/*',
  '*/*',
  'json',
  ';',
  'application/json; =',
  'a'.repeat(1000),
];
const CONTENT_ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'compress', 'x', 'gzip, gzip', 'zstd'];

/** One request of any kind: the method, path, headers and body vary together. */
export function fuzzRequest(target: FuzzTarget): fc.Arbitrary<FuzzRequest> {
  // Built once per endpoint: building fast-check arbitraries costs far more than drawing from them.
  return fc.oneof(requestTo(target, 'send'), requestTo(target, 'query'));
}

function requestTo(target: FuzzTarget, endpoint: 'send' | 'query'): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      path: path(endpoint),
      method: fc.oneof({ arbitrary: fc.constant('POST'), weight: 12 }, fc.constantFrom(...METHODS)),
      contentType: fc.oneof({ arbitrary: fc.constant('application/json'), weight: 10 }, fc.constantFrom(...CONTENT_TYPES, null)),
      encoding: fc.oneof({ arbitrary: fc.constant(undefined), weight: 10 }, fc.constantFrom(...CONTENT_ENCODINGS)),
      gzipIt: fc.boolean(),
      chunked: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, fc.constant(true)),
      expectContinue: fc.oneof({ arbitrary: fc.constant(false), weight: 10 }, fc.constant(true)),
      accept: fc.oneof({ arbitrary: fc.constant(undefined), weight: 5 }, fc.constantFrom('application/json', 'text/html', 'application/xml;q=0', '*/*')),
      payload: bodyBytes(target, endpoint),
    })
    .map(({ path: p, method, contentType, encoding, gzipIt, chunked, expectContinue, accept, payload }) => {
      const headers: Record<string, string> = {};
      if (contentType !== null) headers['content-type'] = contentType;
      if (accept !== undefined) headers.accept = accept;
      if (expectContinue) headers.expect = '100-continue';
      let body = payload.body;
      let note = payload.note;
      if (encoding !== undefined) {
        headers['content-encoding'] = encoding;
        if (encoding === 'gzip' && gzipIt) {
          body = gzipSync(body);
          note += ', gzipped';
        }
      }
      return { method, path: p, headers, body, chunked, note };
    });
}

/** What came back, reduced to what the properties look at. */
export interface FuzzAnswer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

/** Sends one request over a keep-alive agent; rejects after `timeoutMs` (a hang). */
export function sendFuzzRequest(port: number, agent: Agent, request: FuzzRequest, timeoutMs = 5_000): Promise<FuzzAnswer> {
  return new Promise((resolve, reject) => {
    const framing = request.chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(request.body.length) };
    const req = httpRequest({ host: '127.0.0.1', port, agent, method: request.method, path: request.path, headers: { ...request.headers, ...framing } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms (a hang)`)));
    req.on('error', reject);
    if (request.chunked) {
      const half = Math.floor(request.body.length / 2);
      req.write(request.body.subarray(0, half));
      req.end(request.body.subarray(half));
    } else req.end(request.body);
  });
}

/** Why an answer breaks the contract, or undefined when it keeps it. */
export function contractViolation(request: FuzzRequest, answer: FuzzAnswer): string | undefined {
  const { status } = answer;
  if (status >= 500) return `a ${status}`;
  if (status !== 200 && (status < 400 || status > 499)) return `status ${status} is neither 200 nor a 4xx`;
  if (request.method === 'HEAD') return answer.text === '' ? undefined : 'HEAD answered with a body';
  if (!answer.contentType?.startsWith('application/json')) return `content-type ${answer.contentType}`;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return 'the body is not JSON';
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not a JSON object';
  const keys = Object.keys(body).sort().join(',');
  if (status === 200) {
    if (keys !== 'error_code,sms_uid,status' || typeof body.sms_uid !== 'string' || typeof body.status !== 'string') return `a 200 shaped ${keys}`;
    return notAcceptable(request);
  }
  if (keys !== 'error_code,error_message') return `a ${status} shaped ${keys}`;
  if (body.error_code !== String(status)) return `error_code ${body.error_code} under status ${status}`;
  if (typeof body.error_message !== 'string' || body.error_message === '') return 'an empty error_message';
  return undefined;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });
/** A UTF-16 code unit of a surrogate pair standing alone: not a character, so not something to send. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why a request that got a 200 should not have: its bytes are not UTF-8 (JSON must be, and the
 * decoder would put U+FFFD into the message in their place), or its contents carry a lone
 * surrogate. Both would reach the phone as text the caller never sent.
 */
function notAcceptable(request: FuzzRequest): string | undefined {
  let text: string;
  try {
    text = STRICT_UTF8.decode(request.body);
  } catch {
    return 'a 200 for a body that is not UTF-8';
  }
  const body = JSON.parse(text) as { contents?: unknown };
  if (request.path.startsWith(SEND) && messageStrings(body.contents).some((value) => LONE_SURROGATE.test(value))) {
    return 'a 200 for contents with a lone surrogate';
  }
  return undefined;
}

/** The strings of `contents` that can end up in the message (a string of contents is its JSON). */
function messageStrings(contents: unknown): string[] {
  const strings: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') strings.push(value);
    else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collect(item);
  };
  if (typeof contents === 'string') {
    try {
      collect(JSON.parse(contents));
    } catch {
      // Not JSON: the server says 400, and a 200 is caught by the shape checks.
    }
  } else collect(contents);
  return strings;
}

/** "a 200 …": the request as a reader can replay it. */
export function describeRequest(request: FuzzRequest): string {
  const body = request.body.length > 300 ? `${request.body.subarray(0, 300).toString('utf8')}… (${request.body.length} bytes)` : request.body.toString('utf8');
  return `${request.method} ${request.path.slice(0, 200)} ${JSON.stringify(request.headers)}${request.chunked ? ' chunked' : ''} [${request.note}] ${JSON.stringify(body)}`;
}
