import { proxyActivities } from '@temporalio/workflow';
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

function mentionsMapper(step: RequestStep): boolean {
  return step.validations.some((v) => v.rule.includes('mapper') || (v.message ?? '').includes('mapper'));
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
    validationScope: { body: run.body, vars: run.vars, responses: run.responses, context: run.context },
    mappings: mentionsMapper(step) ? run.mappings : undefined,
  };
  const activities = proxyActivities<EsbActivities>({
    startToCloseTimeout: timeoutMs + START_TO_CLOSE_MARGIN_MS,
    scheduleToCloseTimeout: Math.max(run.budgetMs, timeoutMs + START_TO_CLOSE_MARGIN_MS),
    retry: toRetryPolicy(run.retry),
    summary: `${step.httpMethod} ${uri}`,
  });
  return activities.httpRequest(input);
}
