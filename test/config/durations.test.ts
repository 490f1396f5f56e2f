import { DEFAULT_RETRY, loadConfig, parseDuration } from '../../src/config';
import { brief, flowsDir, PRODUCER, problemsOf } from './helpers';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['1s', 1000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5s', 1500],
    [30, 30_000],
    [0.25, 250],
    ['30', 30_000],
  ])('reads %p as %d ms', (input, ms) => {
    expect(parseDuration(input)).toEqual({ ms });
  });

  it.each([['5 minutes'], ['1d'], ['-1s'], [true], [null]])('refuses %p', (input) => {
    expect(parseDuration(input)).toEqual({ error: expect.stringContaining('is not a duration') });
  });

  it('refuses zero, which SmartESB read as "wait forever"', () => {
    expect(parseDuration(0)).toEqual({ error: 'the duration must be greater than zero (got 0)' });
  });
});

function flowWith(deliver: string): string {
  return `flows:\n  ping:\n    deliver:\n      to: remote_system_api.sendPingMessage\n${deliver}`;
}

const load = (deliver: string) => loadConfig(flowsDir({ 'p.yml': PRODUCER, 'f.yml': flowWith(deliver) }), { env: {} }).config.flows.ping;

describe('flow delivery settings', () => {
  it('normalises retry and timeout to milliseconds', () => {
    const ping = load('      retry: { max_attempts: 5, initial_interval: 500ms, backoff: 3, max_interval: 2m }\n      timeout: 2m\n');
    expect(ping.deliver).toMatchObject({
      retry: { maxAttempts: 5, initialIntervalMs: 500, backoff: 3, maxIntervalMs: 120_000 },
      timeoutMs: 120_000,
    });
  });

  it('applies the defaults: 6 attempts (1 + SmartESB retries_max 5), 1s doubling up to 1m, 5m in total, async', () => {
    const ping = load('');
    expect(ping.mode).toBe('async');
    expect(ping.deliver.retry).toEqual(DEFAULT_RETRY);
    expect(DEFAULT_RETRY).toEqual({ maxAttempts: 6, initialIntervalMs: 1000, backoff: 2, maxIntervalMs: 60_000 });
    expect(ping.deliver.timeoutMs).toBe(300_000);
  });

  it("accepts SmartESB's retries_max, retry_delay (seconds) and progressive", () => {
    expect(load('      retry: { retries_max: 3, retry_delay: 10, progressive: false }\n').deliver.retry).toEqual({
      maxAttempts: 4,
      initialIntervalMs: 10_000,
      backoff: 1,
      maxIntervalMs: 60_000,
    });
    expect(load('      retry: { retries_max: 5, retry_delay: 0, progressive: true }\n').deliver.retry).toEqual(DEFAULT_RETRY);
  });

  it('refuses both names of one setting', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': flowWith('      retry: { max_attempts: 3, retries_max: 2 }\n') });
    expect(problemsOf(dir).map(brief)).toEqual([
      "f.yml:5:33 flows.ping.deliver.retry.retries_max: use either max_attempts or SmartESB's retries_max, not both",
    ]);
  });

  it('refuses a maximum interval shorter than the initial one', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': flowWith('      retry: { initial_interval: 1m, max_interval: 10s }\n') });
    expect(problemsOf(dir).map(brief)).toEqual([
      'f.yml:5:52 flows.ping.deliver.retry.max_interval: max_interval (10s) is shorter than the initial interval (1m)',
    ]);
  });

  it('refuses a zero or badly written timeout at its position', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': flowWith('      timeout: 0\n      retry: { max_attempts: 0, backoff: 0.5 }\n') });
    expect(problemsOf(dir).map(brief)).toEqual([
      'f.yml:5:16 flows.ping.deliver.timeout: must be > 0 (got 0)',
      'f.yml:6:30 flows.ping.deliver.retry.max_attempts: must be >= 1 (got 0)',
      'f.yml:6:42 flows.ping.deliver.retry.backoff: must be >= 1 (got 0.5)',
    ]);
  });

  it('uses SmartESB timeouts (10 s) for producers that set none, and reads seconds or durations', () => {
    const withConnectTimeout = PRODUCER.replace("base_uri: 'http://127.0.0.1:3000/remote'", "base_uri: 'x'\n      connect_timeout: 500ms");
    const dir = flowsDir({ 'p.yml': withConnectTimeout, 'f.yml': flowWith('') });
    const { options } = loadConfig(dir, { env: {} }).config.producers.remote_system_api;
    expect(options).toMatchObject({ timeoutMs: 10_000, connectTimeoutMs: 500 });
  });
});

describe('flow input schemas', () => {
  it('keeps a valid input_schema as written', () => {
    const ping = load('').inputSchema;
    expect(ping).toBeUndefined();
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': `${flowWith('')}    input_schema: { type: object, required: [message] }\n` });
    expect(loadConfig(dir, { env: {} }).config.flows.ping.inputSchema).toEqual({ type: 'object', required: ['message'] });
  });

  it('refuses an invalid JSON Schema with the reason, at the schema', () => {
    const dir = flowsDir({ 'p.yml': PRODUCER, 'f.yml': `${flowWith('')}    input_schema: { type: objekt }\n` });
    expect(problemsOf(dir).map(brief)).toEqual([
      expect.stringMatching(/^f\.yml:5:19 flows\.ping\.input_schema: input_schema is not a valid JSON Schema: schema is invalid: data\/type must be equal to one of the allowed values/),
    ]);
  });
});
