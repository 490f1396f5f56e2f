import {
  ExpressionSecurityError,
  ExpressionSyntaxError,
  MAPPER_METHOD_ARITY,
  MappingRecursionError,
  UnknownMappingError,
  compileMappings,
  createMapper,
  evaluateExpression,
  forEachMappingExpression,
  mappingNamesReferenced,
  type Mapper,
} from '../../src/expressions';
import { hostMethodsOf } from '../../src/expressions/safe-access';

const mappings = {
  pingToRemoteApi: { message: 'obj.getMessage()', time: 'obj.getTimestamp()' },
  callbackToRemoteApi: {
    status: "obj.ok ? 'delivered' : 'failed'",
    transaction: "context['transactionId']",
    missing: 'obj.notThere',
    broken: 'obj.notThere.deeper',
    nested: { id: 'obj.id', empty: 'null', inner: { deep: 'obj.getFooBar()' } },
    list: ['obj.id', 'null', "'x'"],
  },
  single: "'#' ~ obj.id",
  echo: "'[' ~ obj ~ ']'",
  item: { sku: 'obj.sku', pair: "obj.key ?? 'none'" },
  wrapper: { items: "mapper.mapAll(obj.items, 'item')", first: "mapper.map(mapper.first(obj.items), 'item')" },
  withContext: { who: "mapper.map(obj, 'whoAmI', {prefix: 'user-'})" },
  whoAmI: "context['prefix'] ~ obj.name",
  dictionary: { format: 'ISO8601', micro: 'ISO8601Micro' },
  literals: { text: "'fixed'", number: '5', empty: '', zero: '0', nothing: null },
  selfish: { again: "mapper.map(obj, 'selfish')" },
};

describe('mapper.map applies SmartESB mappings', () => {
  let errors: { mapping: string; key: string; error: Error }[];
  let mapper: Mapper;
  beforeEach(() => {
    errors = [];
    mapper = createMapper(mappings, { onKeyError: (info) => errors.push(info) });
  });

  it('reads PHP getters as JSON properties (getMessage() -> message)', () => {
    expect(mapper.map({ message: 'ping', timestamp: 1700000000 }, 'pingToRemoteApi')).toEqual({ message: 'ping', time: 1700000000 });
  });

  it('reads getFooBar() as fooBar, then foo_bar, then FooBar', () => {
    const map = (obj: object): unknown => (mapper.map(obj, 'callbackToRemoteApi') as { nested: { inner: unknown } }).nested.inner;
    expect(map({ id: 1, fooBar: 'camel', foo_bar: 'snake' })).toEqual({ deep: 'camel' });
    expect(map({ id: 1, foo_bar: 'snake' })).toEqual({ deep: 'snake' });
    expect(map({ id: 1, FooBar: 'pascal' })).toEqual({ deep: 'pascal' });
  });

  it('drops keys whose value is null, at every depth, and passes context in scope', () => {
    expect(mapper.map({ ok: true, id: 3 }, 'callbackToRemoteApi', { transactionId: 'tx-9' })).toEqual({
      status: 'delivered',
      transaction: 'tx-9',
      nested: { id: 3, inner: {} },
      list: [3, 'x'],
    });
  });

  it('turns a run-time error in one key into a dropped key and reports it', () => {
    const result = mapper.map({ ok: false, id: 1 }, 'callbackToRemoteApi') as Record<string, unknown>;
    expect(result).not.toHaveProperty('broken');
    expect(result.status).toBe('failed');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ mapping: 'callbackToRemoteApi', key: 'broken' });
    expect(errors[0].error.message).toMatch(/Unable to get property 'deeper' of null.*obj\.notThere\.deeper/);
  });

  it('reports the key path of errors in nested keys', () => {
    createMapper({ m: { a: { b: 'obj.x.y' } } }, { onKeyError: (info) => errors.push(info) }).map({ z: 1 }, 'm');
    expect(errors.map((e) => e.key)).toEqual(['a.b']);
  });

  it('does not swallow security errors: the whole mapping fails', () => {
    const unsafe = createMapper({ m: { a: 'obj[obj.k]' } });
    expect(() => unsafe.map({ k: '__proto__' }, 'm')).toThrow(ExpressionSecurityError);
  });

  it.each([
    ['null', null, null],
    ['undefined (as null)', undefined, null],
    ['an empty map', {}, {}],
    ['an empty list', [], []],
    ['an empty string', '', ''],
    ['zero', 0, 0],
    ["'0'", '0', '0'],
    ['false', false, false],
  ])('maps an empty obj (%s) to itself, as PHP empty() decides', (_description, obj, expected) => {
    expect(mapper.map(obj, 'single')).toEqual(expected);
  });

  it('maps empty values the context allows with allow_empty_<type>', () => {
    expect(mapper.map('', 'echo', { allow_empty_string: true })).toBe('[]');
    expect(mapper.map(0, 'echo', { allow_empty_numeric: true })).toBe('[0]');
    expect(mapper.map('', 'echo', { allow_empty_numeric: true })).toBe('');
  });

  it('maps with a mapping that is a single expression', () => {
    expect(mapper.map({ id: 4 }, 'single')).toBe('#4');
  });

  it('keeps literal and empty leaves as SmartESB does, and drops null leaves', () => {
    expect(mapper.map({ id: 1 }, 'literals')).toEqual({ text: 'fixed', number: 5, empty: '', zero: '0' });
  });

  it("offers SmartESB's dictionary names (ISO8601, ISO8601Micro) in mappings", () => {
    expect(mapper.map({ id: 1 }, 'dictionary')).toEqual({ format: 'Y-m-d\\TH:i:sO', micro: 'Y-m-d\\TH:i:s.000' });
  });

  it('lets mappings call mappings, with a context', () => {
    expect(mapper.map({ name: 'ada' }, 'withContext')).toEqual({ who: 'user-ada' });
    expect(mapper.map({ items: [{ sku: 'a' }, { sku: 'b' }] }, 'wrapper')).toEqual({
      items: [{ sku: 'a', pair: 'none' }, { sku: 'b', pair: 'none' }],
      first: { sku: 'a', pair: 'none' },
    });
  });

  it('stops a mapping that maps itself with MappingRecursionError', () => {
    expect(() => mapper.map({ x: 1 }, 'selfish')).toThrow(MappingRecursionError);
    expect(mapper.map({ id: 2 }, 'single')).toBe('#2'); // the depth counter recovered
  });

  it('fails with UnknownMappingError on an unknown name, listing the known ones', () => {
    expect(() => mapper.map({ a: 1 }, 'nope')).toThrow(UnknownMappingError);
    expect(() => mapper.map(null, 'nope')).toThrow(/Invalid mapping name "nope" \(known: pingToRemoteApi/);
    expect(() => mapper.mapAll([], 'nope')).toThrow(UnknownMappingError);
  });

  it('tells whether a mapping exists', () => {
    expect([mapper.has('single'), mapper.has('nope'), mapper.has('toString')]).toEqual([true, false, false]);
  });
});

describe('mapper.mapAll maps each element, keeping keys', () => {
  const mapper = createMapper(mappings);

  it('maps a list into a list', () => {
    expect(mapper.mapAll([{ sku: 'a' }, { sku: 'b', key: 'k' }], 'item')).toEqual([{ sku: 'a', pair: 'none' }, { sku: 'b', pair: 'k' }]);
  });

  it('maps a map into a map with the same keys', () => {
    expect(mapper.mapAll({ first: { sku: 'a' }, second: { sku: 'b' } }, 'item')).toEqual({
      first: { sku: 'a', pair: 'none' },
      second: { sku: 'b', pair: 'none' },
    });
  });

  it('keeps empty elements as they are', () => {
    expect(mapper.mapAll([null, { sku: 'a' }], 'item')).toEqual([null, { sku: 'a', pair: 'none' }]);
  });

  it('passes {key, value} pairs when disassociating', () => {
    expect(evaluateExpression("mapper.mapAll({x: {sku: 's'}}, 'item', {}, true)", { mapper })).toEqual({ x: { pair: 'x' } });
  });

  it('refuses a non-array', () => {
    expect(() => mapper.mapAll('abc', 'item')).toThrow(/mapAll expected an array/);
  });
});

describe('mapper helpers follow SmartESB Mapper.php', () => {
  const mapper = createMapper({});
  const rows: [string, string, unknown][] = [
    ['formatDate formats a date from the message', "mapper.formatDate('Y-m-d', '2024-03-05T10:00:00Z')", '2024-03-05'],
    ['formatDate of null is null', "mapper.formatDate('Y-m-d', null)", null],
    ['formatDateTimeUtc writes ISO-8601 with Z', "mapper.formatDateTimeUtc('2024-03-05T12:00:00+02:00')", '2024-03-05T10:00:00Z'],
    ['stringToDate gives an ISO UTC date', "mapper.stringToDate('2024-03-05 10:00')", '2024-03-05T10:00:00.000Z'],
    ['stringToDate of an empty string is null', "mapper.stringToDate('')", null],
    ['timestampToDate reads epoch seconds', 'mapper.timestampToDate(0)', '1970-01-01T00:00:00.000Z'],
    ['timestampWithMsToDate reads epoch milliseconds', 'mapper.timestampWithMsToDate(1500)', '1970-01-01T00:00:01.500Z'],
    ['toString casts the PHP way', '[mapper.toString(1.0), mapper.toString(true), mapper.toString(null)]', ['1', '1', '']],
    ['first returns the first element', "mapper.first(['a', 'b'])", 'a'],
    ['first of an empty array is false (reset)', 'mapper.first([])', false],
    ['keyExists takes the array first', "mapper.keyExists({a: null}, 'a')", true],
    ['propertyExists checks a key', "mapper.propertyExists({a: 1}, 'b')", false],
    ['emptyTo replaces PHP-empty values', "[mapper.emptyTo('', 'd'), mapper.emptyTo('0', 'd'), mapper.emptyTo('x', 'd')]", ['d', 'd', 'x']],
    ['arrayToString takes the glue first', "mapper.arrayToString(', ', ['a', 'b'])", 'a, b'],
    ['stringToArray takes the delimiter first', "mapper.stringToArray('|', 'a|b')", ['a', 'b']],
    ['replaceStr replaces every occurrence', "mapper.replaceStr('a', 'o', 'banana')", 'bonono'],
    ['replaceStr takes arrays of searches and replacements', "mapper.replaceStr(['a', 'n'], ['o'], 'banana')", 'booo'],
    ['flattenArrayByKey collects one key of each element', "mapper.flattenArrayByKey([{id: 1}, {x: 2}, {id: 3}], 'id')", [1, 3]],
  ];

  it.each(rows)('%s: %s', (_description, source, expected) => {
    expect(evaluateExpression(source, { mapper })).toEqual(expected);
  });

  it('exposes exactly the methods the load-time checks know', () => {
    expect([...(hostMethodsOf(mapper)?.keys() ?? [])].sort()).toEqual([...MAPPER_METHOD_ARITY.keys()].sort());
  });
});

describe('compileMappings checks every mapping at load time', () => {
  it('accepts valid mappings', () => {
    expect(() => compileMappings(mappings)).not.toThrow();
  });

  it('names the mapping and key of a syntax error', () => {
    const attempt = (): void => compileMappings({ good: { a: 'obj.a' }, bad: { outer: { inner: 'obj.a +' } } });
    expect(attempt).toThrow(ExpressionSyntaxError);
    expect(attempt).toThrow(/^mapping 'bad' key 'outer.inner': Syntax error in expression "obj.a \+"/);
    try {
      attempt();
    } catch (error) {
      expect((error as ExpressionSyntaxError).details).toMatchObject({ mapping: 'bad', key: 'outer.inner', source: 'obj.a +' });
    }
  });

  it.each([
    ['a number leaf', { m: { a: 5 } }, /mapping 'm' key 'a': expected an expression string or a map/],
    ['an unknown function', { m: { a: 'nope(obj)' } }, /mapping 'm' key 'a': .*unknown function nope\(\)/],
    ['an unknown mapper method', { m: 'mapper.nope(obj)' }, /mapping 'm': .*unknown mapper method mapper\.nope\(\)/],
    ['a mapper call with too few arguments', { m: 'mapper.map(obj)' }, /mapper\.map\(\) takes 2 to 3 argument\(s\), 1 given/],
  ])('rejects %s', (_description, definition, message) => {
    expect(() => compileMappings(definition)).toThrow(ExpressionSyntaxError);
    expect(() => compileMappings(definition)).toThrow(message);
  });

  it('rejects forbidden keys and names as security errors', () => {
    expect(() => compileMappings(JSON.parse('{"m": {"__proto__": "obj"}}') as Record<string, unknown>)).toThrow(ExpressionSecurityError);
    expect(() => compileMappings({ m: { a: 'obj.constructor' } })).toThrow(ExpressionSecurityError);
  });

  it('lists every mapping expression with its path', () => {
    const seen: string[] = [];
    forEachMappingExpression({ a: { x: 'obj.x', y: ['obj.y', ''] }, b: 'obj' }, (source, path) => seen.push(`${path.join('/')}=${source}`));
    expect(seen).toEqual(['a/x=obj.x', 'a/y/0=obj.y', 'b=obj']);
  });
});

describe('mappingNamesReferenced lets the loader check mapping names statically', () => {
  it.each([
    ["mapper.map(CallbackMessage, 'callbackToRemoteApi')", ['callbackToRemoteApi']],
    ["{a: mapper.mapAll(body.items, 'item'), b: mapper.map(body, \"other\"), c: mapper.map(body, 'item')}", ['item', 'other']],
    ['mapper.map(body, vars.name)', []],
    ["body.map(x, 'notAMapper') ?? mapper.has('x')", []],
  ])('finds %s -> %j', (source, expected) => {
    expect(mappingNamesReferenced(source)).toEqual(expected);
  });
});
