import { ExpressionEvaluationError } from '../../src/expressions';
import { evaluate } from './helpers';

type Row = [description: string, source: string, expected: unknown];

describe('operators follow Symfony ExpressionLanguage on PHP 8 values', () => {
  const rows: Row[] = [
    // concatenation
    ['~ concatenates strings', "'a' ~ 'b'", 'ab'],
    ['~ writes numbers the PHP way', "'n=' ~ 1.5 ~ '/' ~ 10", 'n=1.5/10'],
    ['~ writes floats with PHP precision 14', "(0.1 + 0.2) ~ ' ' ~ (1 / 3) ~ ' ' ~ 1e25 ~ ' ' ~ 0.00001", '0.3 0.33333333333333 1.0E+25 1.0E-5'],
    ['~ writes null as empty and true as 1', "'[' ~ null ~ true ~ false ~ ']'", '[1]'],
    ['~ binds tighter than comparison', "'a' ~ 'b' == 'ab'", true],
    // equality
    ['== compares loosely like PHP 8', "'1' == 1", true],
    ['== compares numeric strings as numbers', "'1e3' == '1000'", true],
    ['== does not equate non-numeric strings and zero (PHP 8)', "'abc' == 0", false],
    ['== equates null and false', 'null == false', true],
    ['== compares lists by content', '[1, 2] == [1, 2]', true],
    ['!= negates ==', "'a' != 'b'", true],
    ['=== needs the same type', "'1' === 1", false],
    ['=== compares lists by content, not identity', '[1, [2]] === [1, [2]]', true],
    ['!== negates ===', '1 !== 1', false],
    // ordering
    ['< compares numbers', '1 < 2', true],
    ['> compares numbers', '3 > 2', true],
    ['<= accepts equality', '2 <= 2', true],
    ['>= compares numeric strings as numbers', "'10' >= '9'", true],
    ['< compares non-numeric strings byte-wise', "'abc' < 'abd'", true],
    // logic
    ['and gives a boolean', '1 and 2', true],
    ['&& is and', 'true && false', false],
    ['or gives a boolean', '0 or 2', true],
    ['|| is or', 'false || false', false],
    ['not negates PHP truthiness', "not ''", true],
    ['! negates', '!true', false],
    ['xor is exclusive', 'true xor true', false],
    ['word operators work right before a parenthesis, as in Symfony', "[not(body.zero), true and(false), 'b' in(['b'])]", [true, false, true]],
    ['operator words are still property names after a dot', '{not: 1, in: 2}.not', 1],
    ["'0' is falsy as in PHP", "'0' ? 'yes' : 'no'", 'no'],
    ['an empty list is falsy as in PHP', "[] ? 'yes' : 'no'", 'no'],
    ['an empty map is falsy as in PHP', "body.emptyMap ? 'yes' : 'no'", 'no'],
    ['and short-circuits: the right side is not evaluated', 'false and body.missing.deeper', false],
    ['or short-circuits', 'true or body.missing.deeper', true],
    // membership
    ['in finds a value strictly', "'b' in ['a', 'b']", true],
    ['in is strict about types', "1 in ['1', 2]", false],
    ['in looks at the values of a map', "1 in {a: 1}", true],
    ['not in negates in', "'z' not in ['a', 'b']", true],
    ['in finds lists in lists by content', '[1] in [[1], [2]]', true],
    // matches and string tests
    ['matches takes a PHP regex with delimiters', "'abc' matches '/^a.c$/'", true],
    ['matches honours flags', "'ABC' matches '/abc/i'", true],
    ['matches accepts other delimiters', "'a1' matches '#\\\\d#'", true],
    ['matches supports PCRE named groups', "'2024' matches '/(?P<year>\\\\d{4})/'", true],
    ['matches is false when the pattern does not match', "'abc' matches '/x/'", false],
    ['contains is a case-sensitive substring test', "'Hello' contains 'ell'", true],
    ['contains does not fold case (Symfony str_contains)', "'Hello' contains 'ELL'", false],
    ['starts with', "'Hello' starts with 'He'", true],
    ['ends with', "'Hello' ends with 'lo'", true],
    // conditionals
    ['a ? b : c picks b on truthy', "1 ? 'b' : 'c'", 'b'],
    ['a ? b : c picks c on falsy', "0 ? 'b' : 'c'", 'c'],
    ['a ? b without else is null when a is falsy (Symfony)', "false ? 'yes'", null],
    ['a ? b without else is b when a is truthy', "true ? 'yes'", 'yes'],
    ['a ?: b keeps a when truthy', "'a' ?: 'b'", 'a'],
    ['a ?: b falls back on falsy', "'' ?: 'b'", 'b'],
    ['conditionals nest to the right', "false ? 1 : true ? 2 : 3", 2],
    ['?? falls back on null', "null ?? 'd'", 'd'],
    ['?? forgives missing keys along the chain', "body.missing.deeper ?? 'd'", 'd'],
    ['?? forgives undefined variables', "undefinedName ?? 'd'", 'd'],
    ['?? keeps falsy non-null values', "0 ?? 'd'", 0],
    ['?. stops the chain at null', 'body.missing?.deeper.still', null],
    // literals and access
    ['[1, 2] is a list', '[1, 2]', [1, 2]],
    ['{k: v} is a map', "{k: 'v', 'q': 1, (1 + 1): 2}", { k: 'v', q: 1, '2': 2 }],
    ['{} is an empty map, not a list', '{}', {}],
    ['[] is an empty list', '[]', []],
    ['a.b reads a property', 'body.name', 'Ada'],
    ["a['b'] reads a key", "body['name']", 'Ada'],
    ['a[0] reads a list item', 'body.tags[1]', 'b'],
    ['a.b on a missing key is null', 'body.missing', null],
    ["a['b'] on a missing key is null", "body['missing']", null],
    ['a list index out of range is null', 'body.tags[10]', null],
    ['length of a list', 'body.tags.length', 3],
    ['length of a string counts characters', "('héllo').length", 5],
    ['number, string, true, false and null literals', "[1.5, 'x', \"y\", true, false, null]", [1.5, 'x', 'y', true, false, null]],
    ['string escapes are PHP stripcslashes', "'a\\tb' ~ '\\x41' ~ '\\101' ~ \"\\n\"", 'a\tbAA\n'],
    ['an unknown escape stands for the character (so regex classes need \\\\)', "'\\d' ~ '\\\\d'", 'd\\d'],
    ['numbers may have underscores', '1_000', 1000],
    // arithmetic
    ['+ adds numbers', '1 + 2', 3],
    ['+ never concatenates: numeric strings are numbers', "'1' + 1", 2],
    ['- subtracts', '5 - 7', -2],
    ['* multiplies', '6 * 7', 42],
    ['/ divides', '7 / 2', 3.5],
    ['% is integer modulo with the sign of the dividend', '-7 % 3', -1],
    ['** is power, right-associative', '2 ** 3 ** 2', 512],
    ['unary minus', '-(2 + 3)', -5],
    ['precedence: * before +', '1 + 2 * 3', 7],
    ['bitwise and/or/xor', '[6 & 3, 6 | 3, 6 ^ 3]', [2, 7, 5]],
    ['shifts are 64-bit like PHP integers', '[1 << 40, 1024 >> 3]', [1099511627776, 128]],
    ['.. builds an inclusive range', '1..4', [1, 2, 3, 4]],
    ['.. counts down too (PHP range)', '3..1', [3, 2, 1]],
  ];

  it.each(rows)('%s: %s', (_description, source, expected) => {
    expect(evaluate(source)).toEqual(expected);
  });
});

describe('operators reject values PHP 8 rejects', () => {
  const rows: [string, string][] = [
    ['arithmetic on a non-numeric string', "'abc' + 1"],
    ['division by zero', '1 / 0'],
    ['modulo by zero', '1 % 0'],
    ['concatenating a list', "'x' ~ [1]"],
    ['in on a non-array', "'a' in 'abc'"],
    ['ordering lists', '[1] < [2]'],
    ['a range too large to build', '1..1000000'],
    ['a regex without delimiters, at run time', "'a' matches body.name"],
  ];

  it.each(rows)('fails with ExpressionEvaluationError on %s', (_description, source) => {
    expect(() => evaluate(source)).toThrow(ExpressionEvaluationError);
  });
});
