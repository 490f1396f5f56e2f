/**
 * Shared set-up for the activity tests: a hand-built config whose producer
 * points at a fake remote, an input builder, and a runner.
 *
 * `MockActivityEnvironment` (from @temporalio/testing) only supplies the
 * activity `Context` (attempt number, cancellation signal, heartbeats) that a
 * real worker would; it mocks nothing of ours: the activity runs for real
 * against a real HTTP server on loopback.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities, createHttpClient, type ActivityLogger, type HttpClient } from '../../src/activities';
import type { EsbConfig, ProducerDefinition, ProducerSecrets } from '../../src/config/types';
import type { HttpRequestInput } from '../../src/shared/delivery-types';

export const PRODUCER = 'remote';
export const TARGET = 'remote.send';
export const STEP = 'sendIt';

export function producerConfig(baseUri: string, overrides: Partial<ProducerDefinition> = {}, secrets: Partial<ProducerSecrets> = {}): EsbConfig {
  const producer: ProducerDefinition = {
    name: PRODUCER,
    options: { baseUri, encoding: 'json', authentication: 'none', headers: {}, timeoutMs: 5000, connectTimeoutMs: 2000 },
    secrets: { headers: {}, requestHeaders: {}, ...secrets },
    methods: {},
    ...overrides,
  };
  return { producers: { [PRODUCER]: producer }, mappings: {}, flows: {}, parameters: {} };
}

export function requestInput(baseUri: string, overrides: Partial<HttpRequestInput> = {}): HttpRequestInput {
  return {
    producer: PRODUCER,
    target: TARGET,
    stepName: STEP,
    httpMethod: 'POST',
    baseUri,
    uri: '/things',
    headers: {},
    body: { hello: 'world' },
    timeoutMs: 5000,
    connectTimeoutMs: 2000,
    authentication: 'none',
    transactionId: 'tx-1',
    idempotencyKey: 'msg-1',
    validations: [],
    validationScope: {
      vars: {},
      responses: {},
      context: { messageId: 'msg-1', transactionId: 'tx-1', flow: 'ping', timestamp: '2024-01-01T00:00:00.000Z', attempt: 1, version: 'v1' },
    },
    ...overrides,
  };
}

export interface LogLine {
  level: string;
  obj: object;
  msg: string;
}

export interface Harness {
  run(input: HttpRequestInput, opts?: { attempt?: number; env?: MockActivityEnvironment }): ReturnType<ReturnType<typeof createActivities>['httpRequest']>;
  logs: LogLine[];
  close(): Promise<void>;
}

export function activityHarness(config: EsbConfig, deps: { env?: Record<string, string>; maxResponseBytes?: number } = {}): Harness {
  const logs: LogLine[] = [];
  const logger: ActivityLogger = {
    debug: (obj, msg) => logs.push({ level: 'debug', obj, msg }),
    info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
  };
  const httpClient: HttpClient = createHttpClient();
  const { httpRequest } = createActivities({ getConfig: () => config, env: deps.env ?? {}, maxResponseBytes: deps.maxResponseBytes, logger, httpClient });
  return {
    logs,
    run: (input, opts = {}) => (opts.env ?? new MockActivityEnvironment({ attempt: opts.attempt ?? 1 })).run(httpRequest, input),
    close: () => httpClient.close(),
  };
}

/** The ApplicationFailure an activity call rejected with (fails the test if it resolved). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected the activity to fail, but it succeeded');
}

/** details[0] of a failure: the ErrorInfo plus attempt. */
export function infoOf(failure: ApplicationFailure): Record<string, unknown> {
  return failure.details?.[0] as Record<string, unknown>;
}
