/**
 * Turns an `HttpRequestInput` plus the producer's secrets into what goes on
 * the wire. Secrets arrive here and nowhere earlier, so nothing in this file
 * may put a header value into an error message.
 */
import type { HttpRequestInput } from '../shared/delivery-types';
import type { ResolvedSecrets } from '../config/secrets';
import type { ProducerOptions } from '../config/types';
import { ConfigurationError, RequestBuildError } from '../shared/errors';
import { hostAllowed } from '../security/hosts';
import { signWebhook, webhookIdFor, WebhookSecretError } from '../security/webhooks';
import { describeUrl, type RequestLabel } from './classify';
import type { RedirectRules } from './redirects';

export interface OutgoingRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  label: RequestLabel;
}

/** PHP's http_build_query (what Guzzle uses for `query`): `a[b]=1&list[0]=x`, null skipped, booleans 1/0. */
export function buildQueryString(query: unknown): string {
  if (query === null || query === undefined) return '';
  if (typeof query === 'string') return query.replace(/^\?/, '');
  if (typeof query !== 'object') return encodeURIComponent(String(query));
  const parts: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
      return;
    }
    const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
  };
  for (const [k, v] of Object.entries(query)) add(k, v);
  return parts.join('&');
}

function parseUrl(text: string, what: string, target: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new RequestBuildError(`${what} is not a valid URL`, { target });
  }
}

/**
 * Where a producer's requests may go, read by the worker from its own config
 * at send time (like secrets), so tightening it applies to in-flight messages.
 */
export interface RequestPolicy {
  allowedHosts: readonly string[];
  followRedirects: boolean;
}

export const BASE_URI_ONLY: RequestPolicy = { allowedHosts: [], followRedirects: false };

export function requestPolicy(options: ProducerOptions): RequestPolicy {
  return { allowedHosts: options.allowedHosts ?? [], followRedirects: options.followRedirects ?? false };
}

const isHttp = (url: URL): boolean => url.protocol === 'http:' || url.protocol === 'https:';

/**
 * The SSRF guard, for the first URL and every redirect hop: http(s) only, and
 * either the origin (and userinfo) of the trusted base, or a host the producer
 * lists in `allowed_hosts`, without userinfo (message data must not add credentials).
 */
export function checkDestination(url: URL, base: URL | undefined, allowedHosts: readonly string[]): boolean {
  if (!isHttp(url)) return false;
  if (base !== undefined && url.origin === base.origin && url.username === base.username && url.password === base.password) return true;
  return url.username === '' && url.password === '' && hostAllowed(url, allowedHosts);
}

/** The trusted base of a request: its base_uri, or none when it is empty and the producer lists allowed hosts. */
export function baseOf(input: HttpRequestInput, allowedHosts: readonly string[]): URL | undefined {
  if (input.baseUri === '' && allowedHosts.length > 0) return undefined;
  const base = parseUrl(input.baseUri, `base_uri of ${input.target}`, input.target);
  if (!isHttp(base)) {
    throw new RequestBuildError(`base_uri of ${input.target} must be http or https, not ${base.protocol}`, { target: input.target });
  }
  return base;
}

/**
 * SmartESB builds the URL as `base_uri . uri`. The SSRF guard: the result must
 * keep the origin of `input.baseUri`, which comes from the config (the
 * producer's `base_uri`, or the step's own, snapshotted at ingress) and is
 * trusted; `uri` and `query` may carry message data and must not move the
 * request to another host (`uri: '@evil.example/x'` would) unless the
 * producer allows that host.
 */
export function buildUrl(input: HttpRequestInput, allowedHosts: readonly string[] = []): URL {
  const base = baseOf(input, allowedHosts);
  const joined = `${input.baseUri}${input.uri}`;
  const url = parseUrl(joined, `request '${input.stepName}' URL`, input.target);
  if (!checkDestination(url, base, allowedHosts)) {
    const also = allowedHosts.length > 0 ? ' or one of its allowed_hosts' : '';
    throw new RequestBuildError(
      `request '${input.stepName}' of ${input.target}: uri '${input.uri}' leads outside ${base?.origin ?? 'the allowed hosts'}; requests may only go to the producer's base_uri host${also}`,
      { target: input.target },
    );
  }
  const query = buildQueryString(input.query);
  if (query !== '') url.search = url.search === '' ? query : `${url.search.slice(1)}&${query}`;
  return url;
}

/** Case-insensitive header set that keeps the first spelling of each name. */
class HeaderSet {
  private readonly map = new Map<string, [string, string]>();
  set(name: string, value: string): void {
    const key = name.toLowerCase();
    this.map.set(key, [this.map.get(key)?.[0] ?? name, value]);
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  toRecord(): Record<string, string> {
    return Object.fromEntries(this.map.values());
  }
}

/** `producer.method` -> `method`: secret step headers are keyed by method name. */
function methodName(input: HttpRequestInput): string {
  const prefix = `${input.producer}.`;
  return input.target.startsWith(prefix) ? input.target.slice(prefix.length) : input.target;
}

/** What a followed redirect is checked against, and which headers it must not carry to another origin. */
export function redirectRules(input: HttpRequestInput, secrets: ResolvedSecrets, policy: RequestPolicy): RedirectRules {
  const base = baseOf(input, policy.allowedHosts);
  const stepSecrets = secrets.requestHeaders[methodName(input)]?.[input.stepName] ?? {};
  const names = ['authorization', 'proxy-authorization', 'cookie', ...Object.keys(secrets.headers), ...Object.keys(stepSecrets)];
  return { allowed: (url) => checkDestination(url, base, policy.allowedHosts), credentialHeaders: new Set(names.map((n) => n.toLowerCase())) };
}

function authorization(input: HttpRequestInput, secrets: ResolvedSecrets): string | undefined {
  switch (input.authentication) {
    case 'basic':
      return `Basic ${Buffer.from(`${input.username ?? ''}:${secrets.password ?? ''}`, 'utf8').toString('base64')}`;
    case 'bearer':
      if (!secrets.token) throw new ConfigurationError(`producer '${input.producer}' uses bearer authentication but has no options.token`, { target: input.target });
      return `Bearer ${secrets.token}`;
    default:
      return undefined;
  }
}

/**
 * Precedence, lowest first: producer secret headers, the resolved plain
 * headers (producer defaults merged with the step's by the workflow), the
 * step's secret headers, authentication, then the ESB's own headers, which a
 * config cannot override because receivers de-duplicate on them.
 */
export function buildHeaders(input: HttpRequestInput, secrets: ResolvedSecrets, hasBody: boolean, own: Record<string, string> = {}): Record<string, string> {
  const headers = new HeaderSet();
  for (const [k, v] of Object.entries(secrets.headers)) headers.set(k, v);
  for (const [k, v] of Object.entries(input.headers)) headers.set(k, String(v));
  const stepSecrets = secrets.requestHeaders[methodName(input)]?.[input.stepName] ?? {};
  for (const [k, v] of Object.entries(stepSecrets)) headers.set(k, v);
  const auth = authorization(input, secrets);
  if (auth !== undefined) headers.set('Authorization', auth);
  if (hasBody && !headers.has('content-type')) headers.set('Content-Type', 'application/json');
  if (!headers.has('accept')) headers.set('Accept', 'application/json');
  headers.set('X-Transaction-Id', input.transactionId);
  headers.set('Idempotency-Key', input.idempotencyKey);
  for (const [k, v] of Object.entries(own)) headers.set(k, v);
  return headers.toRecord();
}

/**
 * Standard Webhooks headers over the exact bytes sent. The id is the
 * idempotency key, so a retried attempt carries the same id (receivers
 * de-duplicate on it) and a fresh timestamp and signature (replay protection).
 */
export function signingHeaders(input: HttpRequestInput, secrets: ResolvedSecrets, body: string | undefined, now = Date.now()): Record<string, string> {
  if (secrets.signingSecret === undefined) return {};
  try {
    return signWebhook(secrets.signingSecret, { id: webhookIdFor(input.idempotencyKey), timestamp: now / 1000, body: body ?? '' });
  } catch (err) {
    // The helper's messages describe the expected format, never the value.
    if (err instanceof WebhookSecretError) {
      throw new ConfigurationError(`secret options.signing.secret of producer '${input.producer}': ${err.message}`, { target: input.target });
    }
    throw err;
  }
}

/** SmartESB's encoding is JSON only; `body: ~` sends nothing. */
export function encodeBody(body: unknown): string | undefined {
  if (body === null || body === undefined) return undefined;
  return JSON.stringify(body);
}

export function buildRequest(input: HttpRequestInput, secrets: ResolvedSecrets, policy: RequestPolicy = BASE_URI_ONLY): OutgoingRequest {
  const url = buildUrl(input, policy.allowedHosts);
  const method = input.httpMethod.toUpperCase();
  const body = encodeBody(input.body);
  const headers = buildHeaders(input, secrets, body !== undefined, signingHeaders(input, secrets, body));
  return { url, method, headers, ...(body !== undefined ? { body } : {}), label: { method, url: describeUrl(url), target: input.target } };
}
