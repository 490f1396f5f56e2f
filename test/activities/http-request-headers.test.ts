/**
 * What the activity puts on the wire besides the body: URL and query,
 * headers, secrets and authentication, and the guard that keeps message data
 * from sending a request to another host.
 */
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { activityHarness, failureOf, infoOf, producerConfig, requestInput, type Harness } from './support';

let remote: FakeRemote;
const harnesses: Harness[] = [];

function harnessFor(...args: Parameters<typeof activityHarness>): Harness {
  const harness = activityHarness(...args);
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

describe('the request URL', () => {
  it('is base_uri and uri concatenated, plus the query encoded as PHP does', async () => {
    const harness = harnessFor(producerConfig(`${remote.url}/api`));
    const input = requestInput(`${remote.url}/api`, { httpMethod: 'GET', uri: '/search?x=1', body: null, query: { q: 'two words', page: 2, tags: ['a', 'b'] } });
    await harness.run(input);
    expect(remote.requests('/api/search')[0].query).toEqual({ x: '1', q: 'two words', page: '2', 'tags[0]': 'a', 'tags[1]': 'b' });
  });

  it('refuses, without sending anything or retrying, a uri that would lead to another host', async () => {
    const harness = harnessFor(producerConfig(remote.url));
    const failure = await failureOf(harness.run(requestInput(remote.url, { uri: '@evil.example/steal' })));
    expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
    expect(failure.message).toContain("requests may only go to the producer's base_uri host");
    expect(remote.requests()).toHaveLength(0);
  });

  it('refuses a uri that rewrites the port of the base_uri host', async () => {
    const harness = harnessFor(producerConfig('http://127.0.0.1'));
    const failure = await failureOf(harness.run(requestInput('http://127.0.0.1', { uri: `:${new URL(remote.url).port}/things` })));
    expect(failure.type).toBe('RequestBuildError');
    expect(remote.requests()).toHaveLength(0);
  });

  it('fails without retrying on a base_uri that is not a URL', async () => {
    const harness = harnessFor(producerConfig('not a url'));
    const failure = await failureOf(harness.run(requestInput('not a url')));
    expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
  });
});

describe('the request headers', () => {
  it('carry the resolved headers, the transaction id, the idempotency key and the JSON content type', async () => {
    const harness = harnessFor(producerConfig(remote.url));
    await harness.run(requestInput(remote.url, { headers: { 'X-Flow': 'ping' }, transactionId: 'tx-42', idempotencyKey: 'msg-42' }));
    expect(remote.requests('/things')[0].headers).toMatchObject({
      'x-flow': 'ping',
      'x-transaction-id': 'tx-42',
      'idempotency-key': 'msg-42',
      'content-type': 'application/json',
    });
  });

  it('do not let a configured header replace the transaction id or idempotency key', async () => {
    const harness = harnessFor(producerConfig(remote.url));
    await harness.run(requestInput(remote.url, { headers: { 'idempotency-key': 'forged', 'X-Transaction-Id': 'forged' } }));
    expect(remote.requests('/things')[0].headers).toMatchObject({ 'idempotency-key': 'msg-1', 'x-transaction-id': 'tx-1' });
  });

  it('carry secret producer and step headers resolved at send time, never in the failure or the logs', async () => {
    const config = producerConfig(remote.url, {}, {
      headers: { 'X-Api-Key': '%env(API_KEY)%' },
      requestHeaders: { send: { sendIt: { 'X-Step-Secret': '%env(STEP_SECRET)%' } } },
    });
    const harness = harnessFor(config, { env: { API_KEY: 'key-SECRET-1', STEP_SECRET: 'step-SECRET-2' } });
    remote.script('POST', '/things', [{ status: 500 }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(remote.requests('/things')[0].headers).toMatchObject({ 'x-api-key': 'key-SECRET-1', 'x-step-secret': 'step-SECRET-2' });
    expect(JSON.stringify({ message: failure.message, details: failure.details, logs: harness.logs })).not.toMatch(/SECRET/);
  });

  it('authenticate with basic auth from username and the secret password', async () => {
    const config = producerConfig(remote.url, {}, { password: '%env(PW)%' });
    const harness = harnessFor(config, { env: { PW: 'pw-SECRET' } });
    remote.script('POST', '/things', [{ status: 401 }]);
    const failure = await failureOf(harness.run(requestInput(remote.url, { authentication: 'basic', username: 'alice' })));
    const expected = `Basic ${Buffer.from('alice:pw-SECRET').toString('base64')}`;
    expect(remote.requests('/things')[0].headers.authorization).toBe(expected);
    expect(JSON.stringify({ message: failure.message, details: failure.details, logs: harness.logs })).not.toContain(expected.slice(6));
  });

  it('authenticate with a bearer token', async () => {
    const harness = harnessFor(producerConfig(remote.url, {}, { token: '%env(TOKEN)%' }), { env: { TOKEN: 'tok-SECRET' } });
    remote.script('POST', '/things', [{ status: 403 }]);
    const failure = await failureOf(harness.run(requestInput(remote.url, { authentication: 'bearer' })));
    expect(remote.requests('/things')[0].headers.authorization).toBe('Bearer tok-SECRET');
    expect(JSON.stringify({ message: failure.message, details: failure.details, logs: harness.logs })).not.toMatch(/SECRET/);
  });

  it('fail without sending or retrying when a secret cannot be resolved, naming the field only', async () => {
    const harness = harnessFor(producerConfig(remote.url, {}, { token: '%env(MISSING_TOKEN)%' }), { env: {} });
    const failure = await failureOf(harness.run(requestInput(remote.url, { authentication: 'bearer' })));
    expect(failure).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect(failure.message).toContain('options.token');
    expect(remote.requests()).toHaveLength(0);
  });

  it('fail without sending or retrying when a header value is not sendable (a newline from message data)', async () => {
    const harness = harnessFor(producerConfig(remote.url));
    const failure = await failureOf(harness.run(requestInput(remote.url, { headers: { 'X-Ref': 'a\r\nX-Injected: 1' } })));
    expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
    expect(failure.message).toContain('invalid X-Ref header');
    expect(remote.requests()).toHaveLength(0);
  });

  it('fail without retrying when the producer is not in the worker config', async () => {
    const harness = harnessFor(producerConfig(remote.url));
    const failure = await failureOf(harness.run(requestInput(remote.url, { producer: 'unknown', target: 'unknown.send' })));
    expect(failure).toMatchObject({ type: 'ConfigurationError', nonRetryable: true });
    expect(infoOf(failure).target).toBe('unknown.send');
  });
});
