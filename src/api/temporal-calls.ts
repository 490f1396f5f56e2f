import type { Client } from '@temporalio/client';
import { HttpError } from './http-error';

/**
 * Runs a Temporal call under a gRPC deadline. If the server is unreachable or
 * slow, the caller gets a 503; the deadline also stops the client's own
 * retries, so nothing goes on in the background.
 */
export async function withTemporal<T>(client: Client, what: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  try {
    return await client.withDeadline(Date.now() + timeoutMs, call);
  } catch (err) {
    if (isUnavailable(err)) {
      throw new HttpError(503, `Temporal is unavailable or slow (${what}, bound ${timeoutMs} ms); try again`, { timedOut: isTimeout(err) });
    }
    throw err;
  }
}

function isTimeout(err: unknown): boolean {
  const e = err as { code?: number; cause?: unknown };
  return e?.code === 4 || (e?.cause !== undefined && isTimeout(e.cause));
}

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: number; cause?: unknown };
  // gRPC codes: 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE (the client wraps them in ServiceError.cause)
  return e?.code === 14 || e?.code === 4 || (e?.cause !== undefined && isUnavailable(e.cause));
}
