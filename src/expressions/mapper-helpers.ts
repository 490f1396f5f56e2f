/**
 * Helper methods of SmartESB's Mapper (Tools/Mapper/Mapper.php), callable in expressions as
 * `mapper.name(...)`. PHP DateTime objects have no JSON form, so a "date" here is an
 * ISO-8601 UTC string; the date helpers accept such strings or epoch numbers.
 */
import { ExpressionEvaluationError } from './errors';
import { explode, firstValue, implode, keyExists } from './functions';
import { formatPhpDate, toEpochMs, toIsoString } from './php-date';
import { containerValues, describeType, isContainer, phpEmpty, phpNumber, phpString, type PlainObject } from './php-values';
import { readIndex, type HostMethod } from './safe-access';

/** Names SmartESB's mapper puts in every mapping's scope (its `$dictionary`). */
export const MAPPING_DICTIONARY: Readonly<Record<string, string>> = {
  ISO8601: 'Y-m-d\\TH:i:sO',
  ISO8601Micro: 'Y-m-d\\TH:i:s.000',
};

function array(helper: string, value: unknown): unknown[] | PlainObject {
  if (!isContainer(value)) {
    throw new ExpressionEvaluationError(`mapper.${helper}() expects an array, got ${describeType(value)}`);
  }
  return value;
}

function str(helper: string, value: unknown): string {
  if (isContainer(value)) throw new ExpressionEvaluationError(`mapper.${helper}() expects a string, got ${describeType(value)}`);
  return phpString(value);
}

const orNull = <T>(value: unknown, then: (v: unknown) => T): T | null =>
  value === null || value === undefined ? null : then(value);

/** PHP str_replace() with string or array search/replace. */
function replaceStr(search: unknown, replace: unknown, subject: unknown): string {
  const searches = isContainer(search) ? containerValues(search).map((s) => str('replaceStr', s)) : [str('replaceStr', search)];
  const replacements = isContainer(replace) ? containerValues(replace).map((s) => str('replaceStr', s)) : null;
  let result = str('replaceStr', subject);
  searches.forEach((needle, i) => {
    if (needle === '') return;
    const by = replacements === null ? str('replaceStr', replace) : (replacements[i] ?? '');
    result = result.split(needle).join(by);
  });
  return result;
}

function flattenArrayByKey(data: unknown, key: unknown): unknown[] {
  const name = str('flattenArrayByKey', key);
  return containerValues(array('flattenArrayByKey', data))
    .map((item) => (isContainer(item) ? readIndex(item, name) : null))
    .filter((value) => value !== null);
}

const spec = (min: number, max: number, fn: HostMethod['fn']): HostMethod => ({ min, max, fn });

export const MAPPER_HELPERS: ReadonlyMap<string, HostMethod> = new Map([
  ['formatDate', spec(2, 2, (format, date) => orNull(date, (d) => formatPhpDate(str('formatDate', format), toEpochMs(d))))],
  ['formatDateTimeUtc', spec(1, 1, (date) => orNull(date, (d) => formatPhpDate('Y-m-d\\TH:i:s\\Z', toEpochMs(d))))],
  ['stringToDate', spec(1, 1, (date) => (phpEmpty(date) ? null : toIsoString(toEpochMs(date))))],
  ['timestampToDate', spec(1, 1, (ts) => toIsoString(phpNumber(ts, 'timestampToDate') * 1000))],
  ['timestampWithMsToDate', spec(1, 1, (ts) => toIsoString(phpNumber(ts, 'timestampWithMsToDate')))],
  ['toString', spec(1, 1, (value) => str('toString', value))],
  ['first', spec(1, 1, (value) => firstValue(array('first', value)))],
  ['keyExists', spec(2, 2, (value, key) => keyExists(array('keyExists', value), key))],
  ['propertyExists', spec(2, 2, (value, key) => isContainer(value) && keyExists(value, key))],
  ['emptyTo', spec(2, 2, (value, fallback) => (phpEmpty(value) ? fallback : value))],
  ['arrayToString', spec(2, 2, (glue, value) => implode(str('arrayToString', glue), array('arrayToString', value)))],
  ['stringToArray', spec(2, 2, (delimiter, value) => explode(str('stringToArray', delimiter), str('stringToArray', value)))],
  ['replaceStr', spec(3, 3, replaceStr)],
  ['flattenArrayByKey', spec(2, 2, flattenArrayByKey)],
]);
