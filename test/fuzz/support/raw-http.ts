/**
 * Raw HTTP for the bad-input tests. fetch() cleans up what a hostile client
 * would not (it re-encodes lone surrogates, refuses odd header values), so
 * these requests go through node:http with the body as exact bytes.
 */
import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON when the answer is a JSON object, else undefined. */
  json?: Record<string, unknown>;
  elapsedMs: number;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  /** Exact bytes; a string is sent as UTF-8. */
  body?: Buffer | string;
  /** Send the body in pieces without a Content-Length (Transfer-Encoding: chunked). */
  chunked?: boolean;
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = req.body === undefined ? undefined : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
  const headers: Record<string, string | number> = { ...req.headers };
  const hasLength = Object.keys(headers).some((h) => h.toLowerCase() === 'content-length');
  if (body !== undefined && !req.chunked && !hasLength) headers['content-length'] = body.length;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let answered = false;
    let lastError: Error | undefined;
    const request = http.request({ host: url.hostname, port: url.port, path: req.path, method: req.method ?? 'POST', headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parse(text), elapsedMs: Date.now() - started });
      });
      res.on('error', reject);
    });
    // A server that answers early (413, 431) closes before it has read all we send: that error
    // is expected, and the answer still arrives. Only a close without any answer is a failure.
    request.on('error', (err) => (lastError = err));
    request.on('close', () => {
      if (!answered) reject(lastError ?? new Error(`${req.method ?? 'POST'} ${req.path}: connection closed without an answer`));
    });
    if (body !== undefined && req.chunked) {
      const step = 64 * 1024;
      for (let i = 0; i < body.length && !request.destroyed; i += step) request.write(body.subarray(i, i + step));
      request.end();
    } else {
      request.end(body);
    }
  });
}
