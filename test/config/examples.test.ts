import Ajv from 'ajv';
import { readFileSync } from 'fs';
import { dirname, join, resolve } from 'path';
import { parse } from 'yaml';
import { loadConfig, resolveProducerSecrets } from '../../src/config';
import { listConfigFiles } from '../../src/config/read-files';
import { brief, EXAMPLE_FLOWS, FIXTURES } from './helpers';

const SCHEMA_FILE = join(__dirname, '..', '..', 'schema', 'flows.schema.json');

describe('the example flows directory', () => {
  it('loads cleanly: no error, no warning', () => {
    const { config, warnings } = loadConfig(EXAMPLE_FLOWS, { env: {} });
    expect(warnings.map(brief)).toEqual([]);
    expect(Object.keys(config.producers)).toEqual(['remote_system_api']);
    expect(Object.keys(config.producers.remote_system_api.methods)).toEqual(['sendPingMessage', 'callback']);
    expect(Object.keys(config.mappings)).toEqual(['pingToRemoteApi', 'callbackToRemoteApi']);
    expect(Object.keys(config.flows)).toEqual(['ping']);
  });

  it('delivers ping to remote_system_api.sendPingMessage and calls back remote_system_api.callback asynchronously', () => {
    const { ping } = loadConfig(EXAMPLE_FLOWS, { env: {} }).config.flows;
    expect(ping).toMatchObject({
      mode: 'async',
      deliver: { to: { producer: 'remote_system_api', method: 'sendPingMessage' }, timeoutMs: 120_000 },
      callback: { to: [{ producer: 'remote_system_api', method: 'callback' }], mode: 'async', when: 'always' },
    });
  });

  it('points at the demo remote system, or at REMOTE_BASE_URI when set', () => {
    const baseUri = (env: Record<string, string>) => loadConfig(EXAMPLE_FLOWS, { env }).config.producers.remote_system_api.options.baseUri;
    expect(baseUri({})).toBe('http://127.0.0.1:3000');
    expect(baseUri({ REMOTE_BASE_URI: 'http://127.0.0.1:4321/remote' })).toBe('http://127.0.0.1:4321/remote');
  });

  it('is plain JSON data that survives a round trip (it is snapshotted into workflow inputs)', () => {
    const { config } = loadConfig(EXAMPLE_FLOWS, { env: {} });
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});

describe("SmartESB's own files", () => {
  // test/fixtures/config/skeleton/remote_system_api.yml is the public SmartESB
  // skeleton's app/config/producers/remote_system_api.yml, copied unchanged.
  const skeleton = join(FIXTURES, 'skeleton');

  it("loads the skeleton's producer file as it is, only warning about its PHP wiring", () => {
    const { config, warnings } = loadConfig(skeleton, { env: {} });
    expect(warnings.map((w) => w.message)).toEqual([
      "ignored PHP-only key 'services' (Symfony service definitions have no meaning here)",
      "ignored PHP-only key 'class' of producer 'remote_system_api' (temporal-esb runs REST producers itself)",
      "ignored PHP-only key 'calls' of producer 'remote_system_api' (temporal-esb runs REST producers itself)",
    ]);
    const producer = config.producers.remote_system_api;
    expect(Object.keys(producer.methods)).toEqual(['sendPingMessage', 'logContent', 'sendPingCallback']);
    expect(producer.options).toEqual({
      baseUri: 'nginx',
      encoding: 'json',
      authentication: 'none',
      username: 'mel',
      headers: {},
      timeoutMs: 10_000,
      connectTimeoutMs: 10_000,
    });
    expect(producer.secrets.password).toBe('%remote_system_api.password%');
    expect(resolveProducerSecrets(producer, config.parameters, {}).password).toBe('mel');
    expect(Object.keys(config.mappings)).toEqual(['pingToRemoteApi', 'pingCallbackToOriginatingSystem']);
  });

  it("turns the skeleton's sendPingMessage into the typed model", () => {
    const method = loadConfig(skeleton, { env: {} }).config.producers.remote_system_api.methods.sendPingMessage;
    expect(method).toEqual({
      name: 'sendPingMessage',
      description: 'Send ping to a remote api',
      steps: [
        { type: 'define', variables: { PingMessage: 'eval: body' } },
        {
          type: 'request',
          name: 'sendPingMessage',
          httpMethod: 'POST',
          uri: '/smartesb-skeleton/web/remote/pong',
          body: "eval: mapper.map(PingMessage, 'pingToRemoteApi')",
          validations: [
            {
              rule: "eval: responses['sendPingMessage']['statusCode'] == 200",
              message: "eval: 'Enexpected response from Web Api: ' ~ responses['sendPingMessage']['statusCode']",
              recoverable: true,
              displayMessage: true,
            },
          ],
        },
      ],
      validations: [],
      response: { body: "eval: responses['sendPingMessage']['body']" },
    });
  });

  it("loads the seed's callback method unchanged", () => {
    const { config, warnings } = loadConfig(join(FIXTURES, 'seed-callback'), { env: {} });
    expect(warnings).toEqual([]);
    const callback = config.producers.remote_system_api.methods.callback;
    expect(callback.steps.map((s) => s.type)).toEqual(['define', 'request']);
    expect(callback.steps[1]).toMatchObject({ uri: '/smartbox-skeleton/web/remote/callback', validations: [{ recoverable: true, displayMessage: true }] });
    expect(callback.response).toEqual({ body: null });
  });
});

describe('the JSON Schema (schema/flows.schema.json)', () => {
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
  const validate = ajv.compile(schema);

  it('is a valid draft-07 schema', () => {
    expect(ajv.validateSchema(schema)).toBe(true);
  });

  it.each(listConfigFiles(EXAMPLE_FLOWS).map((f) => [f.slice(EXAMPLE_FLOWS.length + 1), f]))(
    'accepts the example %s as an editor would read it (drift check)',
    (_name, file) => {
      const ok = validate(parse(readFileSync(file, 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it.each(listConfigFiles(EXAMPLE_FLOWS).map((f) => [f.slice(EXAMPLE_FLOWS.length + 1), f]))(
    'is named by the yaml-language-server line at the top of %s',
    (_name, file) => {
      const first = readFileSync(file, 'utf8').split('\n')[0];
      const match = /^# yaml-language-server: \$schema=(.+)$/.exec(first);
      expect(match).not.toBeNull();
      expect(resolve(dirname(file), (match as RegExpExecArray)[1])).toBe(SCHEMA_FILE);
    },
  );

  it("accepts the SmartESB skeleton's producer file as it is", () => {
    validate(parse(readFileSync(join(FIXTURES, 'skeleton', 'remote_system_api.yml'), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
  });
});
