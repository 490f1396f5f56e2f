/**
 * Walks our expression tree. Every property read, index read and method call goes through
 * safe-access; every function comes from our own table. Nothing here touches the values
 * in any other way, so message data cannot reach the JavaScript runtime.
 */
import type { ExpressionNode } from './ast';
import { ExpressionEvaluationError } from './errors';
import { EXPRESSION_FUNCTIONS } from './functions';
import { applyBinary, applyUnary } from './operators';
import { phpBool, setOwn, type PlainObject } from './php-values';
import { assertAllowedName, assertArity, callMethod, offsetKey, readIndex, readProperty } from './safe-access';

export type ExpressionScope = Record<string, unknown>;

/** Marks a chain cut short by `?.` on null; becomes null where the chain ends. */
const SHORT = Symbol('short-circuit');
type ChainResult = unknown | typeof SHORT;

export function evaluateNode(node: ExpressionNode, scope: ExpressionScope): unknown {
  switch (node.kind) {
    case 'const':
      return node.value;
    case 'name':
      return lookup(scope, node.name, false);
    case 'array':
      return node.items.map((item) => evaluateNode(item, scope));
    case 'hash': {
      const result: PlainObject = {};
      for (const entry of node.entries) {
        const key = offsetKey(evaluateNode(entry.key, scope));
        assertAllowedName(key, 'key');
        setOwn(result, key, evaluateNode(entry.value, scope));
      }
      return result;
    }
    case 'unary':
      return applyUnary(node.operator, evaluateNode(node.operand, scope));
    case 'binary':
      return binary(node.operator, node.left, node.right, scope);
    case 'conditional':
      return phpBool(evaluateNode(node.test, scope)) ? evaluateNode(node.then, scope) : evaluateNode(node.otherwise, scope);
    case 'elvis': {
      const value = evaluateNode(node.test, scope);
      return phpBool(value) ? value : evaluateNode(node.otherwise, scope);
    }
    case 'coalesce': {
      // Symfony's `??` also forgives undefined variables and reads on null along the chain.
      const value = chain(node.left, scope, true);
      return value === SHORT || value === null || value === undefined ? evaluateNode(node.right, scope) : value;
    }
    case 'property':
    case 'index':
    case 'method': {
      const value = chain(node, scope, false);
      return value === SHORT ? null : value;
    }
    case 'call':
      return call(node.name, node.args.map((arg) => evaluateNode(arg, scope)));
  }
}

function binary(operator: string, left: ExpressionNode, right: ExpressionNode, scope: ExpressionScope): unknown {
  switch (operator) {
    case 'and':
    case '&&':
      return phpBool(evaluateNode(left, scope)) && phpBool(evaluateNode(right, scope));
    case 'or':
    case '||':
      return phpBool(evaluateNode(left, scope)) || phpBool(evaluateNode(right, scope));
    case 'xor':
      return phpBool(evaluateNode(left, scope)) !== phpBool(evaluateNode(right, scope));
    default:
      return applyBinary(operator, evaluateNode(left, scope), evaluateNode(right, scope));
  }
}

function lookup(scope: ExpressionScope, name: string, lenient: boolean): unknown {
  assertAllowedName(name, 'variable');
  if (!Object.prototype.hasOwnProperty.call(scope, name)) {
    if (lenient) return null;
    throw new ExpressionEvaluationError(`Variable "${name}" is not defined (available: ${Object.keys(scope).join(', ')})`, { name });
  }
  const value = scope[name];
  return value === undefined ? null : value;
}

/** Evaluates a name/property/index/method chain; `lenient` turns reads on null into null (for `??`). */
function chain(node: ExpressionNode, scope: ExpressionScope, lenient: boolean): ChainResult {
  if (node.kind === 'name') return lookup(scope, node.name, lenient);
  if (node.kind !== 'property' && node.kind !== 'index' && node.kind !== 'method') return evaluateNode(node, scope);
  const target = chain(node.target, scope, lenient);
  if (target === SHORT) return SHORT;
  if ((target === null || target === undefined) && (lenient || (node.kind !== 'index' && node.nullSafe))) return SHORT;
  switch (node.kind) {
    case 'property':
      return readProperty(target, node.name);
    case 'index':
      return readIndex(target, evaluateNode(node.key, scope));
    case 'method':
      return callMethod(target, node.name, node.args.map((arg) => evaluateNode(arg, scope)));
  }
}

function call(name: string, args: unknown[]): unknown {
  const spec = EXPRESSION_FUNCTIONS.get(name);
  if (spec === undefined) throw new ExpressionEvaluationError(`Unknown function ${name}()`, { name });
  assertArity(`${name}()`, spec, args.length);
  const result = spec.fn(...args);
  return result === undefined ? null : result;
}
