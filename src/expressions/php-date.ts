/**
 * PHP date() formatting in UTC, and the date inputs expressions accept. There is no clock
 * here (workflow code must be deterministic): every date comes from the message.
 */
import { ExpressionEvaluationError } from './errors';

const DAY_MS = 86_400_000;
const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
/** Numbers below this are epoch seconds (up to year 5138), above are milliseconds (from 1973). */
export const EPOCH_SECONDS_LIMIT = 1e11;
const MAX_EPOCH_MS = 8.64e15;

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Epoch milliseconds of a date given as an ISO-8601 string (no zone means UTC), '@seconds'
 * (PHP's form), or epoch seconds/milliseconds as a number or digit string.
 */
export function toEpochMs(value: unknown): number {
  if (typeof value === 'number') return checkedMs(Math.abs(value) < EPOCH_SECONDS_LIMIT ? value * 1000 : value, value);
  if (typeof value !== 'string') {
    throw new ExpressionEvaluationError(`Expected a date (ISO-8601 string or epoch number), got ${typeof value}`);
  }
  const text = value.trim();
  const at = /^@(-?\d+(?:\.\d+)?)$/.exec(text);
  if (at !== null) return checkedMs(Number(at[1]) * 1000, value);
  if (/^-?\d+$/.test(text)) return toEpochMs(Number(text));
  const m = ISO_DATE.exec(text);
  if (m === null) throw new ExpressionEvaluationError(`Unrecognised date "${value}" (expected ISO-8601)`);
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0));
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const parts = new Date(local);
  if (month < 1 || month > 12 || parts.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new ExpressionEvaluationError(`Invalid date "${value}"`);
  }
  return checkedMs(local - offsetMinutes(m[8]) * 60_000, value);
}

function offsetMinutes(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
  return zone.startsWith('-') ? -minutes : minutes;
}

function checkedMs(ms: number, original: unknown): number {
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_EPOCH_MS) {
    throw new ExpressionEvaluationError(`Date out of range: ${String(original)}`);
  }
  return Math.floor(ms);
}

/** Canonical ISO-8601 UTC form, e.g. 2024-01-02T03:04:05.000Z. */
export function toIsoString(epochMs: number): string {
  return new Date(checkedMs(epochMs, epochMs)).toISOString();
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

/** PHP date($format) for a UTC instant; unknown letters are copied, `\` escapes the next one. */
export function formatPhpDate(format: string, epochMs: number): string {
  const d = new Date(checkedMs(epochMs, epochMs));
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const letter = format[i];
    if (letter === '\\') {
      i++;
      out += format[i] ?? '';
    } else {
      out += formatLetter(letter, d);
    }
  }
  return out;
}

function formatLetter(letter: string, d: Date): string {
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  const weekday = d.getUTCDay();
  const hour = d.getUTCHours();
  switch (letter) {
    case 'd': return pad(day);
    case 'D': return DAY_NAMES[weekday].slice(0, 3);
    case 'j': return String(day);
    case 'l': return DAY_NAMES[weekday];
    case 'N': return String(weekday === 0 ? 7 : weekday);
    case 'S': return ordinalSuffix(day);
    case 'w': return String(weekday);
    case 'z': return String(dayOfYear(d));
    case 'W': return pad(isoWeek(d).week);
    case 'F': return MONTH_NAMES[month];
    case 'm': return pad(month + 1);
    case 'M': return MONTH_NAMES[month].slice(0, 3);
    case 'n': return String(month + 1);
    case 't': return String(new Date(Date.UTC(year, month + 1, 0)).getUTCDate());
    case 'L': return isLeapYear(year) ? '1' : '0';
    case 'o': return String(isoWeek(d).year);
    case 'Y': return `${year < 0 ? '-' : ''}${pad(year, 4)}`;
    case 'y': return pad(year % 100);
    case 'a': return hour < 12 ? 'am' : 'pm';
    case 'A': return hour < 12 ? 'AM' : 'PM';
    case 'B': return pad(Math.floor((((d.getTime() / 1000 + 3600) % 86400) + 86400) % 86400 / 86.4), 3);
    case 'g': return String(hour % 12 || 12);
    case 'G': return String(hour);
    case 'h': return pad(hour % 12 || 12);
    case 'H': return pad(hour);
    case 'i': return pad(d.getUTCMinutes());
    case 's': return pad(d.getUTCSeconds());
    case 'u': return pad(d.getUTCMilliseconds() * 1000, 6);
    case 'v': return pad(d.getUTCMilliseconds(), 3);
    case 'e': return 'UTC';
    case 'T': return 'UTC';
    case 'I': return '0';
    case 'O': return '+0000';
    case 'P': return '+00:00';
    case 'p': return 'Z';
    case 'Z': return '0';
    case 'c': return formatPhpDate('Y-m-d\\TH:i:sP', d.getTime());
    case 'r': return formatPhpDate('D, d M Y H:i:s O', d.getTime());
    case 'U': return String(Math.floor(d.getTime() / 1000));
    default: return letter;
  }
}

function ordinalSuffix(day: number): string {
  if (day >= 11 && day <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function dayOfYear(d: Date): number {
  return Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS);
}

/** ISO-8601 week: the week (and its year) that holds this week's Thursday. */
function isoWeek(d: Date): { year: number; week: number } {
  const isoDay = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
  const thursday = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 4 - isoDay));
  return { year: thursday.getUTCFullYear(), week: Math.floor(dayOfYear(thursday) / 7) + 1 };
}
