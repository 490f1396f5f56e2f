/**
 * The fast fake remote system, run as a CHILD process of the bench so that
 * answering thousands of requests does not compete with the load generator
 * for its event loop. Every request gets 200 {"ok":true} at once. Requests
 * to a path ending in /callback are recorded: arrival time per message_id
 * (the end-to-end finish line) and the reported status.
 *
 * The parent talks to it over IPC: {type:'count'} and {type:'take'} (returns
 * and clears the records), each with an `id` echoed in the reply.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowMs } from './stats';

export interface RemoteRecords {
  /** message_id -> arrival times (ms), one per callback received. */
  arrivals: Record<string, number[]>;
  /** Callback `status` values other than 'delivered', counted. */
  otherStatuses: Record<string, number>;
  /** Callbacks whose body had no message_id. */
  malformed: number;
  /** Requests to any other path (the pong requests). */
  pongs: number;
}

export type RemoteRequest = { id: number; type: 'count' | 'take' };
export type RemoteReply =
  | { type: 'ready'; port: number }
  | { id: number; type: 'count'; callbacks: number; pongs: number }
  | { id: number; type: 'records'; records: RemoteRecords };

const OK = Buffer.from('{"ok":true}');
const HEADERS = { 'content-type': 'application/json', 'content-length': String(OK.length) };

let records: RemoteRecords = { arrivals: {}, otherStatuses: {}, malformed: 0, pongs: 0 };
let callbacks = 0;

function recordCallback(text: string, at: number): void {
  callbacks += 1;
  let body: { message_id?: unknown; status?: unknown } | undefined;
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    body = undefined;
  }
  const id = body?.message_id;
  if (typeof id !== 'string') {
    records.malformed += 1;
    return;
  }
  (records.arrivals[id] ??= []).push(at);
  const status = String(body?.status ?? 'missing');
  if (status !== 'delivered') records.otherStatuses[status] = (records.otherStatuses[status] ?? 0) + 1;
}

const server = http.createServer((req, res) => {
  const isCallback = (req.url ?? '').endsWith('/callback');
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => {
    if (isCallback) chunks.push(c);
  });
  req.on('end', () => {
    if (isCallback) recordCallback(Buffer.concat(chunks).toString('utf8'), nowMs());
    else records.pongs += 1;
    res.writeHead(200, HEADERS);
    res.end(OK);
  });
});
// Longer than the clients' keep-alive, so the server never closes a socket a client is about to reuse.
server.keepAliveTimeout = 65_000;

function reply(msg: RemoteReply): void {
  process.send?.(msg);
}

process.on('message', (msg: RemoteRequest) => {
  if (msg.type === 'count') {
    reply({ id: msg.id, type: 'count', callbacks, pongs: records.pongs });
  } else if (msg.type === 'take') {
    const taken = records;
    records = { arrivals: {}, otherStatuses: {}, malformed: 0, pongs: 0 };
    callbacks = 0;
    reply({ id: msg.id, type: 'records', records: taken });
  }
});
// The bench is gone (even killed -9): do not linger.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => reply({ type: 'ready', port: (server.address() as AddressInfo).port }));
