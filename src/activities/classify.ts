/**
 * SmartESB's rule for HTTP outcomes, in one place: status >= 400 is an error
 * before any validation runs; 5xx and no response are recoverable, 4xx is not
 * (except 408 and 429, which say "later", not "wrong").
 */
import { STATUS_CODES } from 'node:http';
import { EsbError, RemoteClientError, RemoteServerError, RemoteUnavailableError } from '../shared/errors';

/** A remote may ask for a long pause; more than this is treated as a misconfiguration and capped. */
export const MAX_RETRY_AFTER_MS = 60 * 60 * 1000;

export interface RequestLabel {
  method: string;
  /** Already stripped of credentials (see `describeUrl`). */
  url: string;
  target?: string;
}

export interface ResponseFacts extends RequestLabel {
  statusCode: number;
  /** Lower-cased names. */
  headers: Record<string, string>;
}

export interface Classification {
  error: EsbError;
  nextRetryDelayMs?: number;
}

/**
 * `Retry-After` as delay-seconds or an HTTP date, in ms from `now`, capped.
 * Unparseable or past values give undefined: the retry policy's own delay applies.
 */
export function parseRetryAfter(value: string | undefined, now: number, capMs = MAX_RETRY_AFTER_MS): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return undefined;
    ms = at - now;
  }
  if (!Number.isFinite(ms) || ms < 0) return undefined;
  return Math.min(ms, capMs);
}

/** `POST http://host/path answered 503 Service Unavailable`. */
export function statusMessage(label: RequestLabel, statusCode: number): string {
  const reason = STATUS_CODES[statusCode];
  return `${label.method} ${label.url} answered ${statusCode}${reason ? ` ${reason}` : ''}`;
}

/** Null for 1xx-3xx (a response to validate); the typed error otherwise. */
export function classifyResponse(facts: ResponseFacts, now: number = Date.now()): Classification | null {
  const { statusCode } = facts;
  if (statusCode < 400) return null;
  const details = { statusCode, ...(facts.target !== undefined ? { target: facts.target } : {}) };
  const message = statusMessage(facts, statusCode);
  const error = statusCode >= 500 ? new RemoteServerError(message, details) : new RemoteClientError(message, details);
  // Only these two statuses define Retry-After as "come back then" (RFC 9110 10.2.3).
  const delay = statusCode === 429 || statusCode === 503 ? parseRetryAfter(facts.headers['retry-after'], now) : undefined;
  return delay === undefined ? { error } : { error, nextRetryDelayMs: delay };
}

/** No response at all (refused, reset, DNS, timeout, cut-off body): always recoverable. */
export function classifyNoResponse(label: RequestLabel, reason: string): Classification {
  const details = label.target !== undefined ? { target: label.target } : {};
  return { error: new RemoteUnavailableError(`${label.method} ${label.url} got no response: ${reason}`, details) };
}

/**
 * The URL as it may appear in messages and logs: no userinfo, which is the
 * only place a credential could hide in a URL we build.
 */
export function describeUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search}`;
}
