/**
 * PHP number_format(): half-up rounding, then grouping. Rounding works on the number's
 * shortest decimal form (what `String(n)` prints), which matches PHP's pre-rounding:
 * number_format(2.675, 2) is "2.68" in PHP, where (2.675).toFixed(2) gives "2.67".
 */
import { ExpressionEvaluationError } from './errors';

export function phpNumberFormat(value: number, decimals: number, decimalPoint: string, thousandsSeparator: string): string {
  if (!Number.isFinite(value)) {
    throw new ExpressionEvaluationError(`numberFormat() cannot format ${String(value)}`);
  }
  // PHP before 8.3 treats negative decimals as 0; extremely large ones are capped like sprintf's.
  const places = Math.min(Math.max(0, Math.trunc(decimals)), 53);
  const { integer, fraction } = roundHalfUp(expandExponent(String(Math.abs(value))), places);
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, () => thousandsSeparator);
  // PHP 8 never prints "-0": the sign shows only when the rounded value is non-zero.
  const negative = value < 0 && /[1-9]/.test(integer + fraction);
  return `${negative ? '-' : ''}${grouped}${places > 0 ? decimalPoint + fraction : ''}`;
}

/** "1.5e-7" -> "0.00000015", "1e+21" -> "1000000000000000000000". */
function expandExponent(text: string): string {
  const match = /^(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const digits = match[1] + (match[2] ?? '');
  const point = match[1].length + Number(match[3]);
  if (point <= 0) return `0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return digits + '0'.repeat(point - digits.length);
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}

function roundHalfUp(text: string, places: number): { integer: string; fraction: string } {
  const [integerPart, fractionPart = ''] = text.split('.');
  if (fractionPart.length <= places) {
    return { integer: integerPart, fraction: fractionPart.padEnd(places, '0') };
  }
  let digits = integerPart + fractionPart.slice(0, places);
  if (fractionPart.charCodeAt(places) >= 53 /* '5' */) digits = incrementDigits(digits);
  const integerLength = digits.length - places;
  const integer = digits.slice(0, integerLength).replace(/^0+(?=\d)/, '');
  return { integer: integer === '' ? '0' : integer, fraction: digits.slice(integerLength) };
}

function incrementDigits(digits: string): string {
  const chars = digits.split('');
  for (let i = chars.length - 1; i >= 0; i--) {
    if (chars[i] !== '9') {
      chars[i] = String(Number(chars[i]) + 1);
      return chars.join('');
    }
    chars[i] = '0';
  }
  return `1${chars.join('')}`;
}
