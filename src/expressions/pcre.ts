/**
 * `matches` takes a PHP (PCRE) pattern with delimiters and flags, e.g. '/^ab+c$/i' or
 * '#\d+#'. This converts the common subset to a JavaScript RegExp, and refuses the rest
 * clearly instead of matching differently.
 */
import { ExpressionEvaluationError } from './errors';

const CLOSING: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}', '<': '>' };
const FLAG_MAP: Readonly<Record<string, string>> = { i: 'i', m: 'm', s: 's', u: 'u', D: '' };
const MAX_CACHED = 500;
const cache = new Map<string, RegExp>();

export function pcreToRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached !== undefined) return cached;
  const regexp = convert(pattern);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(pattern, regexp);
  return regexp;
}

function convert(pattern: string): RegExp {
  const trimmed = pattern.replace(/^\s+/, '');
  const open = trimmed.charAt(0);
  if (open === '' || /[A-Za-z0-9\\\s]/.test(open)) {
    throw new ExpressionEvaluationError(`Invalid regular expression "${pattern}": it must start with a delimiter such as '/'`);
  }
  const close = CLOSING[open] ?? open;
  const end = trimmed.lastIndexOf(close);
  if (end <= 0) {
    throw new ExpressionEvaluationError(`Invalid regular expression "${pattern}": no ending delimiter '${close}'`);
  }
  let flags = '';
  for (const flag of trimmed.slice(end + 1).trim()) {
    const mapped = FLAG_MAP[flag];
    if (mapped === undefined) {
      throw new ExpressionEvaluationError(`Unsupported regular expression flag '${flag}' in "${pattern}" (supported: i, m, s, u, D)`);
    }
    if (!flags.includes(mapped)) flags += mapped;
  }
  // PCRE spellings JavaScript lacks: named groups (?P<n>...), and the \A / \z anchors.
  const source = trimmed
    .slice(1, end)
    .replace(/\(\?P</g, '(?<')
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\z/g, '$1(?![\\s\\S])');
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new ExpressionEvaluationError(`Invalid regular expression "${pattern}": ${(error as Error).message}`);
  }
}
