/**
 * A scripted remote system for tests: a real HTTP server on 127.0.0.1 (random
 * port) that answers each path with a scripted sequence of responses and
 * records what it received. Real sockets, so timeouts, resets and cut-off
 * bodies are the genuine article.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ScriptedResponse {
  status?: number;
  /** JSON-encoded unless `raw` is given. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Sent as is (with the given headers; no content type is added). */
  raw?: string;
  /**
   * Drop the connection. Alone: before any response. With a body or `raw`:
   * after the headers (declaring the full length) and half the body.
   */
  destroy?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-cased names. */
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when it parses, else the text; null when empty. */
  body: unknown;
  /** The body exactly as received (signatures are over these bytes). */
  rawBody: string;
  at: number;
}

export interface FakeRemote {
  url: string;
  script(method: string, path: string, responses: ScriptedResponse[]): void;
  requests(path?: string): RecordedRequest[];
  waitForRequests(path: string, n: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_RESPONSE: ScriptedResponse = { status: 200, body: { ok: true } };

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    query[key] = all.length === 1 ? all[0] : all;
  }
  return query;
}

function respond(res: http.ServerResponse, scripted: ScriptedResponse): void {
  if (scripted.destroy && scripted.raw === undefined && scripted.body === undefined) {
    res.socket?.destroy();
    return;
  }
  const text = scripted.raw ?? (scripted.body === undefined ? '' : JSON.stringify(scripted.body));
  const headers: Record<string, string> = { ...(scripted.headers ?? {}) };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (scripted.raw === undefined && text !== '' && !hasType) headers['content-type'] = 'application/json';
  const bytes = Buffer.from(text, 'utf8');
  // A scripted transfer-encoding (chunked) means "no declared length".
  const chunked = Object.keys(headers).some((h) => h.toLowerCase() === 'transfer-encoding');
  res.writeHead(scripted.status ?? 200, chunked ? headers : { ...headers, 'content-length': String(bytes.length) });
  if (scripted.destroy) {
    // Flush headers and half the body, then cut: a response truncated mid-transfer.
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
    return;
  }
  res.end(bytes);
}

export async function startFakeRemote(): Promise<FakeRemote> {
  const scripts = new Map<string, ScriptedResponse[]>();
  const consumed = new Map<string, number>();
  let recorded: RecordedRequest[] = [];
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const next = (method: string, path: string): ScriptedResponse => {
    const key = `${method} ${path}`;
    const list = scripts.get(key);
    if (list === undefined || list.length === 0) return DEFAULT_RESPONSE;
    const index = consumed.get(key) ?? 0;
    consumed.set(key, index + 1);
    // The last scripted response repeats, so "fail twice then succeed" needs three entries, not more.
    return list[Math.min(index, list.length - 1)];
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake.remote');
      const method = (req.method ?? 'GET').toUpperCase();
      recorded.push({
        method,
        path: url.pathname,
        query: queryOf(url),
        headers: req.headers,
        body: parseBody(Buffer.concat(chunks).toString('utf8')),
        rawBody: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      });
      for (const wake of [...waiters]) wake();
      const scripted = next(method, url.pathname);
      if (!scripted.delayMs) return respond(res, scripted);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.socket?.destroyed) respond(res, scripted);
      }, scripted.delayMs);
      timers.add(timer);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const requests = (path?: string): RecordedRequest[] => (path === undefined ? [...recorded] : recorded.filter((r) => r.path === path));

  return {
    url: `http://127.0.0.1:${port}`,
    script(method, path, responses) {
      const key = `${method.toUpperCase()} ${path}`;
      scripts.set(key, [...responses]);
      consumed.delete(key);
    },
    requests,
    waitForRequests(path, n, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = requests(path);
          if (found.length < n) return false;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`fake remote: ${requests(path).length} of ${n} requests to ${path} after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
        check();
      });
    },
    reset() {
      scripts.clear();
      consumed.clear();
      recorded = [];
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Keep-alive clients hold sockets open; close() alone would wait for them.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
