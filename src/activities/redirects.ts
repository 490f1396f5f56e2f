/**
 * Redirects, for producers that opt in with `follow_redirects: true`: at most
 * five hops, each checked like the first URL (the base_uri origin or an
 * allowed host), so a remote cannot bounce a request, and the credentials it
 * carries, to a host the config does not name. Without the option a 3xx is
 * simply the response (see http-client.ts: undici follows nothing itself).
 */
import { RequestBuildError } from '../shared/errors';
import { describeUrl } from './classify';
import type { HttpClient, RawResponse, SendOptions } from './http-client';
import type { OutgoingRequest } from './request-build';

export const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Describe the body just dropped: a signature over it would no longer match. */
const BODY_HEADERS = ['content-type', 'content-length', 'webhook-id', 'webhook-timestamp', 'webhook-signature'];

export interface RedirectRules {
  /** The same destination check as the first URL's. */
  allowed(url: URL): boolean;
  /** Lower-cased names of the headers carrying credentials: never sent to another origin. */
  credentialHeaders: ReadonlySet<string>;
  maxRedirects?: number;
}

function refuse(req: OutgoingRequest, why: string): RequestBuildError {
  return new RequestBuildError(`${req.label.method} ${req.label.url}: ${why}`, req.label.target ? { target: req.label.target } : {});
}

function without(headers: Record<string, string>, drop: (lowerName: string) => boolean): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop(name.toLowerCase())));
}

function nextHop(req: OutgoingRequest, status: number, location: string, rules: RedirectRules): OutgoingRequest {
  let url: URL;
  try {
    url = new URL(location, req.url);
  } catch {
    throw refuse(req, `answered ${status} with a Location that is not a URL`);
  }
  if (req.url.protocol === 'https:' && url.protocol === 'http:') throw refuse(req, `redirected from https to ${describeUrl(url)}; not followed`);
  if (!rules.allowed(url)) {
    throw refuse(req, `redirected to ${describeUrl(url)}, outside the producer's base_uri host and allowed_hosts; not followed`);
  }
  // What browsers and fetch do (RFC 9110 15.4): 303 becomes a GET, and so do 301/302 after a POST.
  const toGet = (status === 303 && req.method !== 'HEAD') || ((status === 301 || status === 302) && req.method === 'POST');
  let headers = req.headers;
  if (url.origin !== req.url.origin) headers = without(headers, (name) => rules.credentialHeaders.has(name));
  if (toGet) headers = without(headers, (name) => BODY_HEADERS.includes(name));
  const method = toGet ? 'GET' : req.method;
  const next: OutgoingRequest = { url, method, headers, label: { ...req.label, method, url: describeUrl(url) } };
  if (!toGet && req.body !== undefined) next.body = req.body;
  return next;
}

export async function sendFollowingRedirects(http: HttpClient, first: OutgoingRequest, opts: SendOptions, rules: RedirectRules): Promise<RawResponse> {
  const max = rules.maxRedirects ?? MAX_REDIRECTS;
  // The request's timeout bounds all hops together: the activity's start-to-close is set from it.
  const deadline = Date.now() + opts.timeoutMs;
  let req = first;
  for (let hop = 0; ; hop += 1) {
    const res = await http.send(req, { ...opts, timeoutMs: Math.max(1, deadline - Date.now()) });
    const location = res.headers.location;
    if (!REDIRECT_STATUSES.has(res.statusCode) || location === undefined) return res;
    if (hop >= max) throw refuse(req, `answered ${res.statusCode} after ${max} redirects already followed; giving up`);
    req = nextHop(req, res.statusCode, location, rules);
  }
}
