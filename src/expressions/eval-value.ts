/**
 * SmartESB's rule for config values: a string `eval: <expression>` is evaluated, any other
 * string is literal, maps and lists are resolved recursively, other values are kept.
 */
import { evaluateExpression } from './engine';
import type { ExpressionScope } from './evaluator';
import { isPlainObject, setOwn } from './php-values';

/**
 * SmartESB matches `/^eval: (?P<expr>.+)$/i` with preg_match, so the prefix is
 * case-insensitive, `.` also matches `\r`, and `$` accepts one final newline (YAML block
 * scalars end with one). This pattern reproduces exactly that. A second space is part of
 * the expression (and harmless); `eval:x` without the space is a literal.
 */
export const EVAL_PREFIX_PATTERN = /^eval: ([^\n]+)\n?$/i;

export function isEvalString(value: unknown): value is string {
  return typeof value === 'string' && EVAL_PREFIX_PATTERN.test(value);
}

/** The expression after `eval: ` (call only when isEvalString is true). */
export function expressionOf(value: string): string {
  const match = EVAL_PREFIX_PATTERN.exec(value);
  if (match === null) throw new TypeError(`Not an eval: string: ${JSON.stringify(value)}`);
  return match[1];
}

export function resolveValue(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') return isEvalString(value) ? evaluateExpression(expressionOf(value), scope) : value;
  if (Array.isArray(value)) return value.map((item) => resolveValue(item, scope));
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) setOwn(result, key, resolveValue(item, scope));
    return result;
  }
  return value;
}

/** Calls `visit` for every eval: string in a config value, with its path (for load-time parsing). */
export function forEachExpression(value: unknown, visit: (source: string, path: (string | number)[]) => void): void {
  walkValue(value, [], visit);
}

function walkValue(value: unknown, path: (string | number)[], visit: (source: string, path: (string | number)[]) => void): void {
  if (typeof value === 'string') {
    if (isEvalString(value)) visit(expressionOf(value), path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walkValue(item, [...path, index], visit));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) walkValue(item, [...path, key], visit);
  }
}
