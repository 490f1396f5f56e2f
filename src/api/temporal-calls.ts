import { HttpError } from './http-error';

/**
 * Runs a Temporal call under a deadline. If the server is unreachable or slow,
 * the caller gets a 503 and knows nothing was done.
 */
export async function withTemporal<T>(what: string, timeoutMs: number, call: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HttpError(503, `Temporal did not answer within ${timeoutMs} ms (${what}); nothing was done, try again`)), timeoutMs);
  });
  try {
    return await Promise.race([call(), timeout]);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    if (isUnavailable(err)) {
      throw new HttpError(503, `Temporal is unavailable (${what}): ${(err as Error).message}; nothing was done, try again`);
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

function isUnavailable(err: unknown): boolean {
  const e = err as { code?: number; cause?: unknown };
  // gRPC codes: 4 DEADLINE_EXCEEDED, 14 UNAVAILABLE (the client wraps them in ServiceError.cause)
  return e?.code === 14 || e?.code === 4 || (e?.cause !== undefined && isUnavailable(e.cause));
}
