/**
 * `esb run` as deployed with every protection on: API keys and payload
 * encryption from the environment (the one `dataConverterFromEnv` wired into
 * the API's client and the worker), delivering the example ping.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { generateApiKey, hashApiKey } from '../../src/security/api-keys';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { freePort } from '../harness/ports';
import { spawnEsb, waitFor, type SpawnedEsb } from '../harness/processes';
import { connectClient, temporalAddress } from '../harness/temporal';

jest.setTimeout(90_000);

const KEY = generateApiKey();
let remote: FakeRemote;
let esb: SpawnedEsb;
let port: number;
let withoutKey: Client;

beforeAll(async () => {
  remote = await startFakeRemote();
  port = await freePort();
  withoutKey = await connectClient();
  esb = spawnEsb(['run', '--port', String(port), '--flows', 'flows'], {
    TEMPORAL_ADDRESS: temporalAddress(),
    ESB_TASK_QUEUE: `secured-run-${randomUUID()}`,
    REMOTE_BASE_URI: remote.url,
    ESB_API_KEYS: `ops:${hashApiKey(KEY)}`,
    ESB_API_KEYS_FILE: '',
    ESB_AUTH: '',
    ESB_PAYLOAD_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    ESB_LOG_LEVEL: 'info',
  });
  await waitFor('esb run to listen', async () => (esb.output().includes('worker and API running') ? true : undefined), 60_000, esb.output);
});
afterAll(async () => {
  if (esb && esb.child.exitCode === null) esb.child.kill('SIGINT');
  await esb?.exited;
  await withoutKey?.connection.close();
  await remote?.close();
});

describe('esb run with API keys and payload encryption', () => {
  it('refuses a message without the key, delivers one with it, and stores it encrypted', async () => {
    const url = `http://127.0.0.1:${port}/api/v1/flows/ping/messages`;
    const marker = `Ping-${randomUUID()}`;
    const body = JSON.stringify({ message: marker, timestamp: 1700000000 });
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status).toBe(401);

    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body });
    expect(res.status).toBe(202);
    const { messageId, workflowId } = (await res.json()) as { messageId: string; workflowId: string };
    const [ping] = await remote.waitForRequests('/smartesb-skeleton/web/remote/pong', 1, 30_000);
    expect(ping.rawBody).toContain(marker);
    await remote.waitForRequests('/smartbox-skeleton/web/remote/callback', 1, 30_000);
    const status = await waitFor('the status API to report delivered', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/messages/${messageId}?flow=ping`, { headers: { authorization: `Bearer ${KEY}` } });
      const json = (await r.json()) as { status: string };
      return json.status === 'delivered' ? json : undefined;
    }, 20_000);
    expect(status.status).toBe('delivered');

    const { history } = await withoutKey.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    const input = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    expect(Buffer.from(input?.metadata?.encoding ?? []).toString()).toBe('binary/encrypted');
    expect(Buffer.from(input?.data ?? []).includes(marker)).toBe(false);
    expect(esb.output()).not.toContain(KEY);
  });
});
