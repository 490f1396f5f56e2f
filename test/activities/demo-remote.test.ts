import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { request } from 'undici';
import { demoRemoteRouter } from '../../src/api/demo-remote';

let server: http.Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use('/remote', demoRemoteRouter({ maxCallbacks: 3 }));
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/remote`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await request(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>) };
}

describe('the demo remote system (esb dev, /remote)', () => {
  it('answers the example ping with a pong, as the SmartESB skeleton does', async () => {
    const { status, body } = await call('POST', '/pong', { message: 'Ping', time: 1700000000 });
    expect(status).toBe(200);
    expect(body).toMatchObject({ message: 'Pong', timestamp: expect.any(Number) });
  });

  it('records callbacks with their idempotency key and transaction id, newest last, and clears them', async () => {
    await call('DELETE', '/callbacks');
    await call('POST', '/callback', { status: 'delivered' }, { 'idempotency-key': 'k1', 'x-transaction-id': 't1' });
    const second = await call('POST', '/callback', { status: 'failed' }, { 'idempotency-key': 'k1', 'x-transaction-id': 't1' });
    expect(second.body).toMatchObject({ status: 'received', duplicate: true });

    const listed = await call('GET', '/callbacks');
    expect(listed.body).toMatchObject({
      count: 2,
      callbacks: [
        { headers: { 'idempotency-key': 'k1', 'x-transaction-id': 't1' }, body: { status: 'delivered' }, duplicate: false },
        { body: { status: 'failed' }, duplicate: true },
      ],
    });

    expect((await call('DELETE', '/callbacks')).status).toBe(204);
    expect((await call('GET', '/callbacks')).body).toMatchObject({ count: 0, callbacks: [] });
  });

  it('keeps only the most recent callbacks (bounded memory)', async () => {
    await call('DELETE', '/callbacks');
    for (const n of [1, 2, 3, 4, 5]) await call('POST', '/callback', { n });
    const { body } = await call('GET', '/callbacks');
    expect((body?.callbacks as Array<{ body: { n: number } }>).map((c) => c.body.n)).toEqual([3, 4, 5]);
  });
});
