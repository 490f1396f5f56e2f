/**
 * Parsing with the lexer and parser of `expression-language` (the JS port of Symfony
 * ExpressionLanguage), corrected where the port departs from Symfony, then converted into
 * our own tree with load-time checks (unknown functions, forbidden names, bad regexes).
 */
import { tokenize, type ElToken, type ElTokenStream } from 'expression-language/lib/Lexer';
import Parser, { IGNORE_UNKNOWN_FUNCTIONS, IGNORE_UNKNOWN_VARIABLES, type ElNode } from 'expression-language/lib/Parser';
import ElSyntaxError from 'expression-language/lib/SyntaxError';
import type { ExpressionNode } from './ast';
import { ExpressionError, ExpressionSecurityError, ExpressionSyntaxError } from './errors';
import { EXPRESSION_FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './functions';
import { MAPPER_METHOD_ARITY } from './mapper-methods';
import { pcreToRegExp } from './pcre';
import { FORBIDDEN_NAMES } from './safe-access';
import { stripcslashes } from './strings';

// Variables vary per scope and functions are checked by us, with better messages.
const FLAGS = IGNORE_UNKNOWN_VARIABLES | IGNORE_UNKNOWN_FUNCTIONS;
const hashNodes = new WeakSet<ElNode>();
let sharedParser: Parser | undefined;

function getParser(): Parser {
  if (sharedParser !== undefined) return sharedParser;
  const parser = new Parser(Object.create(null) as Record<string, unknown>);
  // The port builds `{}` and `[]` as the same node; remember which ones were hashes.
  const parseHash = parser.parseHashExpression;
  parser.parseHashExpression = () => {
    const node = parseHash();
    hashNodes.add(node);
    return node;
  };
  parser.parseConditionalExpression = (expr) => parseConditional(parser, expr);
  sharedParser = parser;
  return parser;
}

const plain = (name: string, nodes: Record<string, ElNode>, attributes: Record<string, unknown> = {}): ElNode => ({
  name,
  nodes,
  attributes,
});

/**
 * Symfony's reading of `a ?: b`, `a ? b` (else null) and `a ?? b`; the port turns
 * `a ? b` into `a ?: b` and `c ? 'x'` into `c ? 'x' : ''`.
 */
function parseConditional(parser: Parser, first: ElNode): ElNode {
  const stream = (): ElTokenStream => parser.tokenStream;
  let expr = first;
  while (stream().current.test('punctuation', '??')) {
    stream().next();
    expr = plain('NullCoalesceNode', { expr1: expr, expr2: parser.parseExpression() });
  }
  while (stream().current.test('punctuation', '?')) {
    stream().next();
    if (stream().current.test('punctuation', ':')) {
      stream().next();
      expr = plain('ElvisNode', { expr1: expr, expr2: parser.parseExpression() });
      continue;
    }
    const then = parser.parseExpression();
    let otherwise = plain('ConstantNode', {}, { value: null });
    if (stream().current.test('punctuation', ':')) {
      stream().next();
      otherwise = parser.parseExpression();
    }
    expr = plain('ConditionalNode', { expr1: expr, expr2: then, expr3: otherwise });
  }
  return expr;
}

/** Word operators Symfony also recognises right before `(`, as in `not(a)`; the port needs a space. */
const WORD_OPERATORS = new Set(['not', 'and', 'or', 'xor', 'in', 'matches']);

/**
 * Two corrections to the port's lexer: string literals are unescaped with stripcslashes()
 * as Symfony does (the port only handles quotes and `\\`), and `not(`-style operators.
 */
function lex(source: string): ElTokenStream {
  const stream = tokenize(source);
  const tokens = stream.tokens;
  tokens.forEach((token, i) => {
    if (token.type === 'string') token.value = stripcslashes(rawStringBody(stream.expression, token.cursor - 1));
    if (token.type === 'name' && WORD_OPERATORS.has(String(token.value)) && tokens[i + 1]?.test('punctuation', '(') && !isDot(tokens[i - 1])) {
      token.type = 'operator';
    }
  });
  return stream;
}

function isDot(token: ElToken | undefined): boolean {
  return token !== undefined && token.type === 'punctuation' && (token.value === '.' || token.value === '?.');
}

function rawStringBody(expression: string, start: number): string {
  const quote = expression[start];
  let i = start + 1;
  while (i < expression.length && expression[i] !== quote) i += expression[i] === '\\' ? 2 : 1;
  return expression.slice(start + 1, i);
}

/** Rejects `x.constructor`, `__proto__` etc. before parsing, so even unparseable escapes are named as such. */
function scanTokens(stream: ElTokenStream, source: string): void {
  stream.tokens.forEach((token, i) => {
    if (token.type !== 'name' || !FORBIDDEN_NAMES.has(String(token.value))) return;
    const afterDot = isDot(stream.tokens[i - 1]);
    throw new ExpressionSecurityError(
      `Forbidden ${afterDot ? 'property' : 'name'} '${String(token.value)}' in expression "${source}" at position ${token.cursor}`,
      { source, position: token.cursor },
    );
  });
}

function toSyntaxError(error: unknown, source: string): ExpressionError {
  if (error instanceof ExpressionError) return error;
  if (error instanceof ElSyntaxError) {
    return new ExpressionSyntaxError(
      `Syntax error in expression "${source}" around position ${error.cursor}: ${error.message}`,
      { source, position: error.cursor },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ExpressionSyntaxError(`Syntax error in expression "${source}": ${reason}`, { source }, error);
}

export function parseExpression(source: string): ExpressionNode {
  if (typeof source !== 'string') throw new ExpressionSyntaxError(`An expression must be a string, got ${typeof source}`);
  try {
    const stream = lex(source);
    scanTokens(stream, source);
    const root = getParser().parse(stream, [], FLAGS);
    return new Converter(source, stream).convert(root);
  } catch (error) {
    throw toSyntaxError(error, source);
  }
}

class Converter {
  constructor(
    private readonly source: string,
    private readonly stream: ElTokenStream,
  ) {}

  convert(node: ElNode): ExpressionNode {
    const { attributes: a } = node;
    switch (node.name) {
      case 'ConstantNode':
        return { kind: 'const', value: a.value as null | boolean | number | string };
      case 'NameNode':
        return { kind: 'name', name: String(a.name) };
      case 'ArrayNode':
        return this.array(node);
      case 'UnaryNode':
        return { kind: 'unary', operator: String(a.operator), operand: this.child(node, 'node') };
      case 'BinaryNode':
        return this.binary(String(a.operator), this.child(node, 'left'), this.child(node, 'right'));
      case 'ConditionalNode':
        return { kind: 'conditional', test: this.child(node, 'expr1'), then: this.child(node, 'expr2'), otherwise: this.child(node, 'expr3') };
      case 'ElvisNode':
        return { kind: 'elvis', test: this.child(node, 'expr1'), otherwise: this.child(node, 'expr2') };
      case 'NullCoalesceNode':
        return { kind: 'coalesce', left: this.child(node, 'expr1'), right: this.child(node, 'expr2') };
      case 'GetAttrNode':
        return this.getAttr(node);
      case 'FunctionNode':
        return this.call(String(a.name), (raw(node, 'fnArguments').nodes as ElNode[]).map((n) => this.convert(n)));
      default:
        return this.fail(`unsupported construct ${node.name}`);
    }
  }

  private child(node: ElNode, key: string): ExpressionNode {
    return this.convert(raw(node, key));
  }

  private array(node: ElNode): ExpressionNode {
    const pairs = node.getKeyValuePairs?.() ?? [];
    if (!hashNodes.has(node)) return { kind: 'array', items: pairs.map((p) => this.convert(p.value)) };
    const entries = pairs.map((p) => ({ key: this.convert(p.key), value: this.convert(p.value) }));
    for (const { key } of entries) this.checkConstantKey(key);
    return { kind: 'hash', entries };
  }

  private binary(operator: string, left: ExpressionNode, right: ExpressionNode): ExpressionNode {
    if (operator === 'matches' && right.kind === 'const' && typeof right.value === 'string') {
      try {
        pcreToRegExp(right.value);
      } catch (error) {
        this.fail((error as Error).message);
      }
    }
    return { kind: 'binary', operator, left, right };
  }

  private getAttr(node: ElNode): ExpressionNode {
    const target = this.child(node, 'node');
    const attribute = raw(node, 'attribute');
    const type = node.attributes.type;
    if (type === 3) {
      const key = this.convert(attribute);
      this.checkConstantKey(key);
      return { kind: 'index', target, key };
    }
    const name = String(attribute.attributes.value);
    const nullSafe = attribute.isNullSafe === true;
    const onMapper = target.kind === 'name' && target.name === 'mapper';
    if (type === 1) {
      if (onMapper) this.deny(`mapper.${name} is not readable: mapper methods can only be called`);
      return { kind: 'property', target, name, nullSafe };
    }
    const argumentsNode = raw(node, 'fnArguments');
    const args = (argumentsNode.getKeyValuePairs?.() ?? []).map((p) => this.convert(p.value));
    if (onMapper) this.checkArity(`mapper.${name}()`, MAPPER_METHOD_ARITY.get(name), args.length, 'mapper method', [...MAPPER_METHOD_ARITY.keys()]);
    return { kind: 'method', target, name, args, nullSafe };
  }

  private call(name: string, args: ExpressionNode[]): ExpressionNode {
    const unsupported = UNSUPPORTED_FUNCTIONS.get(name);
    if (unsupported !== undefined) this.fail(`function ${name}() is not supported: ${unsupported}`, name);
    this.checkArity(`${name}()`, EXPRESSION_FUNCTIONS.get(name), args.length, 'function', [...EXPRESSION_FUNCTIONS.keys()], name);
    return { kind: 'call', name, args };
  }

  private checkArity(label: string, spec: { min: number; max: number } | undefined, count: number, what: string, known: string[], name?: string): void {
    if (spec === undefined) this.fail(`unknown ${what} ${label} (known: ${known.join(', ')})`, name);
    if (count < spec.min || count > spec.max) {
      const expected = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
      this.fail(`${label} takes ${expected} argument(s), ${count} given`, name);
    }
  }

  private checkConstantKey(key: ExpressionNode): void {
    if (key.kind === 'const' && FORBIDDEN_NAMES.has(String(key.value))) this.deny(`forbidden key '${String(key.value)}'`);
  }

  private deny(reason: string): never {
    throw new ExpressionSecurityError(`Forbidden access in expression "${this.source}": ${reason}`, { source: this.source });
  }

  private fail(reason: string, name?: string): never {
    const position = name === undefined ? undefined : this.positionOfCall(name);
    const where = position === undefined ? '' : ` around position ${position}`;
    throw new ExpressionSyntaxError(`Syntax error in expression "${this.source}"${where}: ${reason}`, { source: this.source, position });
  }

  private positionOfCall(name: string): number | undefined {
    const tokens = this.stream.tokens;
    const index = tokens.findIndex((t, i) => t.type === 'name' && t.value === name && tokens[i + 1]?.test('punctuation', '('));
    return index < 0 ? undefined : tokens[index].cursor;
  }
}

function raw(node: ElNode, key: string): ElNode {
  return (node.nodes as Record<string, ElNode>)[key];
}
