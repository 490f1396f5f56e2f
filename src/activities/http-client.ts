/**
 * The transport: undici with pooled keep-alive connections, every phase
 * bounded by the producer's timeouts, the response read under a size cap.
 * Whatever goes wrong before a complete response comes back as a typed error.
 */
import { Agent, errors as undiciErrors, request } from 'undici';
import { EsbError, RequestBuildError, ResponseTooLargeError } from '../shared/errors';
import { classifyNoResponse } from './classify';
import type { OutgoingRequest } from './request-build';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

export interface SendOptions {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxResponseBytes: number;
  /** The activity's cancellation: a cancelled delivery must not hold the socket. */
  cancellation?: AbortSignal;
}

export interface RawResponse {
  statusCode: number;
  /** Lower-cased names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  body: Buffer;
}

export interface HttpClient {
  send(req: OutgoingRequest, opts: SendOptions): Promise<RawResponse>;
  close(): Promise<void>;
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed by the remote',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'response cut off before its declared length',
};

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects report an AggregateError; its first error says why.
  if (err instanceof AggregateError && err.errors.length > 0) return errorCode(err.errors[0]);
  const cause = (err as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== err ? errorCode(cause) : undefined;
}

/** Headers in undici's shape to the flat record `responses[name].headers` holds. */
export function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export function createHttpClient(): HttpClient {
  // undici takes the connect timeout per agent, not per request: one agent per
  // distinct value (in practice one per producer timeout setting), each pooling.
  const agents = new Map<number, Agent>();
  const agentFor = (connectTimeoutMs: number): Agent => {
    let agent = agents.get(connectTimeoutMs);
    if (agent === undefined) {
      // Below Node's server default (5 s): we drop an idle socket before the remote does,
      // rather than racing it and reading a reset on reuse.
      agent = new Agent({ connect: { timeout: connectTimeoutMs }, keepAliveTimeout: 4_000 });
      agents.set(connectTimeoutMs, agent);
    }
    return agent;
  };

  async function send(req: OutgoingRequest, opts: SendOptions): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(opts.timeoutMs);
    const signal = opts.cancellation ? AbortSignal.any([timeout, opts.cancellation]) : timeout;
    const onAbort = (err: unknown): never => {
      if (opts.cancellation?.aborted) throw opts.cancellation.reason;
      if (err instanceof EsbError) throw err;
      const code = errorCode(err);
      if (timeout.aborted || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
        throw classifyNoResponse(req.label, `timed out after ${opts.timeoutMs} ms`).error;
      }
      if (code === 'UND_ERR_CONNECT_TIMEOUT') throw classifyNoResponse(req.label, `connect timed out after ${opts.connectTimeoutMs} ms`).error;
      if (err instanceof undiciErrors.InvalidArgumentError) {
        // undici names the offending header, never its value.
        throw new RequestBuildError(`${req.label.method} ${req.label.url}: ${err.message}`, req.label.target ? { target: req.label.target } : {});
      }
      const reason = (code && REASONS[code]) ?? (code ? `transport error ${code}` : 'transport error');
      throw classifyNoResponse(req.label, reason).error;
    };

    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(req.url, {
        method: req.method as 'GET',
        headers: req.headers,
        body: req.body ?? null,
        dispatcher: agentFor(opts.connectTimeoutMs),
        signal,
        headersTimeout: opts.timeoutMs,
        bodyTimeout: opts.timeoutMs,
      });
    } catch (err) {
      return onAbort(err);
    }
    const headers = flattenHeaders(res.headers);
    try {
      const body = await readCapped(res.body, Number(headers['content-length'] ?? NaN), opts.maxResponseBytes, req, res.statusCode);
      return { statusCode: res.statusCode, headers, body };
    } catch (err) {
      return onAbort(err);
    }
  }

  return {
    send,
    close: async () => {
      await Promise.all([...agents.values()].map((agent) => agent.close()));
      agents.clear();
    },
  };
}

/** Reads at most `max` bytes; stops the transfer as soon as it is clear the body is larger. */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown; on(event: 'error', fn: () => void): unknown },
  declared: number,
  max: number,
  req: OutgoingRequest,
  statusCode: number,
): Promise<Buffer> {
  const tooLarge = (): ResponseTooLargeError =>
    new ResponseTooLargeError(`${req.label.method} ${req.label.url} answered ${statusCode} with a body over ${max} bytes`, {
      statusCode,
      ...(req.label.target ? { target: req.label.target } : {}),
    });
  if (Number.isFinite(declared) && declared > max) {
    // Destroying emits 'error' on the stream; nobody else listens, and we already know why.
    body.on('error', () => undefined);
    body.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      body.destroy();
      throw tooLarge();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
