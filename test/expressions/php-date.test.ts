import { ExpressionEvaluationError, evaluateExpression } from '../../src/expressions';
import { formatPhpDate, toEpochMs } from '../../src/expressions/php-date';
import { testScope } from './helpers';

const instant = Date.UTC(2024, 2, 5, 10, 20, 30, 123); // Tuesday 5 March 2024, 10:20:30.123 UTC

describe('PHP date() format letters (UTC)', () => {
  const letters: [string, string][] = [
    ['d', '05'], ['D', 'Tue'], ['j', '5'], ['l', 'Tuesday'], ['N', '2'], ['S', 'th'], ['w', '2'], ['z', '64'],
    ['W', '10'], ['F', 'March'], ['m', '03'], ['M', 'Mar'], ['n', '3'], ['t', '31'], ['L', '1'], ['o', '2024'],
    ['Y', '2024'], ['y', '24'], ['a', 'am'], ['A', 'AM'], ['B', '472'], ['g', '10'], ['G', '10'], ['h', '10'],
    ['H', '10'], ['i', '20'], ['s', '30'], ['u', '123000'], ['v', '123'], ['e', 'UTC'], ['T', 'UTC'], ['I', '0'],
    ['O', '+0000'], ['P', '+00:00'], ['p', 'Z'], ['Z', '0'], ['c', '2024-03-05T10:20:30+00:00'],
    ['r', 'Tue, 05 Mar 2024 10:20:30 +0000'], ['U', '1709634030'],
  ];

  it.each(letters)("formats '%s' as %s", (letter, expected) => {
    expect(formatPhpDate(letter, instant)).toBe(expected);
  });

  it('copies characters that are not format letters and honours backslash escapes', () => {
    expect(formatPhpDate('Y-m-d \\a\\t H:i', instant)).toBe('2024-03-05 at 10:20');
  });

  it.each([
    [Date.UTC(2021, 0, 1), 'o-W', '2020-53'],
    [Date.UTC(2024, 11, 30), 'o-W', '2025-01'],
    [Date.UTC(2023, 1, 1), 'L t', '0 28'],
    [Date.UTC(2024, 1, 1), 'L t', '1 29'],
    [Date.UTC(2024, 0, 1, 0, 5), 'g h a', '12 12 am'],
    [Date.UTC(2024, 0, 1, 13, 0), 'g h A', '1 01 PM'],
  ])('gets ISO weeks, leap years and 12-hour clocks right (%#)', (ms, format, expected) => {
    expect(formatPhpDate(format, ms)).toBe(expected);
  });

  it.each([
    [1, 'st'], [2, 'nd'], [3, 'rd'], [4, 'th'], [11, 'th'], [12, 'th'], [13, 'th'], [21, 'st'], [22, 'nd'], [23, 'rd'], [31, 'st'],
  ])('writes the English ordinal suffix of day %i as %s', (day, suffix) => {
    expect(formatPhpDate('S', Date.UTC(2024, 0, day))).toBe(suffix);
  });
});

describe('dates given to the date helpers', () => {
  const tenTwenty = Date.UTC(2024, 2, 5, 10, 20, 30);
  it.each([
    ['an ISO string in UTC', '2024-03-05T10:20:30Z', tenTwenty],
    ['an ISO string with an offset', '2024-03-05T12:20:30+02:00', tenTwenty],
    ['an ISO string with a compact offset', '2024-03-05T05:20:30-0500', tenTwenty],
    ['an ISO string without a zone (read as UTC)', '2024-03-05 10:20:30', tenTwenty],
    ['an ISO string with fractions', '2024-03-05T10:20:30.123456Z', tenTwenty + 123],
    ['a date only (midnight UTC)', '2024-03-05', Date.UTC(2024, 2, 5)],
    ["PHP's @seconds", '@1709634030', tenTwenty],
    ['epoch seconds', 1709634030, tenTwenty],
    ['epoch milliseconds', 1709634030000, tenTwenty],
    ['epoch seconds as a digit string', '1709634030', tenTwenty],
  ])('accepts %s', (_description, input, expected) => {
    expect(toEpochMs(input)).toBe(expected);
  });

  it.each([
    ['an impossible day', '2024-02-30'],
    ['an impossible hour', '2024-03-05T25:00:00Z'],
    ['relative words (they would need a clock)', 'yesterday'],
    ['a list', [2024]],
    ['a boolean', true],
  ])('rejects %s with ExpressionEvaluationError', (_description, input) => {
    expect(() => toEpochMs(input)).toThrow(ExpressionEvaluationError);
  });

  it('formats dates from the message through mapper.formatDate', () => {
    expect(evaluateExpression("mapper.formatDate('d/m/Y H:i', body.timestamp)", testScope())).toBe('05/03/2024 10:20');
  });
});
