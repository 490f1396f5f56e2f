import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { RequestStep, RetrySettings } from '../config/types';
import type { EsbActivities } from '../activities';
import type { ExpressionScope } from '../expressions';
import { resolveValue } from '../expressions';
import type { HttpRequestInput, HttpRequestResult, MessageContext, TargetSnapshot, HttpResponseData } from '../shared/delivery-types';
import { toRetryPolicy } from './retry-policy';

/** Margin over the request's own timeout so the activity reports the timeout itself, classified. */
const START_TO_CLOSE_MARGIN_MS = 5_000;

function stringHeaders(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v !== null && v !== undefined) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

function validationText(step: RequestStep): string {
  return step.validations.map((v) => `${v.rule} ${v.message ?? ''}`).join(' ');
}

function mentions(text: string, name: string): boolean {
  return new RegExp(`(^|[^A-Za-z0-9_$])${name.replace(/[^A-Za-z0-9_]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(text);
}

function pick<T>(record: Record<string, T>, keep: (name: string) => boolean): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(record)) if (keep(k)) out[k] = v;
  return out;
}

/**
 * Only what the step's validations can read goes into the activity input:
 * every byte is stored in the history again for each request, and a body plus
 * earlier responses could otherwise push the input past Temporal's payload
 * limit. A rough textual check is enough: including too much is only bigger.
 */
function validationScopeFor(step: RequestStep, run: RequestStepRun): HttpRequestInput['validationScope'] {
  const text = validationText(step);
  const allVars = mentions(text, 'vars');
  // `responses` indexed by anything but a literal name may read any of them.
  const allResponses = /responses(?!\s*\[\s*['"]|\s*\.\s*[A-Za-z_])/.test(text);
  return {
    body: mentions(text, 'body') ? run.body : undefined,
    vars: pick(run.vars, (name) => allVars || mentions(text, name)),
    responses: pick(run.responses, (name) => allResponses || text.includes(`'${name}'`) || text.includes(`"${name}"`) || mentions(text, name)),
    context: run.context,
  };
}

/**
 * Temporal refuses payloads over 2 MiB by failing the workflow task, which is
 * then retried forever: a stuck message. Refuse such an input here instead, so
 * the delivery fails with a reason (unrecoverable: the same data would not fit
 * next time either).
 */
const MAX_ACTIVITY_INPUT_CHARS = 1536 * 1024;

function assertInputFits(input: HttpRequestInput): void {
  const size = JSON.stringify(input).length;
  if (size > MAX_ACTIVITY_INPUT_CHARS) {
    const message = `request '${input.stepName}' would carry ${size} characters into Temporal, over the ${MAX_ACTIVITY_INPUT_CHARS} limit`;
    throw ApplicationFailure.create({
      type: 'RequestBuildError',
      message,
      nonRetryable: true,
      details: [{ type: 'RequestBuildError', message, recoverable: false, displayMessage: false, target: input.target }],
    });
  }
}

export interface RequestStepRun {
  step: RequestStep;
  target: TargetSnapshot;
  scope: ExpressionScope;
  body: unknown;
  vars: Record<string, unknown>;
  responses: Record<string, HttpResponseData>;
  context: MessageContext;
  mappings: Record<string, unknown>;
  retry: RetrySettings;
  /** Remaining delivery budget; every attempt of this request must fit in it. */
  budgetMs: number;
  idempotencyKey: string;
}

/**
 * One `request` step = one activity call. Expressions are resolved here, in
 * the workflow (deterministic), so the activity only sends bytes and checks
 * the response; secrets are added by the activity and never pass through here.
 */
export async function runRequestStep(run: RequestStepRun): Promise<HttpRequestResult> {
  const { step, target, scope } = run;
  const timeoutMs = step.timeoutMs ?? target.options.timeoutMs;
  const uri = String(resolveValue(step.uri, scope) ?? '');
  const input: HttpRequestInput = {
    producer: target.ref.producer,
    target: target.name,
    stepName: step.name,
    httpMethod: step.httpMethod,
    baseUri: step.baseUri ?? target.options.baseUri,
    uri,
    query: step.query === undefined ? undefined : resolveValue(step.query, scope),
    headers: { ...stringHeaders(resolveValue(target.options.headers, scope)), ...stringHeaders(resolveValue(step.headers, scope)) },
    body: resolveValue(step.body, scope),
    timeoutMs,
    connectTimeoutMs: target.options.connectTimeoutMs,
    authentication: target.options.authentication,
    username: target.options.username,
    transactionId: run.context.transactionId,
    idempotencyKey: run.idempotencyKey,
    validations: step.validations,
    validationScope: validationScopeFor(step, run),
    mappings: mentions(validationText(step), 'mapper') ? run.mappings : undefined,
  };
  assertInputFits(input);
  const activities = proxyActivities<EsbActivities>({
    startToCloseTimeout: timeoutMs + START_TO_CLOSE_MARGIN_MS,
    scheduleToCloseTimeout: Math.max(run.budgetMs, timeoutMs + START_TO_CLOSE_MARGIN_MS),
    retry: toRetryPolicy(run.retry),
    summary: `${step.httpMethod} ${uri}`,
  });
  return activities.httpRequest(input);
}
