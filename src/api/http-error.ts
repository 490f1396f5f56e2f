import type { ErrorRequestHandler, RequestHandler } from 'express';
import { logger } from '../shared/logger';

/** An error with the HTTP status and the body the caller gets: `{error, details?}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** express.json() failures, mapped to the statuses the API promises. */
const BODY_PARSER_ERRORS: Record<string, [number, string]> = {
  'entity.parse.failed': [400, 'malformed JSON body'],
  'entity.too.large': [413, 'body exceeds the size limit'],
  'encoding.unsupported': [415, 'unsupported content encoding'],
  'charset.unsupported': [415, 'unsupported charset'],
  'request.aborted': [400, 'request aborted'],
  'entity.verify.failed': [400, 'body verification failed'],
};

export const notFound: RequestHandler = (req, _res, next) => next(new HttpError(404, `no route for ${req.method} ${req.path}`));

export const errorHandler: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  if (res.headersSent) return next(err);
  if (err instanceof HttpError) {
    res.status(err.status).json(err.details === undefined ? { error: err.message } : { error: err.message, details: err.details });
    return;
  }
  const type = (err as { type?: string }).type;
  const known = type ? BODY_PARSER_ERRORS[type] : undefined;
  if (known) {
    const limit = (err as { limit?: number }).limit;
    res.status(known[0]).json({ error: known[1], ...(type === 'entity.too.large' && limit ? { details: { limitBytes: limit } } : {}) });
    return;
  }
  // Other body-reading failures (a gzip body that does not inflate) are the client's: http-errors marks them expose.
  const { status, expose } = err as { status?: unknown; expose?: unknown };
  if (typeof status === 'number' && status >= 400 && status < 500 && expose === true) {
    res.status(status).json({ error: `unreadable request body: ${(err as Error).message}` });
    return;
  }
  logger.error({ err: (err as Error)?.message, stack: (err as Error)?.stack }, 'unhandled API error');
  res.status(500).json({ error: 'internal error' });
};
