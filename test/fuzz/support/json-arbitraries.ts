/**
 * fast-check generators for hostile message bodies. They build JSON *text*
 * (or bytes), because the interesting inputs are the ones JSON.stringify
 * would never produce: cut-off documents, lone surrogates, invalid UTF-8.
 */
import fc from 'fast-check';

/** One code point a careless decoder or logger would trip on. */
const oddUnit: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u202e', '\u200f', '\u200b', '\ufeff', '\u2028', '\u2029', '\ufffd', '😀', '👩‍👩‍👧', 'e\u0301', '"', '\\', '/', '%', '{', '}'),
  // Half a surrogate pair: valid in a JS string and as a JSON \u escape, not in UTF-8.
  fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);

export const oddString = (maxLength = 40): fc.Arbitrary<string> => fc.string({ unit: oddUnit, maxLength });

/** Keys that reach for the prototype chain, plus ordinary and odd ones. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'polluted') },
  { weight: 1, arbitrary: oddString(8) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
);

/**
 * JSON values with hostile keys and odd strings. Objects are built as *text*
 * by `toJsonText`, since `{ ['__proto__']: x }` in JS would set a prototype
 * instead of making the own key an attacker sends.
 */
export type JsonTree = null | boolean | number | string | JsonTree[] | { entries: Array<[string, JsonTree]> };

export const jsonTree: fc.Arbitrary<JsonTree> = fc.letrec<{ tree: JsonTree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    oddString(),
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.array(fc.tuple(hostileKey, tie('tree')), { maxLength: 4 }).map((entries) => ({ entries })),
  ),
})).tree;

/** JSON text of a tree; strings go through JSON.stringify, so lone surrogates become \udXXX escapes. */
export function toJsonText(tree: JsonTree): string {
  if (tree === null || typeof tree !== 'object') return JSON.stringify(tree);
  if (Array.isArray(tree)) return `[${tree.map(toJsonText).join(',')}]`;
  return `{${tree.entries.map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
}

/** Valid JSON text, then damaged: cut, a byte changed, garbage inserted, or a stray token. */
export const malformedJson: fc.Arbitrary<string> = fc
  .tuple(fc.json({ maxDepth: 3 }), fc.nat(), fc.constantFrom('cut', 'replace', 'insert', 'trailing', 'leading'), fc.constantFrom('{', '}', '[', ']', ',', ':', '"', "'", 'NaN', 'undefined', '\u0000', '\\', '//', '0x1F', '+1', '01'))
  .map(([text, at, how, junk]) => {
    const i = text.length === 0 ? 0 : at % text.length;
    switch (how) {
      case 'cut':
        return text.slice(0, i);
      case 'replace':
        return text.slice(0, i) + junk + text.slice(i + 1);
      case 'insert':
        return text.slice(0, i) + junk + text.slice(i);
      case 'trailing':
        return `${text} ${junk}`;
      default:
        return `${junk}${text}`;
    }
  });

/** Whether JSON.parse accepts the text (what the API must accept, too). */
export function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `depth` nested arrays or objects around a leaf, as text, built without recursion. */
export function nestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Bytes that are not UTF-8: lone continuation bytes, overlong forms, encoded surrogates, cut sequences. */
export const invalidUtf8: fc.Arbitrary<Buffer> = fc
  .array(fc.constantFrom([0xff], [0xfe], [0x80], [0xc0, 0xaf], [0xe0, 0x80, 0xaf], [0xed, 0xa0, 0x80], [0xf0, 0x9f], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x41]), { minLength: 1, maxLength: 20 })
  .map((parts) => Buffer.from(parts.flat()));
