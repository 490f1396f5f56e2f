/**
 * The remote system of the chaos run, in a process of its own so that its
 * timing does not depend on the run's event loop. Modes: normal (answers at
 * once), slow (each answer after a delay), refuse (nothing listens: connection
 * refused). It records every request with its Idempotency-Key, which is how
 * the run counts deliveries, callbacks and duplicates.
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import type { ReceivedRequest, RemoteCommand, RemoteMode, RemoteReply } from './remote-protocol';

let mode: RemoteMode = { mode: 'normal' };
let requests: ReceivedRequest[] = [];
let inFlight = 0;
const sockets = new Set<Socket>();
let port = 0;

function refOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { ref?: unknown; messageId?: unknown };
    return String(parsed.ref ?? parsed.messageId ?? '');
  } catch {
    return '';
  }
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const key = req.headers['idempotency-key'];
    const record: ReceivedRequest = {
      path: new URL(req.url ?? '/', 'http://remote').pathname,
      key: typeof key === 'string' ? key : '',
      ref: refOf(Buffer.concat(chunks).toString('utf8')),
      at: Date.now(),
      answered: false,
    };
    requests.push(record);
    inFlight += 1;
    const answer = (): void => {
      inFlight -= 1;
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}', () => (record.answered = true));
    };
    if (mode.mode === 'slow') setTimeout(answer, mode.delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 10_000;
server.on('connection', (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
});

function listen(): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      port = (server.address() as { port: number }).port;
      resolve();
    });
  });
}

async function setMode(next: RemoteMode): Promise<void> {
  if (next.mode === 'refuse' && server.listening) {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Open keep-alive connections would still reach us: a down system drops them too.
    for (const socket of sockets) socket.destroy();
    await closed;
  }
  if (next.mode !== 'refuse' && !server.listening) await listen();
  mode = next;
}

const reply = (msg: RemoteReply): void => void process.send?.(msg);

process.on('message', (cmd: RemoteCommand) => {
  void (async () => {
    if (cmd.type === 'mode') await setMode(cmd.set);
    if (cmd.type === 'reset') requests = [];
    if (cmd.type === 'report') return reply({ type: 'report', id: cmd.id, requests, inFlight });
    reply({ type: 'ok', id: cmd.id });
  })();
});
// The run is our only reason to exist.
process.on('disconnect', () => process.exit(0));

void listen().then(() => reply({ type: 'ready', port }));
