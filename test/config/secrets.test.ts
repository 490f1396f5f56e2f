import { loadConfig, resolveProducerSecrets, SecretResolutionError } from '../../src/config';
import { brief, FLOW, flowsDir } from './helpers';

const SECRET_PRODUCER = `parameters:
  api_password: 'param-password-123'
producers:
  remote_system_api:
    options:
      base_uri: 'http://127.0.0.1:3000/remote'
      authentication: basic
      username: esb
      password: '%api_password%'
      token: '%env(API_TOKEN)%'
      headers:
        X-Plain: visible
        X-Api-Key: { secret: '%env(API_KEY)%' }
    methods:
      sendPingMessage:
        description: Send ping
        steps:
          - request:
              name: ping
              http_method: POST
              uri: /pong
              body: "eval: body"
              headers:
                X-Trace: "eval: context.transactionId"
                X-Signature: { secret: 'Bearer %env(SIGNING_KEY)%' }
`;

const ENV = { API_TOKEN: 'env-token-456', API_KEY: 'env-key-789', SIGNING_KEY: 'env-sign-000' };

describe('secrets', () => {
  const dir = flowsDir({ 'p.yml': SECRET_PRODUCER, 'f.yml': FLOW });

  it('keeps every secret value out of the producers, mappings and flows of the model', () => {
    const { config } = loadConfig(dir, { env: ENV });
    const workflowFacing = JSON.stringify({ producers: config.producers, mappings: config.mappings, flows: config.flows });
    for (const value of ['param-password-123', ...Object.values(ENV)]) expect(workflowFacing).not.toContain(value);
  });

  it('keeps secrets as written in a separate secrets part, and plain headers in the options', () => {
    const producer = loadConfig(dir, { env: ENV }).config.producers.remote_system_api;
    expect(producer.secrets).toEqual({
      password: '%api_password%',
      token: '%env(API_TOKEN)%',
      headers: { 'X-Api-Key': '%env(API_KEY)%' },
      requestHeaders: { sendPingMessage: { ping: { 'X-Signature': 'Bearer %env(SIGNING_KEY)%' } } },
    });
    expect(producer.options.headers).toEqual({ 'X-Plain': 'visible' });
    expect(producer.options).not.toHaveProperty('password');
    const step = producer.methods.sendPingMessage.steps[0];
    expect(step).toMatchObject({ type: 'request', headers: { 'X-Trace': 'eval: context.transactionId' } });
  });

  it('resolves secrets at send time from parameters and the environment', () => {
    const { config } = loadConfig(dir, { env: ENV });
    expect(resolveProducerSecrets(config.producers.remote_system_api, config.parameters, ENV)).toEqual({
      password: 'param-password-123',
      token: 'env-token-456',
      headers: { 'X-Api-Key': 'env-key-789' },
      requestHeaders: { sendPingMessage: { ping: { 'X-Signature': 'Bearer env-sign-000' } } },
    });
  });

  it('fails at send time with a message naming the producer and field but no value', () => {
    const { config } = loadConfig(dir, { env: ENV });
    const resolve = () => resolveProducerSecrets(config.producers.remote_system_api, config.parameters, { ...ENV, API_TOKEN: undefined });
    expect(resolve).toThrow(SecretResolutionError);
    expect(resolve).toThrow("secret options.token of producer 'remote_system_api': environment variable 'API_TOKEN' is not set");
  });

  it('loads when a secret cannot be resolved yet, with a warning at its location', () => {
    const { warnings } = loadConfig(dir, { env: {} });
    expect(warnings.map(brief)).toEqual([
      expect.stringMatching(/^p\.yml:10:14 producers\.remote_system_api\.options\.token: secret cannot be resolved now \(environment variable 'API_TOKEN' is not set\)/),
      expect.stringMatching(/^p\.yml:13:30 producers\.remote_system_api\.options\.headers\.X-Api-Key\.secret: secret cannot be resolved now/),
      expect.stringMatching(
        /^p\.yml:25:40 producers\.remote_system_api\.methods\.sendPingMessage\.steps\[0\]\.request\.headers\.X-Signature\.secret: secret cannot be resolved now \(environment variable 'SIGNING_KEY' is not set\)/,
      ),
    ]);
  });

  it('warns about a secret written in clear in a producer', () => {
    const clear = SECRET_PRODUCER.replace("password: '%api_password%'", 'password: hunter2');
    const { warnings } = loadConfig(flowsDir({ 'p.yml': clear, 'f.yml': FLOW }), { env: ENV });
    expect(warnings.map(brief)).toEqual([
      "p.yml:9:17 producers.remote_system_api.options.password: secret written in clear in the config; prefer '%env(NAME)%' so it stays out of files",
    ]);
  });
});
