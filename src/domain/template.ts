import { GatewayError } from './errors.js';

/** `${name}`: a placeholder in a template body. */
const PLACEHOLDER = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;
const POSITIONAL_KEY = /^p([1-9][0-9]*)$/;
// C0 and C1 control characters, DEL included (Unicode's Cc: U+0000-001F, U+007F-009F): they
// have no place in a short message value.
const CONTROL_CHARACTER = /\p{Cc}/u;
// Half of a UTF-16 surrogate pair standing alone (JSON can write one as "\ud800"): not a character,
// so no encoding can carry it to a phone.
const LONE_SURROGATE = /\p{Cs}/u;

export const MAX_VALUE_LENGTH = 64;
export const MAX_TEMPLATE_LENGTH = 1000;
const TEMPLATE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

export interface Template {
  readonly templetId: string;
  readonly body: string;
  /** null: any client may use it. */
  readonly clientId: string | null;
}

/** The distinct placeholder names of a body, in order of first appearance. */
export function placeholderNames(body: string): string[] {
  const names: string[] = [];
  for (const match of body.matchAll(PLACEHOLDER)) {
    const name = match[1]!;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Checks a template before it is stored; throws INVALID_REQUEST naming the problem. */
export function validateTemplateDefinition(templetId: string, body: string): void {
  if (!TEMPLATE_ID.test(templetId)) {
    throw new GatewayError('INVALID_REQUEST', 'templet_id must be 1-64 characters of letters, digits, _ . : -');
  }
  if (body.trim() === '') throw new GatewayError('INVALID_REQUEST', 'template text must not be empty');
  if ([...body].length > MAX_TEMPLATE_LENGTH) {
    throw new GatewayError('INVALID_REQUEST', `template text is longer than ${MAX_TEMPLATE_LENGTH} characters`);
  }
  const stray = body.replace(PLACEHOLDER, '').indexOf('${');
  if (stray !== -1) {
    throw new GatewayError('INVALID_REQUEST', 'template text has a "${" that is not a placeholder like ${name}');
  }
}

function invalid(message: string): GatewayError {
  return new GatewayError('INVALID_CONTENTS', message);
}

/**
 * Turns the `contents` field into one flat key/value object. Accepted forms: the document's
 * `[{"p1":"8888"}]` (objects merged), a single object, or a string holding either as JSON.
 */
export function flattenContents(contents: unknown): Record<string, unknown> {
  let value = contents;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw invalid('contents must be JSON: an array of objects like [{"p1":"8888"}] or an object');
    }
  }
  const objects = Array.isArray(value) ? value : [value];
  // No prototype: a key "__proto__" is a key like any other (an unknown key, or a placeholder's name).
  const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const item of objects) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalid('contents must be an array of objects like [{"p1":"8888"}] or an object');
    }
    for (const [key, entry] of Object.entries(item as Record<string, unknown>)) {
      if (Object.hasOwn(merged, key)) throw invalid(`contents gives "${key}" more than once`);
      merged[key] = entry;
    }
  }
  return merged;
}

function valueText(key: string, value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else throw invalid(`contents value of "${key}" must be a string or a number`);
  // Code points are never more than UTF-16 units: only a long string needs counting.
  if (text.length > MAX_VALUE_LENGTH && [...text].length > MAX_VALUE_LENGTH) {
    throw invalid(`contents value of "${key}" is longer than ${MAX_VALUE_LENGTH} characters`);
  }
  if (CONTROL_CHARACTER.test(text)) throw invalid(`contents value of "${key}" contains control characters`);
  if (LONE_SURROGATE.test(text)) throw invalid(`contents value of "${key}" contains a lone surrogate, which is not a character`);
  return text;
}

/**
 * Resolves each placeholder's value from the contents. A key names a placeholder by its own
 * name, or as `pN`, the N-th distinct placeholder in order of first appearance.
 */
function resolveNamed(names: readonly string[], contents: unknown): Map<string, string> {
  const values = new Map<string, string>();
  const merged = flattenContents(contents);
  for (const key in merged) {
    const raw = merged[key];
    let name: string | undefined;
    if (names.includes(key)) name = key;
    else {
      const positional = POSITIONAL_KEY.exec(key);
      if (positional) name = names[Number(positional[1]) - 1];
    }
    if (name === undefined) throw invalid(`contents has "${key}", which the template does not use`);
    if (values.has(name)) throw invalid(`contents gives the placeholder "${name}" more than once`);
    values.set(name, valueText(key, raw));
  }
  if (values.size < names.length) {
    const missing = names.filter((name) => !values.has(name));
    const hint = missing.map((name) => `"p${names.indexOf(name) + 1}" or "${name}"`).join(', ');
    throw invalid(`contents is missing a value for ${hint}`);
  }
  return values;
}

/** A template with its body split once at its placeholders, so that a send only joins pieces. */
export interface CompiledTemplate extends Template {
  /** The message text for these contents; throws INVALID_CONTENTS when they do not fit. */
  render(contents: unknown): string;
}

export function compileTemplate(template: Template): CompiledTemplate {
  const { body } = template;
  const names = placeholderNames(body);
  const literals: string[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const match of body.matchAll(PLACEHOLDER)) {
    literals.push(body.slice(last, match.index));
    slots.push(match[1]!);
    last = match.index + match[0].length;
  }
  const tail = body.slice(last);
  return {
    templetId: template.templetId,
    body,
    clientId: template.clientId,
    render: (contents) => {
      const values = resolveNamed(names, contents);
      let text = '';
      for (let i = 0; i < slots.length; i++) text += literals[i]! + values.get(slots[i]!)!;
      return text + tail;
    },
  };
}
