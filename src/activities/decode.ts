/**
 * The response body as validations and `responses[name].body` see it:
 * decoded JSON when the remote says JSON (SmartESB decodes with its JSON
 * serializer), text otherwise, null when empty.
 */

export interface DecodedBody {
  body: unknown;
  /** Set when the remote declared JSON but sent something else: kept as text, worth a log line. */
  problem?: string;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$|^text\/json$/i;

function parseContentType(value: string | undefined): { mime: string; charset?: string } {
  const [mime = '', ...params] = (value ?? '').split(';').map((part) => part.trim());
  const charset = params.find((p) => p.toLowerCase().startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  return charset ? { mime, charset } : { mime };
}

function decodeText(bytes: Buffer, charset: string | undefined): string {
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the best guess, and never a crash.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

export function decodeBody(bytes: Buffer, contentType: string | undefined): DecodedBody {
  if (bytes.length === 0) return { body: null };
  const { mime, charset } = parseContentType(contentType);
  const text = decodeText(bytes, charset);
  if (!JSON_TYPE.test(mime)) return { body: text };
  if (text.trim() === '') return { body: null };
  try {
    return { body: JSON.parse(text) as unknown };
  } catch (err) {
    return { body: text, problem: `declared ${mime} but is not valid JSON (${(err as Error).message})` };
  }
}
