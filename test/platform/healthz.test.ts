import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../src/api/app';
import { lazyClient, temporalProbe } from '../../src/temporal/connection';
import { readSettings } from '../../src/shared/settings';
import { temporalAddress } from '../harness/temporal';
import { freePort } from '../harness/ports';
import { getJson } from '../harness/processes';

async function serve(address: string): Promise<{ url: string; close: () => Promise<void> }> {
  const settings = readSettings({});
  const client = lazyClient(address, settings.temporal);
  const probe = temporalProbe(address, settings.temporal);
  const server = http.createServer(createApp({ client, probe, namespace: 'default', taskQueue: 'esb', getConfig: () => ({ producers: {}, mappings: {}, flows: {}, parameters: {} }) }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await client.connection.close();
      await probe.close();
    },
  };
}

describe('GET /healthz', () => {
  it('answers 200 with temporal ok when the server is reachable', async () => {
    const api = await serve(temporalAddress());
    try {
      const { status, body } = await getJson(`${api.url}/healthz`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'ok', temporal: 'ok', namespace: 'default', taskQueue: 'esb' });
    } finally {
      await api.close();
    }
  });

  it('answers 503 naming the problem when Temporal is unreachable', async () => {
    const api = await serve(`127.0.0.1:${await freePort()}`);
    try {
      const { status, body } = await getJson(`${api.url}/healthz`);
      expect(status).toBe(503);
      expect(body.temporal).toBe('unreachable');
      expect(typeof body.error).toBe('string');
    } finally {
      await api.close();
    }
  });
});
