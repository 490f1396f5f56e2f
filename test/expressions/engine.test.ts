import {
  ExpressionError,
  ExpressionEvaluationError,
  ExpressionSecurityError,
  ExpressionSyntaxError,
  MappingRecursionError,
  UnknownMappingError,
  buildStepScope,
  compileExpression,
  evaluateExpression,
  type Mapper,
} from '../../src/expressions';
import { context, testMapper, testScope } from './helpers';

describe('compileExpression parses once and reports syntax errors precisely', () => {
  it('returns the cached compiled expression for the same source', () => {
    expect(compileExpression('body.id + 1')).toBe(compileExpression('body.id + 1'));
    expect(compileExpression('body.id + 1').source).toBe('body.id + 1');
  });

  it.each([
    ['an unfinished expression', 'body.id +'],
    ['an unclosed bracket', "body['id'"],
    ['an unexpected character', 'body.id # 1'],
    ['an empty expression', ''],
    ['a stray closing parenthesis', '1)'],
  ])('rejects %s with ExpressionSyntaxError naming source and position', (_description, source) => {
    let caught: unknown;
    try {
      compileExpression(source);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExpressionSyntaxError);
    const error = caught as ExpressionSyntaxError;
    expect(error.message).toContain(`"${source}"`);
    expect(error.message).toMatch(/position \d+/);
    expect(error.details).toMatchObject({ source, position: expect.any(Number) });
  });
});

describe('expression errors are typed', () => {
  it.each([
    [ExpressionSyntaxError, 'ExpressionSyntaxError'],
    [ExpressionEvaluationError, 'ExpressionEvaluationError'],
    [ExpressionSecurityError, 'ExpressionSecurityError'],
    [UnknownMappingError, 'UnknownMappingError'],
    [MappingRecursionError, 'MappingRecursionError'],
  ])('%p has the stable type and name %s and extends ExpressionError', (ErrorClass, type) => {
    const error = new ErrorClass('boom', { source: 'x' });
    expect(error).toBeInstanceOf(ExpressionError);
    expect(error).toBeInstanceOf(Error);
    expect(error.type).toBe(type);
    expect(error.name).toBe(type);
    expect(error.details).toEqual({ source: 'x' });
  });

  it('names the failing expression in evaluation errors', () => {
    expect(() => evaluateExpression('body.id.x', testScope())).toThrow(/Unable to get property 'x' of a number \(in expression "body.id.x"\)/);
    try {
      evaluateExpression('body.id.x', testScope());
    } catch (error) {
      expect((error as ExpressionEvaluationError).details.source).toBe('body.id.x');
    }
  });

  it('reports an undefined variable with the names available', () => {
    expect(() => evaluateExpression('nope', testScope())).toThrow(/Variable "nope" is not defined \(available: body, headers/);
  });

  it('reports calls on null as evaluation errors (the mapper drops such keys)', () => {
    expect(() => evaluateExpression('body.missing.getX()', testScope())).toThrow(ExpressionEvaluationError);
  });

  it('needs a plain object as scope', () => {
    expect(() => compileExpression('1').evaluate(new Map() as unknown as Record<string, unknown>)).toThrow(ExpressionEvaluationError);
  });
});

describe('buildStepScope gives producer steps the SmartESB names', () => {
  it('offers body, headers, context and msg, vars, responses, options, mapper and exception', () => {
    const scope = testScope();
    expect(Object.keys(scope)).toEqual(['body', 'headers', 'context', 'msg', 'vars', 'responses', 'options', 'exception', 'Answer', 'mapper']);
    expect(evaluateExpression('[msg.transactionId, context.flow, context.attempt, headers["content-type"], options.base_uri]', scope)).toEqual([
      'tx-1', 'ping', 2, 'application/json', 'http://remote.example',
    ]);
    expect(evaluateExpression('exception', scope)).toBeNull();
  });

  it('offers each variable as a top-level name and under vars', () => {
    expect(evaluateExpression('[Answer, vars.Answer]', testScope())).toEqual([42, 42]);
  });

  it('lets a variable hide a built-in name (array_merge order) but never the mapper', () => {
    const scope = testScope({ id: 1 }, { vars: { body: 'shadow', mapper: 'shadow' } });
    expect(evaluateExpression('body', scope)).toBe('shadow');
    expect(evaluateExpression("mapper.has('pingToRemoteApi')", scope)).toBe(true);
  });

  it('turns an Error into plain exception data', () => {
    const error = Object.assign(new TypeError('bad'), { statusCode: 503, recoverable: true });
    expect(evaluateExpression('exception', testScope(undefined, { exception: error }))).toEqual({
      statusCode: 503, recoverable: true, name: 'TypeError', message: 'bad', type: 'TypeError',
    });
  });

  it('makes any Mapper implementation callable, helpers included', () => {
    const inner = testMapper();
    const custom: Mapper = { map: (obj, name) => inner.map(obj, name), mapAll: (list, name) => inner.mapAll(list, name), has: (name) => inner.has(name) };
    const scope = buildStepScope({ body: { message: 'm' }, context, mapper: custom });
    expect(evaluateExpression("mapper.map(body, 'pingToRemoteApi')", scope)).toEqual({ message: 'm' });
    expect(evaluateExpression("mapper.toString(12)", scope)).toBe('12');
  });
});
