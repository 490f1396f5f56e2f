import { ApplicationFailure, defineQuery, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { CallbackInput, CallbackResult } from '../shared/delivery-types';
import { EsbStatus } from '../shared/definitions';
import { STATUS_QUERY } from '../shared/ids';
import { MethodFailure, runMethod } from './method-runner';

type CallbackProgress = Omit<CallbackResult, 'status'> & { status: CallbackResult['status'] | 'running' | 'retrying' };

export const callbackStatusQuery = defineQuery<CallbackProgress>(STATUS_QUERY);

/**
 * Tells one target how the delivery went (SmartESB's callback flow): runs the
 * target producer method with body = the delivery outcome. Routed like any
 * delivery, so it retries by the same rules; its failure never changes the
 * delivery's own outcome.
 */
export async function CallbackWorkflow(input: CallbackInput): Promise<CallbackResult> {
  let state: CallbackProgress = {
    target: input.target.name,
    status: 'running',
    attempts: 0,
  };
  setHandler(callbackStatusQuery, () => state);
  try {
    const done = await runMethod({
      target: input.target,
      body: input.outcome,
      headers: {},
      context: input.context,
      mappings: input.mappings,
      retry: input.retry,
      deadline: workflowInfo().startTime.getTime() + input.timeoutMs,
      idempotencyPrefix: `${input.messageId}:callback`,
      onRetry: (attempts, lastError) => {
        state = { ...state, status: 'retrying', attempts, lastError };
        upsertSearchAttributes([{ key: EsbStatus, value: 'retrying' }]);
      },
    });
    const result: CallbackResult = { target: input.target.name, status: 'delivered', attempts: done.attempts, response: done.response };
    state = result;
    upsertSearchAttributes([{ key: EsbStatus, value: 'delivered' }]);
    return result;
  } catch (err) {
    if (!(err instanceof MethodFailure)) throw err;
    state = { target: input.target.name, status: 'failed', attempts: err.attempts, lastError: err.info };
    upsertSearchAttributes([{ key: EsbStatus, value: 'failed' }]);
    throw ApplicationFailure.create({ type: 'CallbackFailed', message: `callback to ${input.target.name} failed: ${err.message}`, nonRetryable: true, details: [state] });
  }
}
