/**
 * A remote system that misbehaves on purpose, one way per path, with real
 * sockets: it drips a body one byte at a time, streams 50 MiB, declares 50 MiB,
 * cuts a body short, or sends what is not what it says. It counts the bytes
 * it managed to write and the connections the client dropped, so a test can
 * tell that the worker hung up rather than read on.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface HostileRemote {
  url: string;
  /** Requests received per path. */
  hits(path: string): number;
  /** Body bytes written per path before the response ended or the client hung up. */
  bytesWritten(path: string): number;
  /** Responses the client abandoned (socket closed before the response ended), per path. */
  abandoned(path: string): number;
  close(): Promise<void>;
}

export const MiB = 1024 * 1024;
export const DRIP_EVERY_MS = 200;

type Handler = (res: http.ServerResponse, count: (n: number) => void, timers: Set<NodeJS.Timeout>) => void;

const HANDLERS: Record<string, Handler> = {
  '/ok': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  // Headers at once, then one byte every 200 ms: each read succeeds, so only a total deadline stops it.
  '/drip': (res, count, timers) => {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(' ');
      count(1);
    }, DRIP_EVERY_MS);
    timers.add(timer);
  },
  // 50 MiB, streamed without a declared length, in 64 KiB chunks as fast as the client reads.
  '/huge': (res, count) => {
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < 50 * MiB && !res.destroyed) {
        sent += chunk.length;
        count(chunk.length);
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  },
  // Declares 50 MiB up front: a client can refuse before reading anything.
  '/huge-declared': (res, count) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(50 * MiB) });
    const chunk = Buffer.alloc(64 * 1024, 0x62);
    let sent = 0;
    const pump = (): void => {
      // Bounded a little past the declared length, so a client that reads on cannot hang the test.
      while (!res.destroyed && sent < 51 * MiB) {
        sent += chunk.length;
        count(chunk.length);
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
    };
    pump();
  },
  // Declares 1000 bytes, sends 10, hangs up.
  '/truncated': (res, count) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
    res.write('{"cut":"of', () => res.socket?.destroy());
    count(10);
  },
  '/not-json': (res, count) => {
    const body = '<html>\u0000 definitely not {json</html>';
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(body);
    count(body.length);
  },
  // ~1 MiB of JSON, under the cap: fine alone, too much when a later step carries two of them.
  '/big-json': (res, count) => {
    const body = JSON.stringify({ blob: 'j'.repeat(1020 * 1024) });
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    count(body.length);
  },
  // 900 KiB of U+0001 as text: under the 1 MiB cap, but six times larger once JSON-escaped in a payload.
  '/control-chars': (res, count) => {
    const body = Buffer.alloc(900 * 1024, 0x01);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
    count(body.length);
  },
};

export const HOSTILE_PATHS = Object.keys(HANDLERS);

export async function startHostileRemote(): Promise<HostileRemote> {
  const hits = new Map<string, number>();
  const bytes = new Map<string, number>();
  const dropped = new Map<string, number>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const add = (map: Map<string, number>, key: string, n: number): void => void map.set(key, (map.get(key) ?? 0) + n);

  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://hostile').pathname;
    req.resume();
    add(hits, path, 1);
    res.on('close', () => {
      if (!res.writableFinished) add(dropped, path, 1);
    });
    const handler = HANDLERS[path];
    if (!handler) return void res.writeHead(404).end();
    handler(res, (n) => add(bytes, path, n), timers);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: (path) => hits.get(path) ?? 0,
    bytesWritten: (path) => bytes.get(path) ?? 0,
    abandoned: (path) => dropped.get(path) ?? 0,
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One flow per hostile path, each a single request with no validations (the response itself is under test). */
export function hostileFlows(remoteUrl: string): Record<string, string> {
  const name = (path: string): string => path.slice(1).replace(/-/g, '_');
  const methods = HOSTILE_PATHS.map((p) => `      ${name(p)}:\n        description: answers ${p}\n        steps:\n          - request: { name: call, http_method: POST, uri: ${p}, body: "eval: body" }\n        response:\n          body: "eval: responses['call']['body']"`).join('\n');
  const flows = HOSTILE_PATHS.map((p) => `  ${name(p)}:\n    deliver: { to: hostile.${name(p)}, retry: { max_attempts: 3, initial_interval: 200ms, backoff: 1, max_interval: 200ms }, timeout: 30s }`).join('\n');
  const threeSteps = ['first', 'second', 'third'].map((step) => `          - request: { name: ${step}, http_method: POST, uri: /big-json, body: "eval: body" }`).join('\n');
  return {
    'producers.yml': `producers:\n  hostile:\n    options: { base_uri: '${remoteUrl}', encoding: json, authentication: none, timeout: 1, connect_timeout: 1 }\n    methods:\n${methods}\n      three_steps:\n        description: three requests, each answered ~1 MiB\n        steps:\n${threeSteps}\n`,
    'flows.yml': `flows:\n${flows}\n  three_steps:\n    deliver: { to: hostile.three_steps, retry: { max_attempts: 2, initial_interval: 200ms }, timeout: 30s }\n`,
  };
}
