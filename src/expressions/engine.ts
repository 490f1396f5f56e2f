/**
 * Compile once, evaluate many times: parsed trees are cached by source text, so each
 * distinct expression of a config is parsed once per process (or per workflow context).
 */
import type { ExpressionNode } from './ast';
import { ExpressionError, ExpressionEvaluationError } from './errors';
import { evaluateNode, type ExpressionScope } from './evaluator';
import { parseExpression } from './parser';
import { isPlainObject } from './php-values';

export interface CompiledExpression {
  readonly source: string;
  evaluate(scope: ExpressionScope): unknown;
}

/** Configs hold a bounded number of expressions; the cap only guards against misuse with generated sources. */
const MAX_CACHED = 10_000;
const cache = new Map<string, Compiled>();

class Compiled implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly tree: ExpressionNode,
  ) {
    Object.freeze(this);
  }

  evaluate(scope: ExpressionScope): unknown {
    if (!isPlainObject(scope)) throw new ExpressionEvaluationError('The scope of an expression must be a plain object');
    try {
      const value = evaluateNode(this.tree, scope);
      return value === undefined ? null : value;
    } catch (error) {
      throw withSource(error, this.source);
    }
  }
}

/** Names the failing expression in the error, once (nested mapper expressions name their own). */
function withSource(error: unknown, source: string): ExpressionError {
  if (error instanceof ExpressionError) {
    if (error.details.source === undefined) {
      error.details.source = source;
      error.message = `${error.message} (in expression "${source}")`;
    }
    return error;
  }
  // A RangeError from runaway recursion or a bug in a helper: still an evaluation failure of this expression.
  const reason = error instanceof Error ? error.message : String(error);
  return new ExpressionEvaluationError(`${reason} (in expression "${source}")`, { source }, error);
}

/** Parses `source` (or returns the cached parse); throws ExpressionSyntaxError, or ExpressionSecurityError for forbidden names. */
export function compileExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  const compiled = new Compiled(source, parseExpression(source));
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

export function evaluateExpression(source: string, scope: ExpressionScope): unknown {
  return compileExpression(source).evaluate(scope);
}

/** The parsed tree of a compiled expression (for static analysis such as mappingNamesReferenced). */
export function treeOf(expression: CompiledExpression): ExpressionNode {
  if (!(expression instanceof Compiled)) return parseExpression(expression.source);
  return expression.tree;
}
