import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { ESB_BIN, spawnEsb } from '../harness/processes';
import { freePort } from '../harness/ports';
import { expectConformsToOpenApi } from '../harness/openapi';

/**
 * `esb send` against a tiny HTTP server on loopback that plays the API's
 * answers. Every scripted answer is first checked against the OpenAPI
 * document, so the stand-in can only say what the real API may say.
 */

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface FakeApi {
  url: string;
  port: number;
  seen: Seen[];
  close: () => Promise<void>;
}

/** Answers POSTs with `post`, and each status GET with the next of `statuses` (the last one repeats). */
async function fakeApi(post: Reply, statuses: Reply[] = []): Promise<FakeApi> {
  const seen: Seen[] = [];
  const problems: Error[] = [];
  let polls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const reply = req.method === 'POST' ? post : statuses[Math.min(polls++, statuses.length - 1)];
      try {
        expectConformsToOpenApi(req.method ?? '', req.url ?? '', reply.status, reply.body);
      } catch (err) {
        problems.push(err as Error); // reported by close(), in the test, not as an uncaught exception
      }
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      if (problems.length > 0) throw problems[0];
    },
  };
}

const links = (id: string) => ({ status: `/api/v1/messages/${id}?flow=ping` });
const accepted = (id: string): Reply => ({
  status: 202,
  body: { messageId: id, workflowId: `delivery-ping-${id}`, flow: 'ping', status: 'accepted', links: links(id) },
});
const status = (id: string, state: string, extra: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: { messageId: id, flow: 'ping', workflowId: `delivery-ping-${id}`, status: state, attempts: 1, callbacks: [], startedAt: '2025-01-01T00:00:00.000Z', links: links(id), ...extra },
});

let dir: string;
let message: string;
const MESSAGE = { message: 'Ping', timestamp: 1700000000 };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-send-'));
  message = path.join(dir, 'ping.json');
  fs.writeFileSync(message, JSON.stringify(MESSAGE));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function esbSend(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  const run = spawnEsb(['send', ...args], env);
  const code = await run.exited;
  return { code, output: run.output() };
}

describe('esb send', () => {
  it('posts the file to the flow with the Idempotency-Key and prints the message id and status link', async () => {
    const api = await fakeApi(accepted('k-1'));
    try {
      const { code, output } = await esbSend(['ping', message, '--api', api.url, '--key', 'k-1']);
      expect(code).toBe(0);
      expect(api.seen).toHaveLength(1);
      expect(api.seen[0]).toMatchObject({ method: 'POST', url: '/api/v1/flows/ping/messages', body: JSON.stringify(MESSAGE) });
      expect(api.seen[0].headers).toMatchObject({ 'content-type': 'application/json', 'idempotency-key': 'k-1' });
      expect(output).toContain('messageId: k-1');
      expect(output).toContain('status: accepted');
      expect(output).toContain(`status link: ${api.url}/api/v1/messages/k-1?flow=ping`);
    } finally {
      await api.close();
    }
  });

  it('reads the message from stdin with - and finds the API on $PORT by default', async () => {
    const api = await fakeApi(accepted('from-stdin'));
    try {
      const child = spawn(process.execPath, [ESB_BIN, 'send', 'ping', '-'], { env: { ...process.env, PORT: String(api.port) }, stdio: ['pipe', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      child.stdin.end('{"message":"from stdin"}');
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect({ code, output }).toMatchObject({ code: 0 });
      expect(api.seen[0].body).toBe('{"message":"from stdin"}');
      expect(api.seen[0].headers['idempotency-key']).toBeUndefined();
      expect(output).toContain('messageId: from-stdin');
    } finally {
      await api.close();
    }
  });

  it("exits 1 with the API's error and details when the message is rejected", async () => {
    const api = await fakeApi({ status: 422, body: { error: "message does not match the input schema of flow 'ping'", details: [{ path: '/message', message: 'must be string' }] } });
    try {
      const { code, output } = await esbSend(['ping', message, '--api', api.url]);
      expect(code).toBe(1);
      expect(output).toContain('HTTP 422: message does not match the input schema');
      expect(output).toContain('/message');
    } finally {
      await api.close();
    }
  });

  it('exits 1 without sending anything when the file is not JSON', async () => {
    const api = await fakeApi(accepted('never'));
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"message": ');
    try {
      const { code, output } = await esbSend(['ping', bad, '--api', api.url]);
      expect(code).toBe(1);
      expect(output).toContain('is not valid JSON');
      expect(api.seen).toEqual([]);
    } finally {
      await api.close();
    }
  });

  it('exits 1 naming the address when the API is unreachable', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const { code, output } = await esbSend(['ping', message, '--api', url]);
    expect(code).toBe(1);
    expect(output).toContain(`cannot reach the API at ${url}`);
    expect(output).toContain('ECONNREFUSED');
  });

  it('with --wait, follows the status until delivered and prints attempts and callbacks', async () => {
    const id = 'wait-ok';
    const delivered = status(id, 'delivered', {
      attempts: 3,
      completedAt: '2025-01-01T00:00:05.000Z',
      callbacks: [{ target: 'remote_system_api.callback', workflowId: `callback-ping-${id}-remote_system_api.callback`, status: 'delivered', attempts: 1 }],
    });
    const api = await fakeApi(accepted(id), [status(id, 'delivering'), status(id, 'retrying'), delivered]);
    try {
      const { code, output } = await esbSend(['ping', message, '--api', api.url, '--key', id, '--wait']);
      expect({ code, output }).toMatchObject({ code: 0 });
      const polls = api.seen.filter((s) => s.method === 'GET');
      expect(polls.length).toBe(3);
      expect(polls.every((p) => p.url === `/api/v1/messages/${id}?flow=ping`)).toBe(true);
      expect(output).toContain('status: delivered');
      expect(output).toContain('attempts: 3');
      expect(output).toContain('remote_system_api.callback: delivered (1 attempt)');
    } finally {
      await api.close();
    }
  });

  it('with --wait, exits 2 and prints the last error when the delivery fails', async () => {
    const id = 'wait-failed';
    const lastError = { type: 'RemoteClientError', message: 'remote answered 400', recoverable: false, displayMessage: false, statusCode: 400 };
    const api = await fakeApi(accepted(id), [status(id, 'failed', { lastError, completedAt: '2025-01-01T00:00:01.000Z' })]);
    try {
      const { code, output } = await esbSend(['ping', message, '--api', api.url, '--wait']);
      expect(code).toBe(2);
      expect(output).toContain('status: failed');
      expect(output).toContain('lastError: RemoteClientError: remote answered 400 (HTTP 400, unrecoverable)');
    } finally {
      await api.close();
    }
  });

  it('with --wait, exits 1 when no outcome comes within --timeout', async () => {
    const id = 'wait-slow';
    const api = await fakeApi(accepted(id), [status(id, 'retrying')]);
    try {
      const started = Date.now();
      const { code, output } = await esbSend(['ping', message, '--api', api.url, '--wait', '--timeout', '1.5']);
      expect(code).toBe(1);
      expect(output).toContain('no outcome within 1.5 s');
      expect(output).toContain('last status retrying');
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      await api.close();
    }
  });

  it("prints a sync flow's response body with the message id from its header", async () => {
    const api = await fakeApi({ status: 200, body: { pong: true }, headers: { 'x-message-id': 'sync-1' } });
    try {
      const { code, output } = await esbSend(['ping', message, '--api', api.url]);
      expect(code).toBe(0);
      expect(output).toContain('messageId: sync-1');
      expect(output).toContain('response: {"pong":true}');
    } finally {
      await api.close();
    }
  });

  it('reports a failed sync delivery: exit 1 with its error, or 2 with its outcome under --wait', async () => {
    const id = 'sync-failed';
    const failure: Reply = {
      status: 502,
      body: { error: 'target system remote_system_api.sendPingMessage failed to process the request', messageId: id, workflowId: `delivery-ping-${id}`, flow: 'ping', status: 'failed', links: links(id) },
    };
    const lastError = { type: 'RemoteServerError', message: 'remote answered 500', recoverable: true, displayMessage: false, statusCode: 500 };
    const api = await fakeApi(failure, [status(id, 'failed', { attempts: 5, lastError })]);
    try {
      const plain = await esbSend(['ping', message, '--api', api.url]);
      expect(plain.code).toBe(1);
      expect(plain.output).toContain('HTTP 502: target system remote_system_api.sendPingMessage failed');
      const waited = await esbSend(['ping', message, '--api', api.url, '--wait']);
      expect(waited.code).toBe(2);
      expect(waited.output).toContain('attempts: 5');
    } finally {
      await api.close();
    }
  });
});
