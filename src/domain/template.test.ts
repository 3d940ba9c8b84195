import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors.js';
import { MAX_VALUE_LENGTH, compileTemplate, flattenContents, placeholderNames, validateTemplateDefinition } from './template.js';

/** The message text of a template body for these contents, as a send renders it. */
function renderTemplate(body: string, contents: unknown): string {
  return compileTemplate({ templetId: '', body, clientId: null }).render(contents);
}

const T1 = 'Dear Member , your auth code is ${code}. The code will expire in 60 seconds. Have a good time! [Cookpad]';

function contentsError(body: string, contents: unknown): GatewayError {
  try {
    renderTemplate(body, contents);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }
  throw new Error('expected renderTemplate to throw');
}

describe('placeholders', () => {
  it('lists distinct names in order of first appearance', () => {
    expect(placeholderNames('${b} ${a} ${b} ${c_1}')).toEqual(['b', 'a', 'c_1']);
    expect(placeholderNames('no placeholders')).toEqual([]);
    expect(placeholderNames('$code {code} ${1x}')).toEqual([]);
  });
});

describe('renderTemplate: the accepted forms of contents', () => {
  it("renders the document's sample: [{\"p1\":\"8888\"}]", () => {
    expect(renderTemplate(T1, [{ p1: '8888' }])).toBe(
      'Dear Member , your auth code is 8888. The code will expire in 60 seconds. Have a good time! [Cookpad]',
    );
  });

  it('pN is the N-th distinct placeholder in order of first appearance', () => {
    expect(renderTemplate('${b}-${a}-${b}', [{ p1: 'B', p2: 'A' }])).toBe('B-A-B');
  });

  it('accepts a placeholder by its own name', () => {
    expect(renderTemplate('${b}-${a}', [{ a: 'A', b: 'B' }])).toBe('B-A');
  });

  it('merges the objects of the array', () => {
    expect(renderTemplate('${a} ${b}', [{ p1: 'x' }, { b: 'y' }])).toBe('x y');
  });

  it('accepts a single object', () => {
    expect(renderTemplate('${a} ${b}', { a: 'x', p2: 'y' })).toBe('x y');
  });

  it('accepts a string holding the JSON (array or object)', () => {
    expect(renderTemplate(T1, '[{"p1":"8888"}]')).toContain('auth code is 8888.');
    expect(renderTemplate(T1, '{"code":"8888"}')).toContain('auth code is 8888.');
  });

  it('accepts numbers and writes them as decimal text', () => {
    expect(renderTemplate('${a}', [{ p1: 8888 }])).toBe('8888');
    expect(renderTemplate('${a}', [{ p1: 1.5 }])).toBe('1.5');
  });

  it('takes no contents for a template without placeholders', () => {
    expect(renderTemplate('hello', [])).toBe('hello');
    expect(renderTemplate('hello', {})).toBe('hello');
  });

  it('inserts values literally: ${x}, $& and $1 in a value are not expanded', () => {
    expect(renderTemplate('${a} ${b}', { a: '${b}', b: 'B' })).toBe('${b} B');
    expect(renderTemplate('[${a}]', { a: "$& $1 $' $`" })).toBe("[$& $1 $' $`]");
  });

  it('accepts a value of exactly the maximum length, in characters (not UTF-16 units)', () => {
    expect(renderTemplate('${a}', { a: 'x'.repeat(MAX_VALUE_LENGTH) })).toHaveLength(MAX_VALUE_LENGTH);
    expect(renderTemplate('${a}', { a: '😀'.repeat(MAX_VALUE_LENGTH) })).toBe('😀'.repeat(MAX_VALUE_LENGTH));
  });
});

describe('renderTemplate: invalid contents are INVALID_CONTENTS (HTTP 400)', () => {
  const cases: [string, string, unknown, RegExp][] = [
    ['a missing value', '${a} ${b}', [{ p1: 'x' }], /missing a value for "p2" or "b"/],
    ['an unknown key', '${a}', [{ p1: 'x', p2: 'y' }], /"p2", which the template does not use/],
    ['an unknown named key', '${a}', { a: 'x', zzz: 'y' }, /"zzz"/],
    ['p0', '${a}', { a: 'x', p0: 'y' }, /"p0"/],
    ['a key given twice across objects', '${a}', [{ p1: 'x' }, { p1: 'y' }], /more than once/],
    ['one placeholder given by pN and by name', '${a}', { p1: 'x', a: 'y' }, /more than once/],
    ['a boolean value', '${a}', { a: true }, /must be a string or a number/],
    ['a null value', '${a}', { a: null }, /must be a string or a number/],
    ['an object value', '${a}', { a: { x: 1 } }, /must be a string or a number/],
    ['an array value', '${a}', { a: ['1'] }, /must be a string or a number/],
    ['a non-finite number', '${a}', { a: Number.NaN }, /must be a string or a number/],
    ['a value over 64 characters', '${a}', { a: 'x'.repeat(MAX_VALUE_LENGTH + 1) }, /longer than 64/],
    ['a newline', '${a}', { a: 'x\ny' }, /control characters/],
    ['a NUL', '${a}', { a: 'x\u0000' }, /control characters/],
    ['DEL', '${a}', { a: 'x\u007f' }, /control characters/],
    ['a C1 control', '${a}', { a: 'x\u0085' }, /control characters/],
    ['a lone high surrogate', '${a}', { a: '12\ud800' }, /lone surrogate/],
    ['a lone low surrogate in contents given as JSON text', '${a}', '[{"p1":"\\udc00 34"}]', /lone surrogate/],
    ['a string that is not JSON', '${a}', 'p1=8888', /must be JSON/],
    ['a string holding a number', '${a}', '5', /array of objects/],
    ['an array holding a non-object', '${a}', ['8888'], /array of objects/],
    ['an array holding an array', '${a}', [[{ p1: 'x' }]], /array of objects/],
    ['null', '${a}', null, /array of objects/],
    ['a key "__proto__" the template does not use', '${a}', JSON.parse('[{"p1":"x","__proto__":"y"}]'), /"__proto__", which the template does not use/],
  ];
  it.each(cases)('%s', (_name, body, contents, message) => {
    const error = contentsError(body, contents);
    expect(error.code).toBe('INVALID_CONTENTS');
    expect(error.message).toMatch(message);
  });

  it('a placeholder may be called __proto__ and is filled like any other', () => {
    expect(renderTemplate('[${__proto__}]', JSON.parse('{"__proto__":"v"}'))).toBe('[v]');
    expect(renderTemplate('${__proto__}', JSON.parse('[{"p1":"v"}]'))).toBe('v');
  });

  it('flattenContents keeps "__proto__" as a key, not as a prototype', () => {
    const flat = flattenContents(JSON.parse('{"__proto__":{"a":"x"}}'));
    expect(Object.keys(flat)).toEqual(['__proto__']);
    expect((flat as { a?: unknown }).a).toBeUndefined();
  });
});

describe('validateTemplateDefinition', () => {
  it('accepts the sample template', () => {
    expect(() => validateTemplateDefinition('t1', T1)).not.toThrow();
  });
  it.each([
    ['an empty id', '', 'x'],
    ['an id with a space', 'a b', 'x'],
    ['an id over 64 characters', 'x'.repeat(65), 'x'],
    ['an empty body', 't', '   '],
    ['a body over 1000 characters', 't', 'x'.repeat(1001)],
    ['a stray ${', 't', 'code ${ code}'],
    ['an unclosed placeholder', 't', 'code ${code'],
  ])('rejects %s', (_name, id, body) => {
    expect(() => validateTemplateDefinition(id, body)).toThrow(GatewayError);
  });
});

describe('compileTemplate', () => {
  /** The rendering as it was before compiling: one regex replace over the body. */
  function replaced(body: string, values: Record<string, string>): string {
    return body.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, name: string) => values[name]!);
  }

  it('keeps the template and renders like one replace over the body, values inserted literally', () => {
    const name = fc.constantFrom('a', 'b', 'code', 'x_1');
    const literal = fc.string({ unit: fc.constantFrom(...'ab $&{}1\n😀'), maxLength: 6 });
    const value = fc.string({ unit: fc.constantFrom(...'09$&`\'{}😀x'), maxLength: 8 });
    fc.assert(
      fc.property(fc.array(fc.tuple(literal, name), { maxLength: 5 }), literal, fc.dictionary(name, value), (pieces, tail, given) => {
        const body = pieces.map(([text, n]) => `${text}\${${n}}`).join('') + tail;
        const used = placeholderNames(body);
        const contents = Object.fromEntries(used.map((n) => [n, given[n] ?? 'v']));
        const compiled = compileTemplate({ templetId: 't', body, clientId: 'c' });
        expect([compiled.templetId, compiled.body, compiled.clientId]).toEqual(['t', body, 'c']);
        expect(compiled.render(contents)).toBe(replaced(body, contents));
        expect(compiled.render(contents)).toBe(renderTemplate(body, contents));
      }),
      { numRuns: 2_000 },
    );
  });

  it('counts characters, not UTF-16 units, against the value limit', () => {
    const compiled = compileTemplate({ templetId: 't', body: '${a}', clientId: null });
    expect(compiled.render({ a: '😀'.repeat(MAX_VALUE_LENGTH) })).toBe('😀'.repeat(MAX_VALUE_LENGTH));
    expect(() => compiled.render({ a: '😀'.repeat(MAX_VALUE_LENGTH + 1) })).toThrow(/longer than 64/);
  });
});
