import { HttpError } from './http-error';

/**
 * PHP's json_decode refuses documents nested deeper than 512 levels by
 * default, so no SmartESB caller sends deeper ones; deeper ones would make
 * Temporal's JSON payload converter (recursive JSON.stringify) throw, an
 * internal error instead of a refusal.
 */
export const MAX_JSON_DEPTH = 512;

/** Whether a parsed JSON value nests deeper than `max`; iterative, so the check itself cannot overflow the stack. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/**
 * Checks a parsed message before it becomes a workflow input. The body parser
 * bounds the bytes received, but the workflow carries the body re-encoded
 * (several times: input, activity input, validation scope), and re-encoding
 * can grow it: each invalid UTF-8 byte becomes a 3-byte U+FFFD. So the
 * re-encoded size is bounded too; past it Temporal would refuse the payloads
 * and leave the delivery stuck, failing its workflow task forever.
 */
export function checkMessageBody(body: unknown, limitBytes: number): void {
  if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
    throw new HttpError(400, `JSON nested deeper than ${MAX_JSON_DEPTH} levels`, { maxDepth: MAX_JSON_DEPTH });
  }
  const encoded = body === undefined ? 0 : Buffer.byteLength(JSON.stringify(body), 'utf8');
  if (encoded > limitBytes) {
    throw new HttpError(413, 'body exceeds the size limit once decoded (invalid UTF-8 grows as U+FFFD)', { limitBytes });
  }
}
