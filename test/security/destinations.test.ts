/**
 * Outgoing requests stay where the config says (SSRF): the base_uri host,
 * hosts the producer lists in allowed_hosts, and, only when configured,
 * redirects that stay among those, at most five of them.
 */
import { hostAllowed, parseHostPattern } from '../../src/security/hosts';
import type { HttpRequestInput } from '../../src/shared/delivery-types';
import type { ProducerOptions, ProducerSecrets } from '../../src/config/types';
import { activityHarness, failureOf, producerConfig, requestInput, PRODUCER, type Harness } from '../activities/support';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';

let remote: FakeRemote;
let other: FakeRemote;
const harnesses: Harness[] = [];

function harness(baseUri: string, options: Partial<ProducerOptions>, secrets: Partial<ProducerSecrets> = {}, env: Record<string, string> = {}): Harness {
  const config = producerConfig(baseUri, {}, secrets);
  Object.assign(config.producers[PRODUCER].options, options);
  const h = activityHarness(config, { env });
  harnesses.push(h);
  return h;
}

const input = (baseUri: string, overrides: Partial<HttpRequestInput> = {}) => requestInput(baseUri, overrides);

beforeAll(async () => {
  remote = await startFakeRemote();
  other = await startFakeRemote();
});
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await Promise.all([remote.close(), other.close()]);
});
beforeEach(() => {
  remote.reset();
  other.reset();
});

describe('allowed_hosts entries', () => {
  const url = (text: string) => new URL(text);

  it('match a host on any port, a host on one port, and strict subdomains of a wildcard', () => {
    expect(hostAllowed(url('https://api.example.com/x'), ['api.example.com'])).toBe(true);
    expect(hostAllowed(url('http://api.example.com:8080/x'), ['api.example.com'])).toBe(true);
    expect(hostAllowed(url('https://api.example.com/x'), ['api.example.com:8443'])).toBe(false);
    expect(hostAllowed(url('https://api.example.com:8443/x'), ['api.example.com:8443'])).toBe(true);
    expect(hostAllowed(url('https://api.example.com/x'), ['api.example.com:443'])).toBe(true);
    expect(hostAllowed(url('https://a.b.example.com/x'), ['*.example.com'])).toBe(true);
    expect(hostAllowed(url('https://example.com/x'), ['*.example.com'])).toBe(false);
    expect(hostAllowed(url('https://evilexample.com/x'), ['*.example.com'])).toBe(false);
    expect(hostAllowed(url('https://api.example.com.evil.io/x'), ['api.example.com'])).toBe(false);
  });

  it('compare normalised hosts, so other spellings of an address neither slip through nor get refused', () => {
    expect(hostAllowed(url('http://2130706433/'), ['127.0.0.1'])).toBe(true);
    expect(hostAllowed(url('http://127.1/'), ['127.0.0.1'])).toBe(true);
    expect(hostAllowed(url('http://API.Example.COM/'), ['api.example.com'])).toBe(true);
    expect(hostAllowed(url('http://[::1]:9000/'), ['[::1]:9000'])).toBe(true);
    expect(hostAllowed(url('http://169.254.169.254/'), ['127.0.0.1', '*.example.com'])).toBe(false);
  });

  it('refuse entries that are not a host', () => {
    for (const bad of ['', 'http://api.example.com', 'api.example.com/path', 'user@api.example.com', '*', '*.', 'a b', 'api.example.com:99999']) {
      expect({ bad, parsed: parseHostPattern(bad) }).toEqual({ bad, parsed: undefined });
    }
  });
});

describe('the request URL with allowed_hosts', () => {
  it('may be a full URL from message data on an allowed host when base_uri is empty', async () => {
    const h = harness('', { allowedHosts: ['127.0.0.1'] });
    await h.run(input('', { uri: `${remote.url}/hook` }));
    expect(remote.requests('/hook')).toHaveLength(1);
  });

  it('is refused, with nothing sent, on a host or port not allowed', async () => {
    const h = harness('', { allowedHosts: [`127.0.0.1:${new URL(remote.url).port}`] });
    for (const uri of [`${other.url}/hook`, `http://localhost:${new URL(remote.url).port}/hook`, 'http://169.254.169.254/latest/meta-data']) {
      const failure = await failureOf(h.run(input('', { uri })));
      expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
      expect(failure.message).toContain("requests may only go to the producer's base_uri host or one of its allowed_hosts");
    }
    expect([...remote.requests(), ...other.requests()]).toHaveLength(0);
  });

  it('refuses credentials smuggled into the URL by message data, even on an allowed host', async () => {
    const h = harness('', { allowedHosts: ['127.0.0.1'] });
    const failure = await failureOf(h.run(input('', { uri: remote.url.replace('http://', 'http://admin:pw@') + '/hook' })));
    expect(failure.type).toBe('RequestBuildError');
    expect(remote.requests()).toHaveLength(0);
  });

  it('lets message data move the host only onto an allowed one (base_uri + uri is plain concatenation)', async () => {
    // 'http://local' + 'host:PORT/x' is http://localhost:PORT/x: another host than the base_uri's.
    const uri = `host:${new URL(remote.url).port}/x`;
    const refused = await failureOf(harness('http://local', {}).run(input('http://local', { uri })));
    expect(refused.type).toBe('RequestBuildError');
    expect(remote.requests()).toHaveLength(0);
    await harness('http://local', { allowedHosts: ['localhost'] }).run(input('http://local', { uri }));
    expect(remote.requests('/x')).toHaveLength(1);
  });
});

describe('redirects', () => {
  it('are not followed by default: the 3xx is the response', async () => {
    remote.script('POST', '/things', [{ status: 307, headers: { location: '/moved' } }]);
    const { response } = await harness(remote.url, {}).run(input(remote.url));
    expect(response.statusCode).toBe(307);
    expect(remote.requests('/moved')).toHaveLength(0);
  });

  it('are followed on the same host with follow_redirects: 307 keeps the method and body, 303 becomes a GET', async () => {
    const h = harness(remote.url, { followRedirects: true });
    remote.script('POST', '/things', [{ status: 307, headers: { location: '/kept' } }]);
    remote.script('POST', '/kept', [{ status: 303, headers: { location: `${remote.url}/seen` } }]);
    remote.script('GET', '/seen', [{ status: 200, body: { ok: 'final' } }]);
    const { response } = await h.run(input(remote.url));
    expect(response.body).toEqual({ ok: 'final' });
    expect(remote.requests().map((r) => `${r.method} ${r.path} ${r.rawBody}`)).toEqual(['POST /things {"hello":"world"}', 'POST /kept {"hello":"world"}', 'GET /seen ']);
  });

  it('follow at most five hops, then fail without retrying', async () => {
    const h = harness(remote.url, { followRedirects: true });
    for (let i = 0; i < 7; i += 1) remote.script('GET', `/r${i}`, [{ status: 302, headers: { location: `/r${i + 1}` } }]);
    remote.script('GET', '/r5', [{ status: 200, body: { hops: 5 } }]);
    expect((await h.run(input(remote.url, { httpMethod: 'GET', body: null, uri: '/r0' }))).response.body).toEqual({ hops: 5 });
    remote.reset();
    for (let i = 0; i < 7; i += 1) remote.script('GET', `/r${i}`, [{ status: 302, headers: { location: `/r${i + 1}` } }]);
    const failure = await failureOf(h.run(input(remote.url, { httpMethod: 'GET', body: null, uri: '/r0' })));
    expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
    expect(failure.message).toContain('after 5 redirects already followed');
    expect(remote.requests()).toHaveLength(6);
  });

  it('to a host that is not allowed are refused, and that host receives nothing', async () => {
    const h = harness(remote.url, { followRedirects: true });
    remote.script('POST', '/things', [{ status: 302, headers: { location: `${other.url}/steal` } }]);
    const failure = await failureOf(h.run(input(remote.url)));
    expect(failure).toMatchObject({ type: 'RequestBuildError', nonRetryable: true });
    expect(failure.message).toContain(`redirected to ${other.url}/steal, outside the producer's base_uri host and allowed_hosts; not followed`);
    expect(other.requests()).toHaveLength(0);
  });

  it('to an allowed host are followed without the Authorization and secret headers', async () => {
    const secrets = { token: '%env(TOKEN)%', headers: { 'X-Api-Key': '%env(API_KEY)%' } };
    const h = harness(remote.url, { followRedirects: true, allowedHosts: ['127.0.0.1'] }, secrets, { TOKEN: 'tok-SECRET', API_KEY: 'key-SECRET' });
    remote.script('POST', '/things', [{ status: 302, headers: { location: '/same-origin' } }]);
    remote.script('GET', '/same-origin', [{ status: 308, headers: { location: `${other.url}/elsewhere` } }]);
    await h.run(input(remote.url, { authentication: 'bearer', headers: { 'X-Plain': 'kept' } }));
    const sameOrigin = remote.requests('/same-origin')[0].headers;
    expect(sameOrigin).toMatchObject({ authorization: 'Bearer tok-SECRET', 'x-api-key': 'key-SECRET', 'x-plain': 'kept' });
    const elsewhere = other.requests('/elsewhere')[0].headers;
    expect(elsewhere).toMatchObject({ 'x-plain': 'kept', 'idempotency-key': 'msg-1' });
    expect(elsewhere.authorization).toBeUndefined();
    expect(elsewhere['x-api-key']).toBeUndefined();
  });
});
