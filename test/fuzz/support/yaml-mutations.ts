/**
 * Mutations of YAML flow files, for fuzzing the loader: text-level damage
 * (truncation, garbage, lost or doubled lines, shifted indentation) and
 * structure-level edits on the parsed document (deleted, renamed and
 * duplicated keys, values swapped for another type).
 */
import fc from 'fast-check';
import { isMap, isPair, isScalar, isSeq, parseDocument, Scalar, visit, type Document, type Pair } from 'yaml';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'garbage'; at: number; junk: string }
  | { kind: 'delete-range'; at: number; length: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'duplicate-line'; at: number }
  | { kind: 'indent'; at: number; by: number }
  | { kind: 'delete-key'; at: number }
  | { kind: 'rename-key'; at: number; name: string }
  | { kind: 'swap-type'; at: number; value: string }
  | { kind: 'duplicate-key'; at: number };

const JUNK = ['\t', '\u0000', ':', ': ', '- ', '{', '}', '[', ']', '"', "'", '&a ', '*a', '*nowhere', '!!binary ', '!!js/function ', '!custom ', '%YAML 1.1\n', '---\n', '...\n', '? ', '|', '>', '#', '\ufeff', '\r', '😀', '\u202e', '\ud800', '%', '%env(', '<<: *a\n', ',', '@', '`'];
const NAMES = ['__proto__', 'constructor', 'prototype', 'toString', '', '<<', '~', 'null', '1', 'flows', 'producers', 'methods', 'steps', 'request', 'deliver', 'to', 'retry', 'x'];
/** YAML flow-style texts of another type (or a subtly wrong value of the same type). */
const VALUES = ['[]', '{}', '42', '-1', '0', '1.5e308', 'true', '~', "''", "'eval: '", "'eval: body['", "'eval: foo.bar()'", "'%env(NOPE)%'", "'%missing_param%'", "'%'", "'1ms'", "'-5s'", "'forever'", "'rest://nowhere/x'", "'a.b.c'", "'__proto__'", '{ __proto__: { polluted: 1 } }', '[ *nowhere ]', '&loop [ *loop ]', "'x'", '[1, [2, [3]]]', '!!binary aGVsbG8=', '2024-01-01'];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.nat(), junk: fc.oneof(fc.constantFrom(...JUNK), fc.string({ maxLength: 3 })) }),
  fc.record({ kind: fc.constant('delete-range' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ kind: fc.constant('delete-key' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename-key' as const), at: fc.nat(), name: fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant('swap-type' as const), at: fc.nat(), value: fc.constantFrom(...VALUES) }),
  fc.record({ kind: fc.constant('duplicate-key' as const), at: fc.nat() }),
);

function lines(text: string): string[] {
  return text.split('\n');
}

function mutateText(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  const all = lines(text);
  const line = m.at % Math.max(all.length, 1);
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'garbage':
      return text.slice(0, at) + m.junk + text.slice(at);
    case 'delete-range':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'delete-line':
      return all.filter((_, i) => i !== line).join('\n');
    case 'duplicate-line':
      return [...all.slice(0, line + 1), all[line] ?? '', ...all.slice(line + 1)].join('\n');
    case 'indent': {
      const shifted = m.by >= 0 ? ' '.repeat(m.by) + (all[line] ?? '') : (all[line] ?? '').replace(new RegExp(`^ {0,${-m.by}}`), '');
      return [...all.slice(0, line), shifted, ...all.slice(line + 1)].join('\n');
    }
    default:
      return text;
  }
}

/** Every key/value pair of the document, in document order. */
function pairsOf(doc: Document): Pair[] {
  const found: Pair[] = [];
  visit(doc, {
    Pair(_, pair) {
      found.push(pair as Pair);
    },
  });
  return found;
}

function mutateStructure(text: string, m: Mutation): string {
  const doc = parseDocument(text, { uniqueKeys: false });
  // A document already broken by an earlier text mutation gets text damage instead.
  if (doc.errors.length > 0) return mutateText(text, { kind: 'garbage', at: m.at, junk: ':' });
  const pairs = pairsOf(doc);
  if (pairs.length === 0) return text;
  const pair = pairs[m.at % pairs.length];
  switch (m.kind) {
    case 'delete-key': {
      visit(doc, {
        Pair(_, p) {
          return p === pair ? visit.REMOVE : undefined;
        },
      });
      break;
    }
    case 'rename-key':
      pair.key = new Scalar(m.name);
      break;
    case 'swap-type':
      pair.value = parseDocument(`v: ${m.value}`, { uniqueKeys: false }).get('v', true) ?? new Scalar(null);
      break;
    case 'duplicate-key': {
      // Re-add the same key to its map (YAML forbids it; Symfony's parser refuses it too).
      visit(doc, {
        Map(_, map) {
          if (map.items.includes(pair)) {
            map.items.push(doc.createPair(isScalar(pair.key) ? pair.key.value : 'dup', isMap(pair.value) || isSeq(pair.value) ? 'replaced' : 'again'));
            return visit.BREAK;
          }
          return undefined;
        },
      });
      break;
    }
    default:
      return mutateText(text, m);
  }
  try {
    return doc.toString();
  } catch {
    // Some swaps produce a document yaml cannot print (an alias to nothing): fall back to text.
    return mutateText(text, { kind: 'garbage', at: m.at, junk: String(m.kind === 'swap-type' ? m.value : '') });
  }
}

export function applyMutation(text: string, m: Mutation): string {
  const structural = m.kind === 'delete-key' || m.kind === 'rename-key' || m.kind === 'swap-type' || m.kind === 'duplicate-key';
  return structural ? mutateStructure(text, m) : mutateText(text, m);
}

export { isPair };
