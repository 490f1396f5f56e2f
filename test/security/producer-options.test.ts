/**
 * The security options of a producer as the loader reads them: the signing
 * secret is a secret (kept raw, apart, resolved at send time), allowed_hosts
 * entries are checked with their location, and snapshots carry no secret.
 */
import { loadConfig, resolveProducerSecrets } from '../../src/config';
import { buildSnapshot } from '../../src/delivery/snapshot';
import { brief, FLOW, flowsDir, problemsOf } from '../config/helpers';

const producer = (options: string) => `producers:
  remote_system_api:
    options:
      base_uri: 'http://127.0.0.1:3000/remote'
${options}
    methods:
      sendPingMessage:
        description: Send ping
        steps:
          - request: { name: ping, http_method: POST, uri: /pong, body: "eval: body" }
`;

const SECURE = producer(`      allowed_hosts: [hooks.example.com, '*.partner.example', '10.0.0.7:8443']
      follow_redirects: true
      signing: { scheme: standard-webhooks, secret: '%env(SIGNING_SECRET)%' }`);

const VALUE = 'whsec_c2lnbmluZy1zZWNyZXQtdmFsdWUtMzItYnl0ZXMhIQ==';

describe('producer security options in the config', () => {
  it('keeps the signing secret raw in the secrets part and only the scheme in the options', () => {
    const { config } = loadConfig(flowsDir({ 'p.yml': SECURE, 'f.yml': FLOW }), { env: { SIGNING_SECRET: VALUE } });
    const p = config.producers.remote_system_api;
    expect(p.options).toMatchObject({
      allowedHosts: ['hooks.example.com', '*.partner.example', '10.0.0.7:8443'],
      followRedirects: true,
      signing: { scheme: 'standard-webhooks' },
    });
    expect(p.secrets.signingSecret).toBe('%env(SIGNING_SECRET)%');
    expect(resolveProducerSecrets(p, config.parameters, { SIGNING_SECRET: VALUE }).signingSecret).toBe(VALUE);
    expect(JSON.stringify(buildSnapshot(config, config.flows.ping))).not.toContain(VALUE);
    expect(JSON.stringify(buildSnapshot(config, config.flows.ping))).not.toContain('SIGNING_SECRET');
  });

  it('warns at its location when the signing secret is written in clear or cannot be resolved yet', () => {
    const clear = SECURE.replace("'%env(SIGNING_SECRET)%'", `'${VALUE}'`);
    expect(loadConfig(flowsDir({ 'p.yml': clear, 'f.yml': FLOW }), { env: {} }).warnings.map(brief)).toEqual([
      expect.stringMatching(/^p\.yml:7:\d+ producers\.remote_system_api\.options\.signing\.secret: secret written in clear/),
    ]);
    expect(loadConfig(flowsDir({ 'p.yml': SECURE, 'f.yml': FLOW }), { env: {} }).warnings.map(brief)).toEqual([
      expect.stringMatching(/options\.signing\.secret: secret cannot be resolved now \(environment variable 'SIGNING_SECRET' is not set\)/),
    ]);
  });

  it('reports an allowed_hosts entry that is not a host, with its location', () => {
    const bad = producer("      allowed_hosts: [ok.example.com, 'https://api.example.com/x']");
    expect(problemsOf(flowsDir({ 'p.yml': bad, 'f.yml': FLOW })).map(brief)).toEqual([
      expect.stringMatching(/^p\.yml:5:\d+ producers\.remote_system_api\.options\.allowed_hosts\[1\]: is not a host/),
    ]);
  });

  it('refuses an unknown signing scheme or a signing block without its secret', () => {
    const scheme = producer("      signing: { scheme: hmac-md5, secret: '%env(S)%' }");
    expect(problemsOf(flowsDir({ 'p.yml': scheme, 'f.yml': FLOW })).map((p) => p.path)).toEqual(['producers.remote_system_api.options.signing.scheme']);
    const noSecret = producer('      signing: { scheme: standard-webhooks }');
    expect(problemsOf(flowsDir({ 'p.yml': noSecret, 'f.yml': FLOW })).map((p) => p.path)).toEqual(['producers.remote_system_api.options.signing']);
  });

  it('leaves options without these keys exactly as before (snapshots unchanged)', () => {
    const { config } = loadConfig(flowsDir({ 'p.yml': producer(''), 'f.yml': FLOW }), { env: {} });
    expect(Object.keys(config.producers.remote_system_api.options).sort()).toEqual(['authentication', 'baseUri', 'connectTimeoutMs', 'encoding', 'headers', 'timeoutMs']);
    expect(config.producers.remote_system_api.secrets).toEqual({ headers: {}, requestHeaders: {} });
  });
});
