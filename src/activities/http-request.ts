/**
 * The `request` step as a Temporal activity: one HTTP call, classified, then
 * the step's validations. Every failure leaves as an ApplicationFailure whose
 * retryability is SmartESB's recoverable/unrecoverable rule, so the retry
 * policy the workflow sets from the flow does the rest.
 */
import { Context } from '@temporalio/activity';
import { resolveProducerSecrets, SecretResolutionError, type ResolvedSecrets } from '../config/secrets';
import type { EsbConfig, ProducerDefinition } from '../config/types';
import type { HttpRequestInput, HttpRequestResult, HttpResponseData } from '../shared/delivery-types';
import { ConfigurationError, EsbError, ResponseTooLargeError, toApplicationFailure } from '../shared/errors';
import { classifyResponse } from './classify';
import { decodeBody } from './decode';
import type { HttpClient } from './http-client';
import { sendFollowingRedirects } from './redirects';
import { buildRequest, redirectRules, requestPolicy } from './request-build';
import { runRequestValidations } from './validations';

/** The subset of pino the activity uses; never handed header values. */
export interface ActivityLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface HttpRequestDeps {
  getConfig: () => EsbConfig;
  env: Record<string, string | undefined>;
  maxResponseBytes: number;
  /** Cap on the encoded result (default MAX_RESULT_BYTES). */
  maxResultBytes?: number;
  logger: ActivityLogger;
  http: HttpClient;
}

/**
 * A response under the byte cap can still encode to a much larger payload
 * (escaped control characters grow six-fold); Temporal refuses results past
 * 2 MiB, and retrying cannot shrink it, so refuse it here, non-retryably.
 */
export const MAX_RESULT_BYTES = 1536 * 1024;

function assertResultFits(response: HttpResponseData, limit: number, url: string): void {
  const size = Buffer.byteLength(JSON.stringify(response));
  if (size > limit) {
    throw new ResponseTooLargeError(`response of ${url} encodes to ${size} bytes, over the ${limit}-byte limit of a Temporal payload`, {});
  }
}

/**
 * Cancellation reaches an activity only with a heartbeat response, so a long
 * call heartbeats; without a heartbeat timeout the SDK just throttles them.
 */
const HEARTBEAT_EVERY_MS = 5_000;

function producerOf(config: EsbConfig, input: HttpRequestInput): ProducerDefinition {
  const producer = Object.prototype.hasOwnProperty.call(config.producers, input.producer) ? config.producers[input.producer] : undefined;
  if (producer === undefined) {
    throw new ConfigurationError(`producer '${input.producer}' is not in this worker's configuration`, { target: input.target });
  }
  return producer;
}

function secretsOf(producer: ProducerDefinition, config: EsbConfig, input: HttpRequestInput, env: HttpRequestDeps['env']): ResolvedSecrets {
  try {
    return resolveProducerSecrets(producer, config.parameters, env);
  } catch (err) {
    // The resolver's messages name the field, never the value.
    if (err instanceof SecretResolutionError) throw new ConfigurationError(err.message, { target: input.target });
    throw err;
  }
}

async function withHeartbeats<T>(ctx: Context, run: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => ctx.heartbeat(), HEARTBEAT_EVERY_MS);
  timer.unref();
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

export function createHttpRequest(deps: HttpRequestDeps): (input: HttpRequestInput) => Promise<HttpRequestResult> {
  return async function httpRequest(input: HttpRequestInput): Promise<HttpRequestResult> {
    const ctx = Context.current();
    const attempt = ctx.info.attempt;
    const started = Date.now();
    const log = { target: input.target, step: input.stepName, transactionId: input.transactionId, attempt };
    let nextRetryDelayMs: number | undefined;
    try {
      const config = deps.getConfig();
      const producer = producerOf(config, input);
      const secrets = secretsOf(producer, config, input, deps.env);
      const policy = requestPolicy(producer.options);
      const request = buildRequest(input, secrets, policy);
      Object.assign(log, { method: request.method, url: request.label.url });

      const sendOptions = {
        timeoutMs: input.timeoutMs,
        connectTimeoutMs: input.connectTimeoutMs,
        maxResponseBytes: deps.maxResponseBytes,
        cancellation: ctx.cancellationSignal,
      };
      const raw = await withHeartbeats(ctx, () =>
        policy.followRedirects
          ? sendFollowingRedirects(deps.http, request, sendOptions, redirectRules(input, secrets, policy))
          : deps.http.send(request, sendOptions),
      );
      Object.assign(log, { statusCode: raw.statusCode, durationMs: Date.now() - started });

      const decoded = decodeBody(raw.body, raw.headers['content-type']);
      if (decoded.problem !== undefined) deps.logger.warn({ ...log, problem: decoded.problem }, 'response body kept as text');

      // SmartESB: a status >= 400 is an error before any validation runs.
      const classified = classifyResponse({ ...request.label, statusCode: raw.statusCode, headers: raw.headers });
      if (classified !== null) {
        nextRetryDelayMs = classified.nextRetryDelayMs;
        throw classified.error;
      }
      const response: HttpResponseData = { statusCode: raw.statusCode, headers: raw.headers, body: decoded.body };
      runRequestValidations(input, response, {
        attempt,
        options: { ...producer.options },
        onMappingKeyError: ({ mapping, key, error }) =>
          deps.logger.warn({ ...log, mapping, key, error: error.message }, 'mapping key dropped after an evaluation error'),
      });
      assertResultFits(response, deps.maxResultBytes ?? MAX_RESULT_BYTES, request.label.url);
      deps.logger.debug(log, 'request delivered');
      return { response, attempt };
    } catch (err) {
      // Cancellation must surface as itself, so Temporal records the activity as cancelled.
      if (ctx.cancellationSignal.aborted && !(err instanceof EsbError)) throw err;
      const failure = toApplicationFailure(err, { attempt, ...(nextRetryDelayMs !== undefined ? { nextRetryDelayMs } : {}) });
      deps.logger.info(
        { ...log, durationMs: Date.now() - started, error: failure.type, recoverable: !failure.nonRetryable, nextRetryDelayMs },
        failure.message,
      );
      throw failure;
    }
  };
}
