/**
 * PHP value semantics (PHP 8) over JSON-like JavaScript values, so that expressions
 * written for SmartESB (Symfony ExpressionLanguage on PHP) give the same answers here.
 */
import { ExpressionEvaluationError } from './errors';

export type PlainObject = Record<string, unknown>;

/**
 * True for `{}`-like objects, including ones made in another realm (the Temporal
 * workflow sandbox is a separate V8 context): their prototype is null or a root prototype.
 */
export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** A PHP array: a JSON list or a JSON object. */
export function isContainer(value: unknown): value is unknown[] | PlainObject {
  return Array.isArray(value) || isPlainObject(value);
}

export function containerValues(value: unknown[] | PlainObject): unknown[] {
  return Array.isArray(value) ? value : Object.values(value);
}

/** PHP `empty()`: null, false, 0, '', '0', and empty arrays (lists or maps). */
export function phpEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '' || value === '0') {
    return true;
  }
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** PHP `(bool)` cast. */
export function phpBool(value: unknown): boolean {
  return !phpEmpty(value);
}

const NUMERIC_STRING = /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/;

/** PHP 8 `is_numeric` for strings (leading and trailing whitespace allowed, no hex). */
export function isNumericString(value: string): boolean {
  return NUMERIC_STRING.test(value);
}

/** PHP float-to-string conversion (precision 14, `1.0E+25` style exponents). */
export function phpNumberToString(n: number): string {
  if (Number.isNaN(n)) return 'NAN';
  if (!Number.isFinite(n)) return n > 0 ? 'INF' : '-INF';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return n.toFixed(0);
  const [mantissa, expText] = n.toExponential(13).split('e');
  const exponent = Number(expText);
  if (exponent < -4 || exponent >= 14) {
    const digits = stripZeros(mantissa);
    return `${digits.includes('.') ? digits : `${digits}.0`}E${exponent < 0 ? '-' : '+'}${Math.abs(exponent)}`;
  }
  return stripZeros(n.toPrecision(14));
}

function stripZeros(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/** PHP `(string)` cast; arrays have no string form (PHP would print "Array" with a warning). */
export function phpString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || value === false) return '';
  if (value === true) return '1';
  if (typeof value === 'number') return phpNumberToString(value);
  throw new ExpressionEvaluationError(`Cannot convert ${describeType(value)} to string`);
}

/** Numeric operand of an arithmetic operator (PHP 8 throws on non-numeric strings). */
export function phpNumber(value: unknown, operator: string): number {
  if (typeof value === 'number') return value;
  if (value === null || value === undefined || value === false) return 0;
  if (value === true) return 1;
  if (typeof value === 'string' && isNumericString(value)) return Number(value);
  throw new ExpressionEvaluationError(`Unsupported operand for '${operator}': ${describeType(value)} is not a number`);
}

export function describeType(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a map';
  if (typeof value === 'string') return `the string "${value.length > 40 ? `${value.slice(0, 40)}...` : value}"`;
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function isScalarForComparison(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}

/** PHP 8 `==`. */
export function looseEquals(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === null && y === null) return true;
  if (typeof x === 'boolean' || typeof y === 'boolean') return phpBool(x) === phpBool(y);
  if (x === null) return typeof y === 'string' ? y === '' : !phpBool(y);
  if (y === null) return typeof x === 'string' ? x === '' : !phpBool(x);
  if (isScalarForComparison(x) && isScalarForComparison(y)) return compareScalars(x, y) === 0;
  if (isContainer(x) && isContainer(y)) {
    const xs = entriesOf(x);
    const ys = new Map(entriesOf(y));
    return xs.length === ys.size && xs.every(([k, v]) => ys.has(k) && looseEquals(v, ys.get(k)));
  }
  return x === y;
}

function entriesOf(container: unknown[] | PlainObject): [string, unknown][] {
  return Array.isArray(container) ? container.map((v, i) => [String(i), v]) : Object.entries(container);
}

/** PHP 8 comparison of two scalars: numeric when both are numeric, else byte-wise string order. */
function compareScalars(x: string | number, y: string | number): number {
  const xNumeric = typeof x === 'number' || isNumericString(x);
  const yNumeric = typeof y === 'number' || isNumericString(y);
  if (xNumeric && yNumeric) return sign(Number(x) - Number(y));
  const xs = typeof x === 'number' ? phpNumberToString(x) : x;
  const ys = typeof y === 'number' ? phpNumberToString(y) : y;
  return xs === ys ? 0 : xs < ys ? -1 : 1;
}

function sign(n: number): number {
  return Number.isNaN(n) ? Number.NaN : n === 0 ? 0 : n < 0 ? -1 : 1;
}

/** PHP 8 `<=>` for the ordering operators; NaN when the values do not compare. */
export function phpCompare(a: unknown, b: unknown): number {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === null && typeof y === 'string') return compareScalars('', y);
  if (y === null && typeof x === 'string') return compareScalars(x, '');
  if (x === null || y === null || typeof x === 'boolean' || typeof y === 'boolean') {
    return Number(phpBool(x)) - Number(phpBool(y));
  }
  if (isScalarForComparison(x) && isScalarForComparison(y)) return compareScalars(x, y);
  throw new ExpressionEvaluationError(`Cannot order ${describeType(x)} and ${describeType(y)}`);
}

/** PHP `===`: same type and value; arrays by content, in order. */
export function identical(a: unknown, b: unknown): boolean {
  const x = a === undefined ? null : a;
  const y = b === undefined ? null : b;
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) {
    return x.length === y.length && x.every((v, i) => identical(v, y[i]));
  }
  if (isPlainObject(x) && isPlainObject(y)) {
    const xs = Object.keys(x);
    const ys = Object.keys(y);
    return xs.length === ys.length && xs.every((k, i) => k === ys[i] && identical(x[k], y[k]));
  }
  return false;
}

/** Creates an own data property even for keys like `__proto__` (plain assignment would set the prototype). */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
