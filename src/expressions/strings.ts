/**
 * PHP stripcslashes(), which Symfony's lexer applies to every string literal: C escapes
 * (\n, \t, \x41, \101 ...) become characters and any other escaped character stands for
 * itself, so '\d' is 'd' and a regex digit class must be written '\\d'.
 */
const SIMPLE: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  v: '\v',
  b: '\b',
  f: '\f',
};

export function stripcslashes(text: string): string {
  if (!text.includes('\\')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '\\' || i + 1 >= text.length) {
      out += char;
      continue;
    }
    const next = text[++i];
    const hex = next === 'x' ? /^[0-9A-Fa-f]{1,2}/.exec(text.slice(i + 1)) : null;
    const octal = /^[0-7]{1,3}/.exec(text.slice(i));
    if (SIMPLE[next] !== undefined) {
      out += SIMPLE[next];
    } else if (hex !== null) {
      out += String.fromCharCode(parseInt(hex[0], 16));
      i += hex[0].length;
    } else if (octal !== null) {
      out += String.fromCharCode(parseInt(octal[0], 8) & 0xff);
      i += octal[0].length - 1;
    } else {
      out += next;
    }
  }
  return out;
}
