import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { loadConfig } from '../../src/config';
import { lazyClient, temporalProbe } from '../../src/temporal/connection';
import { readSettings } from '../../src/shared/settings';
import { freePort } from '../harness/ports';
import { expectConformsToOpenApi } from '../harness/openapi';

describe('ingress while Temporal is unreachable', () => {
  it('answers 503 so the caller knows the message was not taken', async () => {
    const address = `127.0.0.1:${await freePort()}`;
    const settings = readSettings({}).temporal;
    const client = lazyClient(address, settings);
    const probe = temporalProbe(address, settings);
    const config = loadConfig(path.resolve(__dirname, '../../flows')).config;
    const app = createApp({ client, probe, namespace: 'default', taskQueue: 'esb', getConfig: () => config, limits: { startTimeoutMs: 1000 } });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/flows/ping/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Ping', timestamp: 1 }),
      });
      const body = (await res.json()) as { error: string; details: { messageId: string; retryWithIdempotencyKey: string } };
      expect(res.status).toBe(503);
      // The client retries an unreachable server until the bound, so this reads as a timeout.
      expect(body.error).toMatch(/not (have been )?accepted/);
      expect(body.details.retryWithIdempotencyKey).toBe(body.details.messageId);
      expectConformsToOpenApi('POST', '/api/v1/flows/ping/messages', 503, body);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.connection.close();
      await probe.close();
    }
  });
});
