import {
  EVAL_PREFIX_PATTERN,
  ExpressionSyntaxError,
  expressionOf,
  forEachExpression,
  isEvalString,
  resolveValue,
} from '../../src/expressions';
import { testScope } from './helpers';

describe('eval: detection follows SmartESB (preg_match /^eval: (?P<expr>.+)$/i)', () => {
  const rows: [string, unknown, string | null][] = [
    ['a plain eval: string', 'eval: body.id', 'body.id'],
    ['no space after the colon is a literal', 'eval:body.id', null],
    ['a second space belongs to the expression', 'eval:  body.id', ' body.id'],
    ['only a space after the prefix is a literal', 'eval: ', null],
    ['the prefix is case-insensitive, as the i flag makes it', 'EVAL: body.id', 'body.id'],
    ['a prefix not at the start is a literal', ' eval: body.id', null],
    ['two lines are a literal', 'eval: body.id\n~ 1', null],
    ['one final newline is accepted, as PHP $ does (YAML block scalars)', 'eval: body.id\n', 'body.id'],
    ['two final newlines are a literal', 'eval: body.id\n\n', null],
    ['a carriage return is part of the expression, as PHP . matches it', 'eval: body.id\r', 'body.id\r'],
    ['a number is not an expression', 42, null],
    ['null is not an expression', null, null],
    ['a map is not an expression', { x: 'eval: 1' }, null],
  ];

  it.each(rows)('%s: %j', (_description, value, expression) => {
    expect(isEvalString(value)).toBe(expression !== null);
    if (expression !== null) expect(expressionOf(value as string)).toBe(expression);
  });

  it('exports the pattern itself', () => {
    expect(EVAL_PREFIX_PATTERN.test('eval: 1')).toBe(true);
  });

  it('refuses to extract an expression from a literal', () => {
    expect(() => expressionOf('plain')).toThrow(TypeError);
  });
});

describe('resolveValue applies SmartESB resolution recursively', () => {
  const scope = testScope();

  it('evaluates eval: strings', () => {
    expect(resolveValue('eval: body.id + 1', scope)).toBe(8);
  });

  it('keeps other strings literal, even when they look like expressions', () => {
    expect(resolveValue('body.id + 1', scope)).toBe('body.id + 1');
  });

  it('resolves maps and lists recursively, keeping other values as they are', () => {
    const config = {
      uri: 'eval: "/items/" ~ body.id',
      list: ['eval: body.name', 'literal', 3, null, true],
      nested: { deeper: { flag: 'eval: body.zero == 0' } },
      count: 5,
      nothing: null,
    };
    expect(resolveValue(config, scope)).toEqual({
      uri: '/items/7',
      list: ['Ada', 'literal', 3, null, true],
      nested: { deeper: { flag: true } },
      count: 5,
      nothing: null,
    });
  });

  it('does not modify the config value it resolves', () => {
    const config = { a: ['eval: 1'] };
    resolveValue(config, scope);
    expect(config).toEqual({ a: ['eval: 1'] });
  });

  it('resolves the seed callback step values', () => {
    expect(resolveValue("eval: mapper.map(CallbackMessage, 'pingToRemoteApi')", testScope(undefined, {
      vars: { CallbackMessage: { message: 'pong', timestamp: 1 } },
    }))).toEqual({ message: 'pong', time: 1 });
    expect(resolveValue("eval: responses['callback']['statusCode'] == 200", scope)).toBe(true);
    expect(resolveValue("eval: 'Unexpected response from Web Api: ' ~ responses['callback']['statusCode']", scope)).toBe(
      'Unexpected response from Web Api: 200',
    );
  });

  it('reports syntax errors with the expression and position', () => {
    expect(() => resolveValue('eval: body.id +', scope)).toThrow(ExpressionSyntaxError);
    expect(() => resolveValue('eval: body.id +', scope)).toThrow(/"body.id \+" around position \d+/);
  });
});

describe('forEachExpression finds every eval: string for load-time checks', () => {
  it('visits each expression with its path', () => {
    const seen: [string, (string | number)[]][] = [];
    forEachExpression(
      { steps: [{ define: { A: 'eval: body' } }, { request: { uri: '/x', body: "eval: mapper.map(A, 'm')" } }], n: 1 },
      (source, path) => seen.push([source, path]),
    );
    expect(seen).toEqual([
      ['body', ['steps', 0, 'define', 'A']],
      ["mapper.map(A, 'm')", ['steps', 1, 'request', 'body']],
    ]);
  });

  it('visits nothing in values without expressions', () => {
    const visit = jest.fn();
    forEachExpression({ a: 'eval:no', b: [1, null, 'x'] }, visit);
    forEachExpression('eval: 1', visit);
    expect(visit).toHaveBeenCalledTimes(1);
    expect(visit).toHaveBeenCalledWith('1', []);
  });
});
