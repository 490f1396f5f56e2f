/**
 * SmartESB's expression functions (its CustomExpressionLanguageProvider), deterministic and
 * with PHP semantics. Argument orders follow the PHP originals: explode(delimiter, string),
 * implode(glue, pieces), hasKey(key, array), substr(string, start, length).
 */
import { ExpressionEvaluationError } from './errors';
import { md5Hex } from './md5';
import { phpNumberFormat } from './number-format';
import {
  containerValues, describeType, identical, isContainer, isNumericString, isPlainObject, phpNumber, phpString,
  setOwn, type PlainObject,
} from './php-values';
import { offsetKey, readIndex } from './safe-access';

export interface FunctionSpec {
  readonly min: number;
  readonly max: number;
  readonly fn: (...args: unknown[]) => unknown;
}

/** Functions SmartESB or Symfony offer that must not run here, with the reason shown to the author. */
export const UNSUPPORTED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ['constant', 'it reads runtime globals'],
  ['enum', 'it reads runtime globals'],
  ['uniqid', 'it is random; generate ids outside expressions'],
  ['date', 'it reads the clock; use mapper.formatDate(format, date) with a date from the message'],
  ['strtotime', 'it reads the clock'],
  ['time', 'it reads the clock'],
]);

function container(name: string, value: unknown, position: string): unknown[] | PlainObject {
  if (!isContainer(value)) {
    throw new ExpressionEvaluationError(`${position} argument passed to "${name}" should be an array, got ${describeType(value)}`);
  }
  return value;
}

function text(name: string, value: unknown): string {
  if (isContainer(value)) throw new ExpressionEvaluationError(`"${name}" expects a string, got ${describeType(value)}`);
  return phpString(value);
}

function integer(name: string, value: unknown): number {
  return Math.trunc(phpNumber(value, name));
}

/** PHP array_key_exists(). */
export function keyExists(array: unknown[] | PlainObject, key: unknown): boolean {
  const name = offsetKey(key);
  return Object.prototype.hasOwnProperty.call(array, name) && (!Array.isArray(array) || name !== 'length');
}

/** PHP reset(): the first value, or false for an empty array. */
export function firstValue(array: unknown[] | PlainObject): unknown {
  const values = containerValues(array);
  return values.length > 0 ? (values[0] ?? null) : false;
}

/** PHP explode() without limit; an empty delimiter is an error as in PHP 8. */
export function explode(delimiter: string, value: string): string[] {
  if (delimiter === '') throw new ExpressionEvaluationError('explode(): the delimiter cannot be empty');
  return value.split(delimiter);
}

export function implode(glue: string, pieces: unknown[] | PlainObject): string {
  return containerValues(pieces).map((piece) => text('implode', piece)).join(glue);
}

/** PHP substr() on characters (mb_substr), so UTF-8 text is never cut inside a character. */
function substr(value: unknown, start: unknown, length: unknown = null): string {
  if (typeof value !== 'string') return '';
  const chars = [...value];
  let from = integer('substr', start);
  if (from < 0) from = Math.max(0, chars.length + from);
  if (from > chars.length) return '';
  let to = chars.length;
  if (length !== null && length !== undefined) {
    const count = integer('substr', length);
    to = count < 0 ? chars.length + count : from + count;
  }
  return to <= from ? '' : chars.slice(from, to).join('');
}

/** PHP array_slice(); string keys of maps are always kept, list keys only with preserveKeys. */
function slice(array: unknown, offset: unknown, length: unknown = null, preserveKeys: unknown = false): unknown {
  const source = container('slice', array, 'First');
  const entries: [string, unknown][] = Array.isArray(source)
    ? source.map((v, i) => [String(i), v])
    : Object.entries(source);
  let from = integer('slice', offset);
  if (from < 0) from = Math.max(0, entries.length + from);
  let to = entries.length;
  if (length !== null && length !== undefined) {
    const count = integer('slice', length);
    to = count < 0 ? entries.length + count : from + count;
  }
  const picked = entries.slice(from, Math.max(from, to));
  if (Array.isArray(source) && preserveKeys !== true) return picked.map(([, v]) => v);
  const result: PlainObject = {};
  for (const [k, v] of picked) setOwn(result, k, v);
  return result;
}

function count(value: unknown): number {
  return containerValues(container('count', value, 'First')).length;
}

function contains(haystack: unknown, needle: unknown): boolean {
  if (isContainer(haystack)) return containerValues(haystack).some((v) => identical(v, needle));
  if (typeof haystack !== 'string' || typeof needle !== 'string') {
    throw new ExpressionEvaluationError('Both arguments passed to "contains" should be strings (or an array and a value).');
  }
  return haystack.includes(needle);
}

function numberFormat(value: unknown, decimals: unknown = 0, point: unknown = '.', separator: unknown = ','): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && !isNumericString(value)) {
    throw new ExpressionEvaluationError(`numberFormat() expects a number, got ${describeType(value)}`);
  }
  return phpNumberFormat(phpNumber(value, 'numberFormat'), integer('numberFormat', decimals), text('numberFormat', point), text('numberFormat', separator));
}

/** PHP trim()'s default character set. */
export function phpTrim(value: string): string {
  return value.replace(/^[ \t\n\r\0\v]+|[ \t\n\r\0\v]+$/g, '');
}

function keyed(name: string, array: unknown, key: string): unknown {
  const source = container(name, array, 'The');
  const value = readIndex(source, key);
  if (value === null) throw new ExpressionEvaluationError(`The argument passed to "${name}" should have an index called "${key}"`);
  return value;
}

const table: Record<string, FunctionSpec> = {
  hasKey: { min: 2, max: 2, fn: (key, array) => keyExists(container('hasKey', array, 'Second'), key) },
  getFirst: { min: 1, max: 1, fn: (array) => firstValue(container('getFirst', array, 'First')) },
  defaultTo: { min: 2, max: 2, fn: (value, fallback) => (value === null || value === undefined ? fallback : value) },
  isRecoverable: {
    min: 1,
    max: 1,
    fn: (error) => {
      if (!isPlainObject(error)) throw new ExpressionEvaluationError('First argument of "isRecoverable" should be an exception');
      return readIndex(error, 'recoverable') === true;
    },
  },
  contains: { min: 2, max: 2, fn: contains },
  substr: { min: 2, max: 3, fn: substr },
  numberFormat: { min: 1, max: 4, fn: numberFormat },
  md5: { min: 1, max: 1, fn: (value) => md5Hex(text('md5', value)) },
  count: { min: 1, max: 1, fn: count },
  slice: { min: 2, max: 4, fn: slice },
  explode: { min: 2, max: 2, fn: (delimiter, value) => explode(text('explode', delimiter), text('explode', value)) },
  implode: { min: 2, max: 2, fn: (glue, pieces) => implode(text('implode', glue), container('implode', pieces, 'Second')) },
  removeNewLines: { min: 1, max: 1, fn: (value) => phpTrim(text('removeNewLines', value)).replace(/[\r\n]+/g, ' ') },
  // PHP 8 case mapping is ASCII-only (locale-insensitive since 8.2); multibyte text is left as is.
  strtoupper: { min: 1, max: 1, fn: (value) => text('strtoupper', value).replace(/[a-z]+/g, (s) => s.toUpperCase()) },
  strtolower: { min: 1, max: 1, fn: (value) => text('strtolower', value).replace(/[A-Z]+/g, (s) => s.toLowerCase()) },
  getKey: { min: 1, max: 1, fn: (array) => keyed('getKey', array, 'key') },
  getValue: { min: 1, max: 1, fn: (array) => keyed('getValue', array, 'value') },
};

/** Looked up with Map semantics so that names like `toString` never reach Object.prototype. */
export const EXPRESSION_FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map(Object.entries(table));
