import { log, sleep } from '@temporalio/workflow';
import type { MethodDefinition, RetrySettings, ValidationDefinition } from '../config/types';
import { buildStepScope, createMapper, isEvalString, resolveValue, type ExpressionScope, type Mapper } from '../expressions';
import type { ErrorInfo, HttpResponseData, MessageContext, MethodResponse, TargetSnapshot } from '../shared/delivery-types';
import { errorInfoFromFailure } from '../shared/errors';
import { runRequestStep } from './request-step';
import { retryDelayMs } from './retry-policy';

export interface MethodRun {
  target: TargetSnapshot;
  body: unknown;
  headers: Record<string, string>;
  context: MessageContext;
  mappings: Record<string, unknown>;
  retry: RetrySettings;
  /** Workflow time (ms) by which every attempt must be over. */
  deadline: number;
  /** Prefix of the idempotency key sent with each request ("<messageId>" or "<messageId>:callback"). */
  idempotencyPrefix: string;
  onRetry?: (attempts: number, error: ErrorInfo) => void;
}

export interface MethodSuccess {
  response: MethodResponse;
  attempts: number;
}

/** A failure raised inside the workflow (validate steps, method validations, expressions). */
export class MethodFailure extends Error {
  constructor(
    readonly info: ErrorInfo,
    readonly attempts: number,
    /** 'activity' failures were already retried by Temporal; 'workflow' ones may re-run the method. */
    readonly origin: 'activity' | 'workflow',
  ) {
    super(info.message);
  }
}

class MethodState {
  vars: Record<string, unknown> = {};
  responses: Record<string, HttpResponseData> = {};
  attempts = 1;
  constructor(readonly run: MethodRun, readonly mapper: Mapper) {}

  scope(): ExpressionScope {
    const { body, headers, context, target } = this.run;
    return buildStepScope({ body, headers, context, vars: this.vars, responses: this.responses, options: { ...target.options }, mapper: this.mapper });
  }
}

function validationMessage(v: ValidationDefinition, scope: ExpressionScope, fallback: string): string {
  if (v.message === undefined) return fallback;
  const resolved = isEvalString(v.message) ? resolveValue(v.message, scope) : v.message;
  return String(resolved ?? fallback);
}

/** `validate` steps and method validations pass only when the rule is strictly true (SmartESB). */
function checkStrict(v: ValidationDefinition, state: MethodState, what: string): void {
  const scope = state.scope();
  const result = isEvalString(v.rule) ? resolveValue(v.rule, scope) : v.rule;
  if (result === true) return;
  const info: ErrorInfo = {
    type: 'ValidationFailedError',
    message: validationMessage(v, scope, `${what} failed: ${v.rule}`),
    recoverable: v.recoverable,
    displayMessage: v.displayMessage,
    target: state.run.target.name,
  };
  throw new MethodFailure(info, state.attempts, 'workflow');
}

async function runSteps(method: MethodDefinition, state: MethodState): Promise<MethodResponse> {
  const { run } = state;
  for (const step of method.steps) {
    if (step.type === 'define') {
      for (const [name, value] of Object.entries(step.variables)) state.vars[name] = resolveValue(value, state.scope());
    } else if (step.type === 'validate') {
      checkStrict(step, state, 'validate step');
    } else {
      const result = await runRequestStep({
        step, target: run.target, scope: state.scope(), body: run.body, vars: state.vars, responses: state.responses,
        context: { ...run.context, attempt: state.attempts }, mappings: run.mappings, retry: run.retry,
        budgetMs: run.deadline - Date.now(), idempotencyKey: `${run.idempotencyPrefix}:${step.name}`,
      }).catch((err: unknown) => {
        const info = errorInfoFromFailure(err);
        throw new MethodFailure({ ...info, target: info.target ?? run.target.name }, Math.max(state.attempts, info.attempt ?? 1), 'activity');
      });
      state.responses[step.name] = result.response;
      state.attempts = Math.max(state.attempts, result.attempt);
    }
  }
  for (const v of method.validations) checkStrict(v, state, 'method validation');
  const scope = state.scope();
  const response: MethodResponse = {};
  if (method.response?.body !== undefined) response.body = resolveValue(method.response.body, scope);
  if (method.response?.headers !== undefined) response.headers = resolveValue(method.response.headers, scope) as Record<string, unknown>;
  return response;
}

function asMethodFailure(err: unknown, state: MethodState): MethodFailure {
  if (err instanceof MethodFailure) return err;
  // Expression errors and the like: deterministic, so retrying cannot help.
  const e = err as Error;
  return new MethodFailure(
    { type: e?.name ?? 'Error', message: e?.message ?? String(err), recoverable: false, displayMessage: false, target: state.run.target.name },
    state.attempts,
    'workflow',
  );
}

/**
 * Runs a producer method. Request steps are retried by Temporal (activity
 * retry policy); a recoverable failure raised in the workflow itself (a
 * `validate` step or a method validation) re-runs the whole method later, as
 * SmartESB re-queues the message, within the same attempt budget.
 */
export async function runMethod(run: MethodRun): Promise<MethodSuccess> {
  const mapper = createMapper(run.mappings, {
    onKeyError: ({ mapping, key, error }) => log.warn('mapping key dropped', { mapping, key, error: error.message }),
  });
  let offset = 0;
  for (let round = 1; ; round += 1) {
    const state = new MethodState(run, mapper);
    state.attempts = offset + 1;
    try {
      const response = await runSteps(run.target.method, state);
      return { response, attempts: state.attempts };
    } catch (err) {
      const failure = asMethodFailure(err, state);
      const delay = retryDelayMs(run.retry, round);
      const canRetry = failure.info.recoverable && failure.origin === 'workflow' && failure.attempts < run.retry.maxAttempts && Date.now() + delay < run.deadline;
      if (!canRetry) throw failure;
      run.onRetry?.(failure.attempts, failure.info);
      offset = failure.attempts;
      await sleep(delay);
    }
  }
}
