/**
 * Signed outgoing requests (Standard Webhooks), opt-in per producer: what the
 * activity puts on the wire, what survives retries, and a receiver (the demo
 * remote) that checks it.
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { demoRemoteRouter } from '../../src/api/demo-remote';
import { verifyWebhook } from '../../src/security/webhooks';
import { activityHarness, failureOf, producerConfig, requestInput, PRODUCER, type Harness } from '../activities/support';
import { startEsbStack, type EsbStack } from '../harness/esb-stack';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';

jest.setTimeout(60_000);

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;
const SECRET = newSecret();

let remote: FakeRemote;
const harnesses: Harness[] = [];

function signingHarness(env: Record<string, string>): Harness {
  const config = producerConfig(remote.url, {}, { signingSecret: '%env(SIGNING_SECRET)%' });
  config.producers[PRODUCER].options.signing = { scheme: 'standard-webhooks' };
  const harness = activityHarness(config, { env });
  harnesses.push(harness);
  return harness;
}

beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await remote.close();
});
beforeEach(() => remote.reset());

describe('a producer with signing', () => {
  it('sends webhook-id (the idempotency key), webhook-timestamp and a signature over id.timestamp.body', async () => {
    const harness = signingHarness({ SIGNING_SECRET: SECRET });
    const before = Math.floor(Date.now() / 1000);
    await harness.run(requestInput(remote.url, { idempotencyKey: 'msg-7:sendIt', body: { amount: 12.5, note: 'ünïcode' } }));
    const [req] = remote.requests('/things');
    expect(req.headers['webhook-id']).toBe('msg-7:sendIt');
    expect(Number(req.headers['webhook-timestamp'])).toBeGreaterThanOrEqual(before);
    expect(Number(req.headers['webhook-timestamp'])).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000));
    expect(req.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verifyWebhook(SECRET, req.headers, req.rawBody)).toEqual({ id: 'msg-7:sendIt', timestamp: Number(req.headers['webhook-timestamp']) });
  });

  it('keeps the webhook-id across retried attempts, so the receiver can de-duplicate them', async () => {
    const harness = signingHarness({ SIGNING_SECRET: SECRET });
    remote.script('POST', '/things', [{ status: 503 }, { status: 200 }]);
    await failureOf(harness.run(requestInput(remote.url), { attempt: 1 }));
    await harness.run(requestInput(remote.url), { attempt: 2 });
    const ids = remote.requests('/things').map((r) => r.headers['webhook-id']);
    expect(ids).toEqual(['msg-1', 'msg-1']);
    for (const req of remote.requests('/things')) expect(verifyWebhook(SECRET, req.headers, req.rawBody).id).toBe('msg-1');
  });

  it('signs a request without a body over the empty string, and encodes dots in the id', async () => {
    const harness = signingHarness({ SIGNING_SECRET: SECRET });
    await harness.run(requestInput(remote.url, { httpMethod: 'GET', body: null, idempotencyKey: 'order.42:sendIt' }));
    const [req] = remote.requests('/things');
    expect(req.rawBody).toBe('');
    expect(req.headers['webhook-id']).toBe('order%2E42:sendIt');
    expect(verifyWebhook(SECRET, req.headers, '').id).toBe('order%2E42:sendIt');
  });

  it('signs with both secrets during a rotation, so receivers on either secret accept', async () => {
    const next = newSecret();
    const harness = signingHarness({ SIGNING_SECRET: `${next} ${SECRET}` });
    await harness.run(requestInput(remote.url));
    const [req] = remote.requests('/things');
    expect(String(req.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verifyWebhook(SECRET, req.headers, req.rawBody).id).toBe('msg-1');
    expect(verifyWebhook(next, req.headers, req.rawBody).id).toBe('msg-1');
  });

  it('does not let a configured header replace the signature headers', async () => {
    const harness = signingHarness({ SIGNING_SECRET: SECRET });
    await harness.run(requestInput(remote.url, { headers: { 'Webhook-Id': 'forged', 'webhook-signature': 'v1,forged' } }));
    const [req] = remote.requests('/things');
    expect(req.headers['webhook-id']).toBe('msg-1');
    expect(verifyWebhook(SECRET, req.headers, req.rawBody).id).toBe('msg-1');
  });

  it('fails without sending or retrying on a malformed secret, naming the field but not the value', async () => {
    const harness = signingHarness({ SIGNING_SECRET: 'whsec_short-SECRET-value' });
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect(failure.message).toContain("secret options.signing.secret of producer 'remote'");
    expect(JSON.stringify({ message: failure.message, details: failure.details, logs: harness.logs })).not.toContain('SECRET-value');
    expect(remote.requests()).toHaveLength(0);
  });

  it('sends no signature headers when the producer does not opt in', async () => {
    const harness = activityHarness(producerConfig(remote.url));
    harnesses.push(harness);
    await harness.run(requestInput(remote.url));
    expect(Object.keys(remote.requests('/things')[0].headers).filter((h) => h.startsWith('webhook-'))).toEqual([]);
  });
});

describe('the demo remote with ESB_DEMO_SIGNING_SECRET', () => {
  let demo: http.Server;
  let demoUrl: string;
  let esb: EsbStack;

  const flows = (signing: string) => ({
    'producers/demo.yml': `
producers:
  demo:
    options:
      base_uri: '%env(DEMO_URL)%'
      timeout: 2
      signing: { scheme: standard-webhooks, secret: '${signing}' }
    methods:
      ping:
        description: Ping the demo remote
        steps:
          - request: { name: ping, http_method: POST, uri: /remote/pong, body: "eval: body" }
        response: { body: "eval: responses['ping']['body']" }
      callback:
        description: Tell the demo remote how it went
        steps:
          - request: { name: callback, http_method: POST, uri: /remote/callback, body: "eval: body" }
`,
    'flows.yml': `
flows:
  signed_ping:
    mode: sync
    deliver: { to: demo.ping, retry: { max_attempts: 2, initial_interval: 100ms }, timeout: 20s }
    callback: { to: demo.callback, mode: sync, when: always }
`,
  });

  beforeAll(async () => {
    const app = express();
    app.use('/remote', demoRemoteRouter({ signingSecret: SECRET }));
    demo = http.createServer(app);
    await new Promise<void>((resolve) => demo.listen(0, '127.0.0.1', resolve));
    demoUrl = `http://127.0.0.1:${(demo.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await esb?.stop();
    demo.closeAllConnections();
    await new Promise<void>((resolve) => demo.close(() => resolve()));
  });

  it('answers 401 to an unsigned request', async () => {
    const res = await fetch(`${demoUrl}/remote/pong`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"Ping"}' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toContain('webhook signature check failed');
  });

  it('accepts the signed delivery and the signed callback of the bus', async () => {
    esb = await startEsbStack(flows('%env(SIGNING_SECRET)%'), { env: { DEMO_URL: demoUrl, SIGNING_SECRET: SECRET, WRONG_SECRET: newSecret() } });
    const res = await esb.send('signed_ping', { message: 'Ping' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ message: 'Pong' });
    const callbacks = (await (await fetch(`${demoUrl}/remote/callbacks`)).json()) as { callbacks: Array<{ body: { messageId: string; status: string } }> };
    expect(callbacks.callbacks.map((c) => c.body)).toEqual([expect.objectContaining({ messageId: res.headers.get('x-message-id'), status: 'delivered' })]);
  });

  it('refuses a delivery signed with another secret: the bus sees 401 and fails it without retrying', async () => {
    esb.reload(flows('%env(WRONG_SECRET)%'));
    const res = await esb.send('signed_ping', { message: 'Ping' });
    expect(res.status).toBe(502);
    const status = await esb.get(`/api/v1/messages/${String(res.body.messageId)}?flow=signed_ping`);
    expect(status.body).toMatchObject({ status: 'failed', attempts: 1, lastError: { type: 'RemoteClientError', statusCode: 401 } });
  });
});
