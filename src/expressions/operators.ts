/**
 * Operators with Symfony ExpressionLanguage semantics on PHP 8 values: `~` concatenates PHP
 * strings, `==` is PHP's loose comparison, `in` is strict, arithmetic never concatenates,
 * `and`/`or` give booleans.
 */
import { ExpressionEvaluationError } from './errors';
import { pcreToRegExp } from './pcre';
import {
  containerValues, describeType, identical, isContainer, looseEquals, phpBool, phpCompare, phpNumber, phpString,
} from './php-values';

/** Ranges are built eagerly; this bounds what message data can make us allocate. */
export const MAX_RANGE_LENGTH = 10_000;

export function applyUnary(operator: string, value: unknown): unknown {
  switch (operator) {
    case 'not':
    case '!':
      return !phpBool(value);
    case '-':
      return -phpNumber(value, '-');
    case '+':
      return phpNumber(value, '+');
    case '~':
      return Number(BigInt.asIntN(64, ~int64(value, '~')));
    default:
      throw new ExpressionEvaluationError(`Unknown unary operator '${operator}'`);
  }
}

/** Binary operators whose right side is always evaluated (the logical ones are in the evaluator). */
export function applyBinary(operator: string, left: unknown, right: unknown): unknown {
  switch (operator) {
    case '~':
      return phpString(left) + phpString(right);
    case '==':
      return looseEquals(left, right);
    case '!=':
      return !looseEquals(left, right);
    case '===':
      return identical(left, right);
    case '!==':
      return !identical(left, right);
    case '<':
      return phpCompare(left, right) < 0;
    case '>':
      return phpCompare(left, right) > 0;
    case '<=':
      return phpCompare(left, right) <= 0;
    case '>=':
      return phpCompare(left, right) >= 0;
    case 'in':
      return inArray(left, right);
    case 'not in':
      return !inArray(left, right);
    case 'matches':
      return pcreToRegExp(phpString(right)).test(phpString(left));
    case 'contains':
      return phpString(left).includes(phpString(right));
    case 'starts with':
      return phpString(left).startsWith(phpString(right));
    case 'ends with':
      return phpString(left).endsWith(phpString(right));
    case '..':
      return range(left, right);
    default:
      return arithmetic(operator, left, right);
  }
}

function arithmetic(operator: string, left: unknown, right: unknown): unknown {
  if (operator === '&' || operator === '|' || operator === '^' || operator === '<<' || operator === '>>') {
    return bitwise(operator, left, right);
  }
  const a = phpNumber(left, operator);
  const b = phpNumber(right, operator);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new ExpressionEvaluationError('Division by zero');
      return a / b;
    case '%': {
      // PHP's % works on integers and keeps the sign of the dividend, as JS's does.
      const divisor = Math.trunc(b);
      if (divisor === 0) throw new ExpressionEvaluationError('Modulo by zero');
      return Math.trunc(a) % divisor;
    }
    case '**':
      return a ** b;
    default:
      throw new ExpressionEvaluationError(`Unknown operator '${operator}'`);
  }
}

/** PHP integers are 64-bit; BigInt keeps `1 << 40` right where JS's 32-bit operators would not. */
function int64(value: unknown, operator: string): bigint {
  const n = phpNumber(value, operator);
  if (!Number.isFinite(n)) throw new ExpressionEvaluationError(`Operand of '${operator}' is not a finite number`);
  return BigInt.asIntN(64, BigInt(Math.trunc(n)));
}

// BigInt(...) rather than 0n literals: the workflow bundler compiles TypeScript for ES2017.
const ZERO = BigInt(0);
const MAX_SHIFT = BigInt(64);

function bitwise(operator: string, left: unknown, right: unknown): number {
  const a = int64(left, operator);
  const b = int64(right, operator);
  let result: bigint;
  switch (operator) {
    case '&':
      result = a & b;
      break;
    case '|':
      result = a | b;
      break;
    case '^':
      result = a ^ b;
      break;
    default: {
      if (b < ZERO) throw new ExpressionEvaluationError('Bit shift by negative number');
      const shift = b > MAX_SHIFT ? MAX_SHIFT : b;
      result = operator === '<<' ? a << shift : a >> shift;
    }
  }
  return Number(BigInt.asIntN(64, result));
}

/** Symfony's `in` is in_array(..., strict: true); on maps it looks at the values. */
function inArray(needle: unknown, haystack: unknown): boolean {
  if (!isContainer(haystack)) {
    throw new ExpressionEvaluationError(`The right side of 'in' must be an array, got ${describeType(haystack)}`);
  }
  return containerValues(haystack).some((value) => identical(value, needle));
}

/** PHP range(): ascending or descending, step 1. */
function range(from: unknown, to: unknown): number[] {
  const start = phpNumber(from, '..');
  const end = phpNumber(to, '..');
  const length = Math.floor(Math.abs(end - start)) + 1;
  if (!Number.isFinite(length) || length > MAX_RANGE_LENGTH) {
    throw new ExpressionEvaluationError(`Range ${start}..${end} is larger than ${MAX_RANGE_LENGTH} elements`);
  }
  const step = end >= start ? 1 : -1;
  return Array.from({ length }, (_, i) => start + i * step);
}
