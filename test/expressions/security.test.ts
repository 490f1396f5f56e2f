import {
  ExpressionSecurityError,
  compileExpression,
  createMapper,
  evaluateExpression,
  resolveValue,
} from '../../src/expressions';
import { evaluate, testScope } from './helpers';

describe('expressions cannot reach the JavaScript runtime', () => {
  const escapes: [string, string][] = [
    ['the Function constructor through a map', "body.constructor.constructor('return process')()"],
    ['the Function constructor without the final call', "body.constructor.constructor('return process')"],
    ['__proto__ by index', "body['__proto__']"],
    ['__proto__ by property', 'body.__proto__'],
    ['prototype', 'body.prototype'],
    ["a string's constructor", "('x').constructor"],
    ["a list's constructor", '[].constructor'],
    ["a map literal's toString", '{}.toString'],
    ["a list's built-in methods", 'body.tags.map'],
    ["a string's built-in methods", "('x').toUpperCase"],
    ['calling a method on data', 'body.toString()'],
    ['calling hasOwnProperty on data', "body.hasOwnProperty('id')"],
    ['calling a method on a list', 'body.tags.join()'],
    ['calling a method on a string', "body.name.trim()"],
    ["the mapper's constructor", 'mapper.constructor'],
    ["reading a mapper method to call it later", 'mapper.map.call'],
    ['reading a mapper method at all', 'mapper.map'],
    ['a getter that names a built-in', 'body.getToString()'],
    ['a getter that names constructor', 'body.getConstructor()'],
    ['a dynamic key naming __proto__', "body[('__pro' ~ 'to__')]"],
    ['a dynamic key naming constructor', "body[('con' ~ 'structor')]"],
    ['a hash literal key __proto__', "{'__proto__': 1}"],
    ['a dynamic hash key __proto__', "{('__pro' ~ 'to__'): 1}"],
    ['__defineGetter__', 'body.__defineGetter__'],
    ['a variable named constructor', 'constructor'],
  ];

  it.each(escapes)('rejects %s with ExpressionSecurityError: %s', (_description, source) => {
    expect(() => evaluate(source)).toThrow(ExpressionSecurityError);
  });

  it('rejects forbidden names already when the expression is compiled (load time)', () => {
    expect(() => compileExpression("body.constructor.constructor('return process')()")).toThrow(
      /Forbidden property 'constructor' in expression .* at position 6/,
    );
    expect(() => compileExpression("body['__proto__']")).toThrow(ExpressionSecurityError);
  });

  it("never yields Object.prototype for a JSON own key '__proto__' (data from JSON.parse)", () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "key": "__proto__"}') as unknown;
    const scope = testScope(body);
    expect(() => evaluateExpression('body[body.key]', scope)).toThrow(ExpressionSecurityError);
    expect(() => evaluateExpression('body.getProto()', scope)).not.toThrow();
    expect(evaluateExpression('body.getProto()', scope)).toBeNull();
  });

  it('does not pollute prototypes when mapping data keyed __proto__', () => {
    const mapper = createMapper({ copy: { value: 'obj' } });
    const items = JSON.parse('{"__proto__": {"polluted": true}}') as unknown;
    const result = mapper.mapAll(items, 'copy') as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(result)).toEqual(['__proto__']);
  });

  it('does not pollute prototypes when resolving config values keyed __proto__', () => {
    const config = JSON.parse('{"__proto__": {"polluted": "eval: 1"}}') as unknown;
    const result = resolveValue(config, testScope()) as Record<string, unknown>;
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never calls functions found in data, even under getter names', () => {
    const spy = jest.fn(() => 'called');
    const scope = testScope({ getName: spy, run: spy });
    expect(() => evaluateExpression('body.run()', scope)).toThrow(ExpressionSecurityError);
    expect(evaluateExpression('body.getRun()', scope)).toBe(spy); // read as a value, never invoked
    expect(() => evaluateExpression('body.getRun().call()', scope)).toThrow(ExpressionSecurityError);
    expect(spy).not.toHaveBeenCalled();
  });

  it('does not read through accessor properties, which would run code', () => {
    const getter = jest.fn(() => 'secret');
    const body = Object.defineProperty({}, 'token', { get: getter, enumerable: true });
    expect(() => evaluate('body.token', testScope(body))).toThrow(ExpressionSecurityError);
    expect(getter).not.toHaveBeenCalled();
  });

  it('treats non-plain objects (class instances, dates) as opaque', () => {
    const scope = testScope({ when: new Date(0), map: new Map([['a', 1]]) });
    expect(() => evaluateExpression('body.when.getTime', scope)).toThrow(ExpressionSecurityError);
    expect(() => evaluateExpression("body.map['a']", scope)).toThrow(ExpressionSecurityError);
  });

  it('refuses constant(), which in expression-language reads any global such as process', () => {
    expect(() => compileExpression("constant('process.pid')")).toThrow(/constant\(\) is not supported/);
  });

  it('explains the refusal in the error message', () => {
    expect(() => evaluate('body.toString()')).toThrow(/data has no methods/);
    expect(() => evaluate('{}.toString')).toThrow(/built-in member 'toString' is forbidden/);
  });
});
