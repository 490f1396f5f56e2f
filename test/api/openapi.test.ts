import http from 'node:http';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { createApp, type AppDeps } from '../../src/api/app';
import { openApiDocument } from '../../src/api/openapi';
import { loadConfig } from '../../src/config';
import type { EsbConfig } from '../../src/config/types';
import { lazyClient, temporalProbe, type TemporalProbe } from '../../src/temporal/connection';
import { readSettings } from '../../src/shared/settings';
import { deliveryWorkflowId } from '../../src/shared/ids';
import { connectClient, temporalAddress, uniqueTaskQueue } from '../harness/temporal';
import { freePort } from '../harness/ports';
import { waitFor } from '../harness/processes';
import { compileDocumentSchemas, expectConformsToOpenApi, expectMatchesSchema, HTTP_METHODS } from '../harness/openapi';

type Json = Record<string, unknown>;
const doc = openApiDocument as unknown as { paths: Record<string, Record<string, Json>>; components: Json };

/** The example ping flow under a name of its own, so visibility queries see only this file's messages. */
const FLOW = `openapi-ping-${randomUUID().slice(0, 8)}`;
const BODY_LIMIT = 1024;

function testConfig(): EsbConfig {
  const { config } = loadConfig(path.resolve(__dirname, '../../flows'));
  return { ...config, flows: { [FLOW]: { ...config.flows.ping, name: FLOW } } };
}

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  rawPath?: unknown;
  slash?: boolean;
}

/** Every `METHOD /path` the app registers (Express 5 router stack), in OpenAPI's `{param}` syntax. */
function registeredRoutes(app: Express): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const p of ([] as string[]).concat(layer.route.path)) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (on && method !== '_all') out.push(`${method.toUpperCase()} ${(prefix + p).replace(/:(\w+)/g, '{$1}')}`);
          }
        }
      } else if (layer.handle.stack) {
        walk(layer.handle.stack, layer.slash || typeof layer.rawPath !== 'string' ? prefix : prefix + layer.rawPath);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return out.sort();
}

function documentedRoutes(): string[] {
  return Object.entries(doc.paths)
    .flatMap(([p, item]) => Object.keys(item).filter((k) => (HTTP_METHODS as readonly string[]).includes(k)).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
}

/** Every `$ref` in the document, with where it sits. */
function refsOf(value: unknown, where = '#'): Array<{ ref: string; where: string }> {
  if (Array.isArray(value)) return value.flatMap((v, i) => refsOf(v, `${where}/${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, where }] : refsOf(v, `${where}/${k}`)));
}

function resolvePointer(ref: string): unknown {
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Json)[part] : undefined), doc);
}

interface Api {
  url: string;
  close: () => Promise<void>;
}

async function serve(deps: AppDeps): Promise<Api> {
  const server = http.createServer(createApp(deps));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** Calls the API and checks the answer against the document before handing it back. */
async function call(api: Api, method: string, urlPath: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(api.url + urlPath, { method, body: init.body, headers: init.headers });
  const body = (await res.json()) as Json;
  expectConformsToOpenApi(method, urlPath, res.status, body);
  return { status: res.status, body };
}

describe('the OpenAPI document', () => {
  it('has operations with described responses on every path, and declares every path parameter', () => {
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { title: expect.any(String), version: expect.any(String) } });
    const operationIds: string[] = [];
    for (const [template, item] of Object.entries(doc.paths)) {
      const operations = Object.entries(item).filter(([k]) => (HTTP_METHODS as readonly string[]).includes(k));
      expect({ template, operations: operations.length > 0 }).toEqual({ template, operations: true });
      for (const [method, op] of operations) {
        const where = `${method.toUpperCase()} ${template}`;
        const responses = Object.entries((op.responses ?? {}) as Record<string, Json>);
        expect({ where, responses: responses.length > 0 }).toEqual({ where, responses: true });
        for (const [code, response] of responses) {
          expect({ where, code, ok: /^([1-5]\d\d|[1-5]XX|default)$/.test(code) && typeof response.description === 'string' }).toEqual({ where, code, ok: true });
        }
        const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path' && p.required === true).map((p) => p.name);
        const inTemplate = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect({ where, params: declared.sort() }).toEqual({ where, params: inTemplate.sort() });
        operationIds.push(String(op.operationId));
      }
    }
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('resolves every $ref, and every schema compiles as strict JSON Schema 2020-12', () => {
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(0);
    const unresolved = refs.filter(({ ref }) => !ref.startsWith('#/') || resolvePointer(ref) === undefined);
    expect(unresolved).toEqual([]);
    expect(compileDocumentSchemas()).toBeGreaterThan(10);
  });

  it('documents exactly the routes the Express app registers', async () => {
    // A client and probe to a closed port: they connect only when called, and nothing here calls them.
    const address = `127.0.0.1:${await freePort()}`;
    const settings = readSettings({}).temporal;
    const client = lazyClient(address, settings);
    const probe = temporalProbe(address, settings);
    const app = createApp({ client, probe, namespace: 'default', taskQueue: 'esb', getConfig: testConfig });
    expect(registeredRoutes(app)).toEqual(documentedRoutes());
    await probe.close();
  });
});

describe('the API answers as its OpenAPI document says, and a rejected message starts nothing', () => {
  let client: Client;
  let probe: TemporalProbe;
  let api: Api;
  const taskQueue = uniqueTaskQueue('openapi');
  const accepted: string[] = [];

  beforeAll(async () => {
    client = await connectClient();
    probe = temporalProbe(temporalAddress(), readSettings({}).temporal);
    api = await serve({ client, probe, namespace: 'default', taskQueue, getConfig: testConfig, limits: { bodyLimitBytes: BODY_LIMIT } });
  });

  afterAll(async () => {
    await api?.close();
    // No worker serves this task queue: end the control message's workflow rather than leave it hanging.
    await Promise.all(accepted.map((id) => client.workflow.getHandle(id).terminate('test over').catch(() => undefined)));
    await probe?.close();
    await client?.connection.close();
  });

  /** The workflow id a message with this key would get is unknown to Temporal (strongly consistent, unlike visibility). */
  async function expectNotStarted(key: string, flow = FLOW): Promise<void> {
    const err = await client.workflow.getHandle(deliveryWorkflowId(flow, key)).describe().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowNotFoundError);
  }

  const post = (flow: string, body: string, headers: Record<string, string>) =>
    call(api, 'POST', `/api/v1/flows/${flow}/messages`, { body, headers });

  it('serves the document itself at /api/v1/openapi.json', async () => {
    const { status, body } = await call(api, 'GET', '/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(openApiDocument)));
  });

  it('reports health as documented', async () => {
    const { status, body } = await call(api, 'GET', '/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', temporal: 'ok' });
  });

  it('answers 404 naming the known flows for an unknown flow', async () => {
    const key = randomUUID();
    const { status, body } = await post(`${FLOW}-unknown`, '{"message":"Ping"}', { 'content-type': 'application/json', 'idempotency-key': key });
    expect(status).toBe(404);
    expect(body.details).toEqual({ known: [FLOW] });
    await expectNotStarted(key, `${FLOW}-unknown`);
  });

  it('answers 415 for a body that is not declared as JSON', async () => {
    const key = randomUUID();
    const { status, body } = await post(FLOW, '{"message":"Ping"}', { 'content-type': 'text/plain', 'idempotency-key': key });
    expect(status).toBe(415);
    expect(body.error).toContain('text/plain');
    await expectNotStarted(key);
  });

  it('answers 400 for malformed JSON', async () => {
    const key = randomUUID();
    const { status } = await post(FLOW, '{"message": "Ping",', { 'content-type': 'application/json', 'idempotency-key': key });
    expect(status).toBe(400);
    await expectNotStarted(key);
  });

  it('answers 413 with the limit for a body over the size limit', async () => {
    const key = randomUUID();
    const { status, body } = await post(FLOW, JSON.stringify({ message: 'x'.repeat(BODY_LIMIT * 2) }), { 'content-type': 'application/json', 'idempotency-key': key });
    expect(status).toBe(413);
    expect(body.details).toEqual({ limitBytes: BODY_LIMIT });
    await expectNotStarted(key);
  });

  it('answers 422 with the failing paths for a message that violates the input schema', async () => {
    const key = randomUUID();
    const { status, body } = await post(FLOW, JSON.stringify({ timestamp: 'soon' }), { 'content-type': 'application/json', 'idempotency-key': key });
    expect(status).toBe(422);
    const paths = (body.details as Array<{ path: string }>).map((d) => d.path).sort();
    expect(paths).toEqual(['/', '/timestamp']);
    await expectNotStarted(key);
  });

  it('answers 400 for an Idempotency-Key that cannot be a message id', async () => {
    const { status, body } = await post(FLOW, '{"message":"Ping"}', { 'content-type': 'application/json', 'idempotency-key': 'has spaces/and slashes' });
    expect(status).toBe(400);
    expect(body.error).toContain('Idempotency-Key');
  });

  it('answers 404 with an Error body for an unknown route or method', async () => {
    for (const [method, url] of [['GET', '/api/v1/nothing-here'], ['GET', `/api/v1/flows/${FLOW}/messages`], ['DELETE', '/api/v1/messages/abc']]) {
      const res = await fetch(api.url + url, { method });
      expect(res.status).toBe(404);
      expectMatchesSchema('Error', await res.json());
    }
  });

  it('answers 400 for invalid list filters and message ids, and 404 for unknown messages', async () => {
    expect((await call(api, 'GET', '/api/v1/messages?status=lost')).status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/messages?limit=0')).status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/messages?limit=1001')).status).toBe(400);
    expect((await call(api, 'GET', '/api/v1/messages/has%20space')).status).toBe(400);
    expect((await call(api, 'GET', `/api/v1/messages/${randomUUID()}?flow=${FLOW}`)).status).toBe(404);
    expect((await call(api, 'POST', `/api/v1/messages/${randomUUID()}/retry?flow=${FLOW}`)).status).toBe(404);
  });

  // Runs last: the control message shows the visibility query works, so an
  // empty rest of the list proves none of the rejections above started a
  // workflow (the bad Idempotency-Key one included, whose id nobody knows).
  it('lists only the one accepted message for the flow: no rejection started a workflow', async () => {
    const key = `control-${randomUUID()}`;
    const { status, body } = await post(FLOW, '{"message":"Ping","timestamp":1700000000}', { 'content-type': 'application/json', 'idempotency-key': key });
    expect(status).toBe(202);
    expect(body).toMatchObject({ messageId: key, workflowId: deliveryWorkflowId(FLOW, key), flow: FLOW, status: 'accepted' });
    accepted.push(deliveryWorkflowId(FLOW, key));
    const listed = await waitFor(
      'the control message in visibility',
      async () => {
        const page = await call(api, 'GET', `/api/v1/messages?flow=${FLOW}&limit=100`);
        const messages = page.body.messages as Json[];
        return messages.length > 0 ? messages : undefined;
      },
      15_000,
    );
    expect(listed.map((m) => m.messageId)).toEqual([key]);
    expect(listed[0]).toMatchObject({ flow: FLOW, status: 'accepted', links: { status: `/api/v1/messages/${key}?flow=${FLOW}` } });
  });
});
