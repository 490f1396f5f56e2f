/**
 * Ingress authentication on the real bus (API + worker + Temporal): who may
 * send and read what, with the answers the OpenAPI document promises, and a
 * refused request starting nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { generateApiKey, hashApiKey, parseApiKeysEnv } from '../../src/security/api-keys';
import { deliveryWorkflowId } from '../../src/shared/ids';
import { startEsbStack, type EsbStack } from '../harness/esb-stack';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { expectConformsToOpenApi } from '../harness/openapi';
import { spawnEsb } from '../harness/processes';
import { ACCEPTED, ORDER, shopFlows } from '../delivery/shop-flows';

jest.setTimeout(60_000);

const OPS_KEY = generateApiKey();
const PARTNER_KEY = generateApiKey();
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

let remote: FakeRemote;
let esb: EsbStack;

beforeAll(async () => {
  remote = await startFakeRemote();
  remote.script('POST', '/orders', [ACCEPTED]);
  const keys = parseApiKeysEnv(`ops:${hashApiKey(OPS_KEY)},partner:${hashApiKey(PARTNER_KEY)}:orders`);
  esb = await startEsbStack(shopFlows(remote.url), { auth: { keys } });
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
});

async function call(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${esb.api}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  expectConformsToOpenApi(method, path, res.status, json);
  return { status: res.status, body: json, headers: res.headers };
}

async function expectNotStarted(flow: string, key: string): Promise<void> {
  const err = await esb.client.workflow.getHandle(deliveryWorkflowId(flow, key)).describe().then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowNotFoundError);
}

describe('sending a message with ingress authentication on', () => {
  it('answers 401 with a Bearer challenge and starts nothing when no key is sent', async () => {
    const key = randomUUID();
    const res = await call('POST', '/api/v1/flows/orders/messages', { 'idempotency-key': key }, ORDER);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="temporal-esb"');
    expect(res.body.error).toContain('missing API key');
    await expectNotStarted('orders', key);
  });

  it('answers 401 and starts nothing for an unknown key, in either header, or another auth scheme', async () => {
    for (const headers of [bearer(generateApiKey()), { 'x-api-key': generateApiKey() }, { authorization: `Basic ${Buffer.from(`ops:${OPS_KEY}`).toString('base64')}` }]) {
      const key = randomUUID();
      const res = await call('POST', '/api/v1/flows/orders/messages', { ...headers, 'idempotency-key': key }, ORDER);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="temporal-esb"/);
      await expectNotStarted('orders', key);
    }
  });

  it('accepts a message with a valid key as a Bearer token or in X-Api-Key', async () => {
    for (const headers of [bearer(OPS_KEY), { 'x-api-key': PARTNER_KEY }, { authorization: `bearer   ${PARTNER_KEY}` }]) {
      const res = await call('POST', '/api/v1/flows/orders/messages', headers, ORDER);
      expect(res.status).toBe(202);
      await esb.client.workflow.getHandle(res.body.workflowId as string).result();
    }
  });

  it('answers 403 and starts nothing when the key is restricted to other flows, however the path is spelled', async () => {
    for (const path of ['/api/v1/flows/orders_sync/messages', '/API/V1/FLOWS/orders_sync/messages', '/api/v1/flows/orders%5Fsync/messages/']) {
      const key = randomUUID();
      const res = await fetch(`${esb.api}${path}`, { method: 'POST', headers: { ...bearer(PARTNER_KEY), 'content-type': 'application/json', 'idempotency-key': key }, body: JSON.stringify(ORDER) });
      expect({ path, status: res.status }).toEqual({ path, status: 403 });
      expect(((await res.json()) as { error: string }).error).toBe("API key 'partner' may not use flow 'orders_sync'");
      await expectNotStarted('orders_sync', key);
    }
  });
});

describe('reading messages with ingress authentication on', () => {
  let messageId: string;

  beforeAll(async () => {
    const sent = await call('POST', '/api/v1/flows/orders/messages', bearer(OPS_KEY), ORDER);
    messageId = sent.body.messageId as string;
    await esb.client.workflow.getHandle(sent.body.workflowId as string).result();
  });

  it('answers 401 on every message route without a key', async () => {
    expect((await call('GET', `/api/v1/messages/${messageId}?flow=orders`)).status).toBe(401);
    expect((await call('GET', '/api/v1/messages?flow=orders')).status).toBe(401);
    expect((await call('POST', `/api/v1/messages/${messageId}/retry?flow=orders`)).status).toBe(401);
  });

  it('lets a key restricted to a flow read that flow, naming it with ?flow=', async () => {
    const status = await call('GET', `/api/v1/messages/${messageId}?flow=orders`, bearer(PARTNER_KEY));
    expect(status.body).toMatchObject({ messageId, status: 'delivered' });
    expect((await call('GET', '/api/v1/messages?flow=orders&limit=5', bearer(PARTNER_KEY))).status).toBe(200);
  });

  it('answers 403 to a restricted key for another flow, or when the flow is not named', async () => {
    expect((await call('GET', `/api/v1/messages/${messageId}?flow=orders_sync`, bearer(PARTNER_KEY))).status).toBe(403);
    expect((await call('GET', '/api/v1/messages?status=failed', bearer(PARTNER_KEY))).body.error).toBe(
      "API key 'partner' is restricted to flows orders: name the flow with ?flow=",
    );
    expect((await call('GET', `/api/v1/messages/${messageId}`, bearer(PARTNER_KEY))).status).toBe(403);
    expect((await call('POST', `/api/v1/messages/${messageId}/retry?flow=orders_sync`, bearer(PARTNER_KEY))).status).toBe(403);
  });

  it('lets an unrestricted key read any message, with or without the flow', async () => {
    expect((await call('GET', `/api/v1/messages/${messageId}?flow=orders`, bearer(OPS_KEY))).body.status).toBe('delivered');
    expect((await call('GET', '/api/v1/messages?limit=5', bearer(OPS_KEY))).status).toBe(200);
  });
});

describe('what stays open with ingress authentication on', () => {
  it('serves /healthz and the OpenAPI document without a key', async () => {
    expect((await call('GET', '/healthz')).status).toBe(200);
    const doc = await call('GET', '/api/v1/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.security).toEqual([{ bearerAuth: [] }, { apiKeyHeader: [] }]);
  });

  it('reveals nothing about other routes without a key: they answer 401, not 404', async () => {
    const res = await fetch(`${esb.api}/api/v1/nothing-here`);
    expect(res.status).toBe(401);
  });
});

describe('esb send with ingress authentication on', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-send-'));
  const file = path.join(dir, 'order.json');
  beforeAll(() => fs.writeFileSync(file, JSON.stringify(ORDER)));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sends and follows a message with the key from ESB_API_KEY, and reports a 401 without it', async () => {
    const ok = spawnEsb(['send', 'orders', file, '--api', esb.api, '--wait'], { ESB_API_KEY: PARTNER_KEY });
    expect(await ok.exited).toBe(0);
    expect(ok.output()).toContain('status: delivered');
    const refused = spawnEsb(['send', 'orders', file, '--api', esb.api], { ESB_API_KEY: '' });
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toContain('HTTP 401: missing API key');
  });
});
