/**
 * Standard Webhooks (https://www.standardwebhooks.com), symmetric scheme:
 * `webhook-signature: v1,<base64 HMAC-SHA256 over "id.timestamp.body">`,
 * secrets serialised `whsec_<base64>`. The bus signs outgoing requests with
 * `signWebhook`; receivers (the demo remote, tests, anyone's Node service)
 * check them with `verifyWebhook`. Node's crypto only, no dependency.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_ID = 'webhook-id';
export const WEBHOOK_TIMESTAMP = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE = 'webhook-signature';

const SECRET_PREFIX = 'whsec_';
/** The spec: "at least 24 bytes (192 bits), 512 maximum". */
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Its messages never contain a secret: they may end up in logs and workflow failures. */
export class WebhookSecretError extends Error {
  override name = 'WebhookSecretError';
}

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
}

/**
 * One or several secrets: a list, or one string of whitespace-separated
 * secrets (how rotation fits in one environment variable: `whsec_new whsec_old`).
 */
export type WebhookSecrets = string | readonly string[];

function secretList(secrets: WebhookSecrets): string[] {
  const list = (typeof secrets === 'string' ? [secrets] : [...secrets]).flatMap((s) => s.split(/\s+/)).filter((s) => s !== '');
  if (list.length === 0) throw new WebhookSecretError('no webhook signing secret given');
  return list;
}

/** `whsec_<base64>` (the prefix is optional, as in the reference libraries) to the HMAC key bytes. */
export function parseWebhookSecret(secret: string): Buffer {
  const text = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = BASE64.test(text) && text.length % 4 === 0 ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new WebhookSecretError(`a webhook signing secret must be 'whsec_' followed by the base64 of ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} random bytes`);
  }
  return key;
}

function toBytes(body: string | Uint8Array): Buffer {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
}

function hmac(key: Buffer, id: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(body).digest();
}

/**
 * The spec asks that the id contain no '.', which delimits the signed content.
 * Our ids are idempotency keys (message ids may contain '.'), so dots are
 * percent-encoded: stable across retries, unique, unambiguous.
 */
export function webhookIdFor(idempotencyKey: string): string {
  return idempotencyKey.replace(/%/g, '%25').replace(/\./g, '%2E');
}

export interface WebhookMessage {
  id: string;
  /** Seconds since the epoch (the attempt's time, not the event's: replay protection). */
  timestamp: number;
  body: string | Uint8Array;
}

/** The three headers; one `v1,` signature per secret (sending both during a rotation). */
export function signWebhook(secrets: WebhookSecrets, message: WebhookMessage): Record<string, string> {
  if (message.id === '' || message.id.includes('.')) throw new WebhookSecretError("a webhook id must be non-empty and contain no '.'");
  const timestamp = String(Math.floor(message.timestamp));
  const body = toBytes(message.body);
  const signatures = secretList(secrets).map((s) => `v1,${hmac(parseWebhookSecret(s), message.id, timestamp, body).toString('base64')}`);
  return { [WEBHOOK_ID]: message.id, [WEBHOOK_TIMESTAMP]: timestamp, [WEBHOOK_SIGNATURE]: signatures.join(' ') };
}

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way; default 300 s (the reference libraries' value). */
  toleranceSeconds?: number;
  /** Now, in ms (tests). */
  now?: number;
}

type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(record).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value.join(' ') : value;
}

/**
 * Checks a received webhook against the raw body exactly as received (not
 * re-serialised JSON: a stray space breaks the signature). Any of `secrets`
 * may have signed it, and any `v1,` entry may match (rotation on either side).
 * Returns the id and timestamp; throws WebhookVerificationError saying why not.
 */
export function verifyWebhook(secrets: WebhookSecrets, headers: HeaderSource, rawBody: string | Uint8Array, opts: VerifyOptions = {}): { id: string; timestamp: number } {
  const id = header(headers, WEBHOOK_ID);
  const timestamp = header(headers, WEBHOOK_TIMESTAMP);
  const signature = header(headers, WEBHOOK_SIGNATURE);
  if (!id || !timestamp || !signature) throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('webhook-timestamp is not a number of seconds');
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const nowSeconds = Math.floor((opts.now ?? Date.now()) / 1000);
  const ts = Number(timestamp);
  if (ts < nowSeconds - tolerance) throw new WebhookVerificationError('webhook-timestamp is too old');
  if (ts > nowSeconds + tolerance) throw new WebhookVerificationError('webhook-timestamp is in the future');

  const body = toBytes(rawBody);
  const expected = secretList(secrets).map((s) => hmac(parseWebhookSecret(s), id, timestamp, body));
  const received = signature
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => Buffer.from(entry.slice(3), 'base64'));
  // Every pair is compared (no early exit), each in constant time.
  let matched = false;
  for (const mac of expected) {
    for (const candidate of received) {
      if (candidate.length === mac.length && timingSafeEqual(candidate, mac)) matched = true;
    }
  }
  if (!matched) throw new WebhookVerificationError('no matching webhook signature');
  return { id, timestamp: ts };
}
