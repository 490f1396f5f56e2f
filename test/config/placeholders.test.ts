import { loadConfig } from '../../src/config';
import { resolveString } from '../../src/config/placeholders';
import { brief, FLOW, flowsDir, problemsOf } from './helpers';

const ctx = (parameters: Record<string, unknown>, env: Record<string, string> = {}) => ({ parameters, env });

describe('placeholders in string values', () => {
  it.each([
    ['a parameter', '%host%/x', { host: 'http://a' }, {}, 'http://a/x'],
    ['an environment variable when no parameter has the name', '%HOST%/x', {}, { HOST: 'http://e' }, 'http://e/x'],
    ['a parameter before an environment variable of the same name', '%HOST%', { HOST: 'param' }, { HOST: 'env' }, 'param'],
    ['%env(NAME)% from the environment only', '%env(HOST)%', { HOST: 'param' }, { HOST: 'env' }, 'env'],
    ['%env(default:param:NAME)% from the environment when set', '%env(default:base:BASE)%', { base: 'p' }, { BASE: 'e' }, 'e'],
    ['%env(default:param:NAME)% from the parameter when unset', '%env(default:base:BASE)%', { base: 'p' }, {}, 'p'],
    ['%env(default:param:NAME)% from the parameter when empty', '%env(default:base:BASE)%', { base: 'p' }, { BASE: '' }, 'p'],
    ['%env(default::NAME)% as null when unset', '%env(default::BASE)%', {}, {}, null],
    ["Symfony's env(NAME) parameter as the default of an unset variable", '%env(BASE)%', { 'env(BASE)': 'd' }, {}, 'd'],
    ['%% as a literal percent sign', '100%% sure', {}, {}, '100% sure'],
    ['a lone % or a modulo expression untouched', 'eval: a % 2 == 0', {}, {}, 'eval: a % 2 == 0'],
    ['a whole-string placeholder with the parameter type', '%retries%', { retries: 5 }, {}, 5],
    ['a parameter that refers to another one', '%url%', { url: '%host%/api', host: 'http://h' }, {}, 'http://h/api'],
    ['an int cast of an environment variable', '%env(int:N)%', {}, { N: '42' }, 42],
    ['a bool cast of an environment variable', '%env(bool:B)%', {}, { B: 'true' }, true],
    ['parameter names with dots, as SmartESB uses', '%remote_system_api.base.uri%', { 'remote_system_api.base.uri': 'nginx' }, {}, 'nginx'],
  ])('resolves %s', (_name, input, parameters, env, expected) => {
    expect(resolveString(input, ctx(parameters, env))).toEqual(expected);
  });

  it.each([
    ['an unknown parameter', '%nope%', {}, {}, "unknown parameter 'nope': define it under 'parameters:' or set the environment variable 'nope'"],
    ['an unset environment variable', '%env(NOPE)%', {}, {}, "environment variable 'NOPE' is not set"],
    ['a default whose parameter is missing', '%env(default:nope:NOPE)%', {}, {}, "unknown parameter 'nope': define it under 'parameters:' or set the environment variable 'nope'"],
    ['a parameter cycle', '%a%', { a: '%b%', b: '%a%' }, {}, "parameter 'a' refers to itself (a -> b -> a)"],
    ['a map embedded in a string', 'x%m%', { m: { k: 1 } }, {}, "parameter 'm' is a map and cannot be embedded in a string"],
    ['an unsupported env processor', '%env(json:X)%', {}, { X: '{}' }, "unsupported env placeholder '%env(json:X)%' (supported: env(NAME), env(default:param:NAME), env(int|float|bool|string:NAME))"],
    ['a non-integer int cast', '%env(int:N)%', {}, { N: 'ten' }, "environment variable 'N' is 'ten', not an integer"],
  ])('refuses %s', (_name, input, parameters, env, message) => {
    expect(() => resolveString(input, ctx(parameters, env))).toThrow(message);
  });
});

describe('placeholders in a flows directory', () => {
  const producer = (baseUri: string) => `parameters:
  remote_base_uri: 'http://127.0.0.1:3000/remote'
producers:
  remote_system_api:
    options:
      base_uri: '${baseUri}'
      timeout: '%env(TIMEOUT)%'
    methods:
      sendPingMessage:
        description: Send ping
        steps:
          - request: { name: ping, http_method: POST, uri: /pong, body: ~ }
`;

  it('resolves options from parameters and the environment, with the value types kept', () => {
    const dir = flowsDir({ 'p.yml': producer('%env(default:remote_base_uri:REMOTE_BASE_URI)%'), 'f.yml': FLOW });
    const fromParam = loadConfig(dir, { env: { TIMEOUT: '2s' } }).config.producers.remote_system_api.options;
    expect(fromParam).toMatchObject({ baseUri: 'http://127.0.0.1:3000/remote', timeoutMs: 2000 });
    const fromEnv = loadConfig(dir, { env: { TIMEOUT: '3', REMOTE_BASE_URI: 'http://x:1/remote' } });
    expect(fromEnv.config.producers.remote_system_api.options).toMatchObject({ baseUri: 'http://x:1/remote', timeoutMs: 3000 });
  });

  it('reports every unresolvable placeholder at the value that holds it', () => {
    const dir = flowsDir({ 'p.yml': producer('%missing_param%'), 'f.yml': FLOW });
    expect(problemsOf(dir).map(brief)).toEqual([
      "p.yml:6:17 producers.remote_system_api.options.base_uri: unknown parameter 'missing_param': define it under 'parameters:' or set the environment variable 'missing_param'",
      "p.yml:7:16 producers.remote_system_api.options.timeout: environment variable 'TIMEOUT' is not set",
    ]);
  });

  it('leaves parameters unresolved in the model, to be resolved where they are used', () => {
    const dir = flowsDir({ 'p.yml': producer('%remote_base_uri%'), 'f.yml': FLOW, 'x.yml': 'parameters:\n  later: "%env(UNSET_HERE)%"\n' });
    expect(loadConfig(dir, { env: { TIMEOUT: '1' } }).config.parameters).toEqual({
      remote_base_uri: 'http://127.0.0.1:3000/remote',
      later: '%env(UNSET_HERE)%',
    });
  });
});
