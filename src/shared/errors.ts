/**
 * Delivery errors, defined once. Activities throw them (converted to
 * `ApplicationFailure` at the activity edge); workflows read them back with
 * `errorInfoFromFailure`. Pure: imported by workflow code, so nothing from Node.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancelledFailure,
  ChildWorkflowFailure,
  TerminatedFailure,
  TimeoutFailure,
} from '@temporalio/common';
import type { ErrorInfo } from './delivery-types';

export type EsbErrorType =
  | 'RemoteUnavailableError'
  | 'RemoteServerError'
  | 'RemoteClientError'
  | 'ValidationFailedError'
  | 'ResponseTooLargeError'
  | 'RequestBuildError'
  | 'ConfigurationError'
  | 'ExpressionFailedError';

export interface EsbErrorDetails {
  statusCode?: number;
  recoverable: boolean;
  /** SmartESB's display_message: whether a sync caller may see the message itself. */
  displayMessage?: boolean;
  /** The producer method (`producer.method`) that failed. */
  target?: string;
}

type Optional = Omit<EsbErrorDetails, 'recoverable'>;

export class EsbError extends Error {
  readonly type: EsbErrorType;
  readonly statusCode?: number;
  readonly recoverable: boolean;
  readonly displayMessage: boolean;
  readonly target?: string;

  // The type is passed as a literal, never derived from the class name: bundlers may rename classes.
  constructor(type: EsbErrorType, message: string, details: EsbErrorDetails) {
    super(message);
    this.type = type;
    this.name = type;
    this.recoverable = details.recoverable;
    this.displayMessage = details.displayMessage ?? false;
    if (details.statusCode !== undefined) this.statusCode = details.statusCode;
    if (details.target !== undefined) this.target = details.target;
  }

  toErrorInfo(): ErrorInfo {
    const info: ErrorInfo = { type: this.type, message: this.message, recoverable: this.recoverable, displayMessage: this.displayMessage };
    if (this.statusCode !== undefined) info.statusCode = this.statusCode;
    if (this.target !== undefined) info.target = this.target;
    return info;
  }
}

/** No (complete) response: refused, reset, DNS, timeout. SmartESB retries these. */
export class RemoteUnavailableError extends EsbError {
  constructor(message: string, details: Optional = {}) {
    super('RemoteUnavailableError', message, { ...details, recoverable: true });
  }
}

/** HTTP 5xx: the remote is there but failing; retried. */
export class RemoteServerError extends EsbError {
  constructor(message: string, details: Optional & { statusCode: number }) {
    super('RemoteServerError', message, { ...details, recoverable: true });
  }
}

/** HTTP 4xx: the request itself is wrong, so retrying cannot help, except 408 and 429 (timing, not content). */
export class RemoteClientError extends EsbError {
  constructor(message: string, details: Optional & { statusCode: number }) {
    super('RemoteClientError', message, { ...details, recoverable: details.statusCode === 408 || details.statusCode === 429 });
  }
}

/** A request validation rule was falsy; recoverable as the rule says. */
export class ValidationFailedError extends EsbError {
  constructor(message: string, details: EsbErrorDetails) {
    super('ValidationFailedError', message, details);
  }
}

export class ResponseTooLargeError extends EsbError {
  constructor(message: string, details: Optional = {}) {
    super('ResponseTooLargeError', message, { ...details, recoverable: false });
  }
}

/** The request cannot be built (bad URL, host outside the producer's): nothing was sent. */
export class RequestBuildError extends EsbError {
  constructor(message: string, details: Optional = {}) {
    super('RequestBuildError', message, { ...details, recoverable: false });
  }
}

/** The worker's config cannot serve the request (unknown producer, unresolvable secret). */
export class ConfigurationError extends EsbError {
  constructor(message: string, details: Optional = {}) {
    super('ConfigurationError', message, { ...details, recoverable: false });
  }
}

/** A rule or message expression threw while being evaluated (SmartESB: not a recoverable exception). */
export class ExpressionFailedError extends EsbError {
  constructor(message: string, details: Optional = {}) {
    super('ExpressionFailedError', message, { ...details, recoverable: false });
  }
}

/** Types that are never retried whatever the flag says (for `RetryPolicy.nonRetryableErrorTypes`). */
export const NON_RETRYABLE_ERROR_TYPES: readonly EsbErrorType[] = [
  'ResponseTooLargeError',
  'RequestBuildError',
  'ConfigurationError',
  'ExpressionFailedError',
];

export type FailureInfo = ErrorInfo & { attempt?: number };

/**
 * The one conversion at the activity edge: the typed error becomes a failure
 * whose `nonRetryable` flag and `nextRetryDelay` drive Temporal's retry policy,
 * with the structured error in `details[0]` for the workflow to read back.
 * Anything else (a bug) stays retryable, as Temporal treats plain errors.
 */
export function toApplicationFailure(err: unknown, opts: { attempt: number; nextRetryDelayMs?: number }): ApplicationFailure {
  const info: ErrorInfo =
    err instanceof EsbError
      ? err.toErrorInfo()
      : { type: 'UnexpectedError', message: err instanceof Error ? err.message : String(err), recoverable: true, displayMessage: false };
  return ApplicationFailure.create({
    type: info.type,
    message: info.message,
    nonRetryable: !info.recoverable,
    details: [{ ...info, attempt: opts.attempt }],
    ...(info.recoverable && opts.nextRetryDelayMs !== undefined ? { nextRetryDelay: opts.nextRetryDelayMs } : {}),
  });
}

function isErrorInfo(value: unknown): value is FailureInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.message === 'string' && typeof v.recoverable === 'boolean';
}

function fromDetails(detail: FailureInfo): FailureInfo {
  const info: FailureInfo = { type: detail.type, message: detail.message, recoverable: detail.recoverable, displayMessage: detail.displayMessage === true };
  if (typeof detail.statusCode === 'number') info.statusCode = detail.statusCode;
  if (typeof detail.target === 'string') info.target = detail.target;
  if (typeof detail.attempt === 'number') info.attempt = detail.attempt;
  return info;
}

const plain = (type: string, message: string, recoverable: boolean): FailureInfo => ({ type, message, recoverable, displayMessage: false });

/** The first failure in the cause chain that carries our structured details. */
function findDetails(failure: unknown): FailureInfo | undefined {
  let current: unknown = failure;
  // Bounded: a cause chain is a handful deep; never loop on a malformed one.
  for (let depth = 0; depth < 20 && current instanceof Error; depth++) {
    if (current instanceof ApplicationFailure && isErrorInfo(current.details?.[0])) return fromDetails(current.details[0] as FailureInfo);
    current = current.cause;
  }
  return undefined;
}

/** A description of a failure that carries no details (Temporal's own, or a bug). */
function describe(failure: unknown): FailureInfo {
  if (failure instanceof ActivityFailure || failure instanceof ChildWorkflowFailure) {
    return failure.cause === undefined ? plain(failure.name, failure.message, false) : describe(failure.cause);
  }
  if (failure instanceof ApplicationFailure) return plain(failure.type ?? 'ApplicationFailure', failure.message, !failure.nonRetryable);
  // Hitting start-to-close means the remote never answered within the bound: the same as no response.
  if (failure instanceof TimeoutFailure) return plain('TimeoutFailure', `timed out (${String(failure.timeoutType)})`, true);
  if (failure instanceof CancelledFailure) return plain('CancelledFailure', failure.message || 'cancelled', false);
  if (failure instanceof TerminatedFailure) return plain('TerminatedFailure', failure.message || 'terminated', false);
  if (failure instanceof Error) return plain(failure.name || 'Error', failure.message, false);
  return plain('UnexpectedError', String(failure), false);
}

/**
 * Reads the structured error back from what a workflow catches: walks
 * `ActivityFailure -> ApplicationFailure` and `ChildWorkflowFailure -> ...`
 * chains (a workflow may also wrap an activity's failure in its own) to the
 * first failure carrying our details; failures from Temporal itself
 * (timeouts, cancellation) get a plain description.
 */
export function errorInfoFromFailure(failure: unknown): FailureInfo {
  return findDetails(failure) ?? describe(failure);
}
