import { createHash } from 'node:crypto';
import {
  ExpressionEvaluationError,
  ExpressionSyntaxError,
  compileExpression,
  evaluateExpression,
} from '../../src/expressions';
import { evaluate, testScope } from './helpers';

type Row = [description: string, source: string, expected: unknown];

describe('SmartESB expression functions', () => {
  const rows: Row[] = [
    ['hasKey finds a key of a map', "hasKey('id', body)", true],
    ['hasKey is false for a missing key', "hasKey('nope', body)", false],
    ['hasKey is true for a key holding null (array_key_exists)', "hasKey('nothing', body.nested)", true],
    ['hasKey takes list indexes', "[hasKey(0, ['a']), hasKey(1, ['a'])]", [true, false]],
    ['getFirst returns the first element of a list', "getFirst(['x', 'y'])", 'x'],
    ['getFirst returns the first value of a map', 'getFirst({b: 2, a: 1})', 2],
    ['getFirst of an empty array is false, as PHP reset()', 'getFirst([])', false],
    ['defaultTo keeps non-null values, even falsy ones', "defaultTo(0, 'd')", 0],
    ['defaultTo replaces null', "defaultTo(body.missing, 'd')", 'd'],
    ['contains finds a substring', "contains('haystack', 'st')", true],
    ['contains is case-sensitive', "contains('haystack', 'ST')", false],
    ['contains finds a value in a list, strictly', "[contains(['a', 1], 1), contains(['a', 1], '1')]", [true, false]],
    ['count counts a list', 'count(body.tags)', 3],
    ['count counts the keys of a map', 'count({a: 1, b: 2})', 2],
    ['slice takes from an offset', 'slice([1, 2, 3, 4, 5], 2)', [3, 4, 5]],
    ['slice takes a negative offset and a length', 'slice([1, 2, 3, 4, 5], -2, 1)', [4]],
    ['slice takes a negative length', 'slice([1, 2, 3, 4, 5], 1, -1)', [2, 3, 4]],
    ['slice keeps list keys when asked', 'slice([1, 2, 3, 4, 5], 2, 2, true)', { '2': 3, '3': 4 }],
    ['slice keeps map keys', 'slice({a: 1, b: 2, c: 3}, 1)', { b: 2, c: 3 }],
    ['explode takes the delimiter first', "explode(',', 'a,b,,c')", ['a', 'b', '', 'c']],
    ['explode of an empty string is one empty string', "explode(',', '')", ['']],
    ['implode takes the glue first and writes values the PHP way', "implode('-', ['a', 1, 1.5, true, null])", 'a-1-1.5-1-'],
    ['implode joins the values of a map', "implode('', {x: 'a', y: 'b'})", 'ab'],
    ['substr takes start and length', "substr('abcdef', 1, 3)", 'bcd'],
    ['substr takes a negative start', "substr('abcdef', -2)", 'ef'],
    ['substr takes a negative length', "substr('abcdef', 1, -2)", 'bcd'],
    ['substr past the end is empty', "substr('abc', 5)", ''],
    ['substr counts characters, never cutting UTF-8', "substr('héllo', 0, 2)", 'hé'],
    ['substr of a non-string is empty (SmartESB)', 'substr(12345, 0, 2)', ''],
    ['strtoupper maps ASCII letters only, as PHP 8', "strtoupper('héllo')", 'HéLLO'],
    ['strtolower maps ASCII letters only', "strtolower('ÀBC')", 'Àbc'],
    ['md5 is the hex MD5 of the UTF-8 bytes', "md5('abc')", '900150983cd24fb0d6963f7d28e17f72'],
    ['md5 of a number hashes its PHP string form', 'md5(1)', 'c4ca4238a0b923820dcc509a6f75849b'],
    ['numberFormat defaults to no decimals and comma thousands', 'numberFormat(1234.5678)', '1,235'],
    ['numberFormat rounds half up', 'numberFormat(1234.5678, 2)', '1,234.57'],
    ['numberFormat takes separators', "numberFormat(1234.5678, 2, ',', '.')", '1.234,57'],
    ['numberFormat takes multi-character separators', "numberFormat(1234567.891, 1, ' dot ', ' ')", '1 234 567 dot 9'],
    ['numberFormat rounds the decimal form like PHP (1.005 -> 1.01)', 'numberFormat(1.005, 2)', '1.01'],
    ['numberFormat rounds 2.675 up like PHP', 'numberFormat(2.675, 2)', '2.68'],
    ['numberFormat pads decimals', 'numberFormat(0.000001, 8)', '0.00000100'],
    ['numberFormat keeps the sign', 'numberFormat(-1234.567, 2)', '-1,234.57'],
    ['numberFormat never prints -0 (PHP 8)', 'numberFormat(-0.4)', '0'],
    ['numberFormat handles large numbers', 'numberFormat(1e15)', '1,000,000,000,000,000'],
    ['numberFormat takes numeric strings', "numberFormat('12.50', 1)", '12.5'],
    ['numberFormat of null is null (SmartESB)', 'numberFormat(null)', null],
    ['removeNewLines trims and joins lines with one space', "removeNewLines(\"  a\\r\\nb\\n\\nc  \")", 'a b c'],
    ['isRecoverable reads recoverable of the exception', 'isRecoverable({recoverable: true})', true],
    ['isRecoverable is false unless recoverable is true', "isRecoverable({recoverable: 'yes'})", false],
    ['getKey reads key of a disassociated pair', "getKey({key: 'k', value: 'v'})", 'k'],
    ['getValue reads value of a disassociated pair', "getValue({key: 'k', value: 'v'})", 'v'],
  ];

  it.each(rows)('%s: %s', (_description, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });

  it('md5 equals node:crypto (and so PHP md5) on UTF-8 and long inputs', () => {
    const inputs = ['', 'a', 'message digest', 'héllo wörld ✓ 😀', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'y'.repeat(1000)];
    for (const input of inputs) {
      expect(evaluateExpression('md5(s)', { s: input })).toBe(createHash('md5').update(input, 'utf8').digest('hex'));
    }
  });

  it('isRecoverable reads the exception of a failed step, built from an Error', () => {
    const error = Object.assign(new Error('timeout'), { recoverable: true });
    expect(evaluateExpression('isRecoverable(exception)', testScope(undefined, { exception: error }))).toBe(true);
    expect(evaluateExpression('exception.message', testScope(undefined, { exception: error }))).toBe('timeout');
  });

  const failures: [string, string][] = [
    ['hasKey on a non-array', "hasKey('a', 'abc')"],
    ['getFirst on a non-array', "getFirst('abc')"],
    ['contains on non-strings', "contains(1, 'a')"],
    ['count on a string', "count('abc')"],
    ['explode with an empty delimiter', "explode('', 'abc')"],
    ['implode of nested lists', "implode(',', [[1]])"],
    ['numberFormat of a non-numeric string', "numberFormat('abc')"],
    ['isRecoverable on a non-exception', "isRecoverable('x')"],
    ['getKey without a key', 'getKey({value: 1})'],
  ];

  it.each(failures)('fails with ExpressionEvaluationError on %s', (_description, source) => {
    expect(() => evaluate(source)).toThrow(ExpressionEvaluationError);
  });

  const loadTime: [string, string, RegExp][] = [
    ['an unknown function', 'nope(1)', /unknown function nope\(\) \(known: hasKey, getFirst/],
    ['too few arguments', 'md5()', /md5\(\) takes 1 argument\(s\), 0 given/],
    ['too many arguments', "explode(',', 'a', 2)", /explode\(\) takes 2 argument\(s\), 3 given/],
    ['constant(), which reads globals', "constant('X')", /constant\(\) is not supported/],
    ['uniqid(), which is random', 'uniqid()', /uniqid\(\) is not supported: it is random/],
    ['date(), which reads the clock', "date('Y')", /date\(\) is not supported: it reads the clock/],
  ];

  it.each(loadTime)('rejects %s when compiling', (_description, source, message) => {
    expect(() => compileExpression(source)).toThrow(ExpressionSyntaxError);
    expect(() => compileExpression(source)).toThrow(message);
  });
});
