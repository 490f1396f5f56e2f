import type { RetryPolicy } from '@temporalio/common';
import type { RetrySettings } from '../config/types';
import { NON_RETRYABLE_ERROR_TYPES } from '../shared/errors';

/** The flow's retry settings (SmartESB retries_max / retry_delay / progressive) as Temporal's policy. */
export function toRetryPolicy(retry: RetrySettings): RetryPolicy {
  return {
    maximumAttempts: retry.maxAttempts,
    initialInterval: retry.initialIntervalMs,
    backoffCoefficient: retry.backoff,
    maximumInterval: Math.max(retry.maxIntervalMs, retry.initialIntervalMs),
    nonRetryableErrorTypes: [...NON_RETRYABLE_ERROR_TYPES],
  };
}

/** Delay before workflow-level re-run `round` (1-based), same curve as the activity retries. */
export function retryDelayMs(retry: RetrySettings, round: number): number {
  return Math.min(retry.initialIntervalMs * Math.pow(retry.backoff, round - 1), Math.max(retry.maxIntervalMs, retry.initialIntervalMs));
}
