/**
 * The HTTP activity against a real loopback server: what comes back on
 * success, and how each kind of failure is classified for Temporal's retries.
 */
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { freePort } from '../harness/ports';
import { activityHarness, failureOf, infoOf, producerConfig, requestInput, type Harness } from './support';

let remote: FakeRemote;
let harness: Harness;

beforeAll(async () => {
  remote = await startFakeRemote();
  harness = activityHarness(producerConfig(remote.url), { maxResponseBytes: 1024 });
});
afterAll(async () => {
  await harness.close();
  await remote.close();
});
beforeEach(() => remote.reset());

describe('httpRequest on success', () => {
  it('returns the decoded JSON body, status, lower-cased headers and the attempt', async () => {
    remote.script('POST', '/things', [{ status: 201, body: { id: 7 }, headers: { 'X-Remote': 'yes' } }]);
    const result = await harness.run(requestInput(remote.url), { attempt: 2 });
    expect(result.attempt).toBe(2);
    expect(result.response.statusCode).toBe(201);
    expect(result.response.body).toEqual({ id: 7 });
    expect(result.response.headers['x-remote']).toBe('yes');
    expect(remote.requests('/things')[0]).toMatchObject({ method: 'POST', body: { hello: 'world' } });
  });

  it('returns a text body as a string when the content type is not JSON', async () => {
    remote.script('POST', '/things', [{ raw: 'plain pong', headers: { 'content-type': 'text/plain; charset=utf-8' } }]);
    expect((await harness.run(requestInput(remote.url))).response.body).toBe('plain pong');
  });

  it('returns null for an empty body', async () => {
    remote.script('POST', '/things', [{ status: 204 }]);
    const { response } = await harness.run(requestInput(remote.url));
    expect(response).toMatchObject({ statusCode: 204, body: null });
  });

  it('keeps an invalid JSON body as text and logs it, rather than failing', async () => {
    remote.script('POST', '/things', [{ raw: '{not json', headers: { 'content-type': 'application/json' } }]);
    expect((await harness.run(requestInput(remote.url))).response.body).toBe('{not json');
    expect(harness.logs.some((l) => l.level === 'warn' && l.msg === 'response body kept as text')).toBe(true);
  });

  it('does not follow redirects: a 3xx is the response', async () => {
    remote.script('POST', '/things', [{ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }]);
    const { response } = await harness.run(requestInput(remote.url));
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('http://127.0.0.1:1/elsewhere');
  });

  it('sends no body and no content type when the body is null (`body: ~`)', async () => {
    await harness.run(requestInput(remote.url, { httpMethod: 'GET', body: null }));
    const [req] = remote.requests('/things');
    expect(req).toMatchObject({ method: 'GET', body: null });
    expect(req.headers['content-type']).toBeUndefined();
  });
});

describe('httpRequest on HTTP errors (before any validation)', () => {
  it('fails retryably with the status code on HTTP 500', async () => {
    remote.script('POST', '/things', [{ status: 500, body: { error: 'db down' } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url), { attempt: 3 }));
    expect(failure).toMatchObject({ type: 'RemoteServerError', nonRetryable: false });
    expect(failure.message).toBe(`POST ${remote.url}/things answered 500 Internal Server Error`);
    expect(infoOf(failure)).toMatchObject({ statusCode: 500, recoverable: true, attempt: 3, target: 'remote.send' });
  });

  it('fails without retrying on HTTP 404', async () => {
    remote.script('POST', '/things', [{ status: 404 }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure).toMatchObject({ type: 'RemoteClientError', nonRetryable: true });
    expect(infoOf(failure)).toMatchObject({ statusCode: 404, recoverable: false });
  });

  it('asks Temporal to wait Retry-After before the next attempt on HTTP 429', async () => {
    remote.script('POST', '/things', [{ status: 429, headers: { 'retry-after': '12' } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure).toMatchObject({ type: 'RemoteClientError', nonRetryable: false, nextRetryDelay: 12_000 });
  });

  it('fails retryably, with a 503 Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    remote.script('POST', '/things', [{ status: 503, headers: { 'retry-after': at } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure.type).toBe('RemoteServerError');
    expect(failure.nextRetryDelay).toBeGreaterThan(50_000);
    expect(failure.nextRetryDelay).toBeLessThanOrEqual(60_000);
  });
});

describe('httpRequest when no (complete) response comes back', () => {
  it('fails retryably with RemoteUnavailableError when the connection is refused', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const failure = await failureOf(harness.run(requestInput(closed)));
    expect(failure).toMatchObject({ type: 'RemoteUnavailableError', nonRetryable: false });
    expect(failure.message).toContain('connection refused');
    expect(infoOf(failure).statusCode).toBeUndefined();
  });

  it('gives up at the timeout, quickly, with a recoverable RemoteUnavailableError', async () => {
    remote.script('POST', '/things', [{ delayMs: 5000, body: { late: true } }]);
    const started = Date.now();
    const failure = await failureOf(harness.run(requestInput(remote.url, { timeoutMs: 300 })));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(failure).toMatchObject({ type: 'RemoteUnavailableError', nonRetryable: false });
    expect(failure.message).toContain('timed out after 300 ms');
  });

  it('fails retryably when the remote drops the connection without answering', async () => {
    remote.script('POST', '/things', [{ destroy: true }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure).toMatchObject({ type: 'RemoteUnavailableError', nonRetryable: false });
  });

  it('fails retryably when the body is cut off before its declared length', async () => {
    remote.script('POST', '/things', [{ destroy: true, body: { padding: 'x'.repeat(400) } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure).toMatchObject({ type: 'RemoteUnavailableError', nonRetryable: false });
  });

  it('stops reading and fails without retrying when the body exceeds the cap', async () => {
    remote.script('POST', '/things', [{ body: { padding: 'x'.repeat(5000) } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure).toMatchObject({ type: 'ResponseTooLargeError', nonRetryable: true });
    expect(failure.message).toContain('over 1024 bytes');
  });

  it('stops a streamed (chunked, undeclared length) body at the cap too', async () => {
    remote.script('POST', '/things', [{ raw: 'y'.repeat(3000), headers: { 'transfer-encoding': 'chunked' } }]);
    const failure = await failureOf(harness.run(requestInput(remote.url)));
    expect(failure.type).toBe('ResponseTooLargeError');
  });

  it('surfaces cancellation as a CancelledFailure so Temporal records the activity as cancelled', async () => {
    remote.script('POST', '/things', [{ delayMs: 5000 }]);
    const env = new MockActivityEnvironment();
    const pending = harness.run(requestInput(remote.url), { env });
    await remote.waitForRequests('/things', 1, 2000);
    env.cancel();
    await expect(pending).rejects.toBeInstanceOf(CancelledFailure);
  });
});
