import { ApplicationFailure, defineQuery, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DeliveryInput, DeliveryOutcome, DeliveryState, DeliveryStatus } from '../shared/delivery-types';
import { EsbStatus } from '../shared/definitions';
import { deliveryWorkflowId, STATUS_QUERY } from '../shared/ids';
import { pendingCallbacks, runCallbacks, wantsCallback } from './callbacks-phase';
import { MethodFailure, runMethod } from './method-runner';

export const deliveryStatusQuery = defineQuery<DeliveryStatus>(STATUS_QUERY);

/** Sets the status and mirrors it into the EsbStatus search attribute (one event per change). */
function setStatus(status: DeliveryStatus, next: DeliveryState): void {
  if (status.status === next) return;
  status.status = next;
  upsertSearchAttributes([{ key: EsbStatus, value: next }]);
}

function outcomeOf(status: DeliveryStatus, acceptedAt: string): DeliveryOutcome {
  const { messageId, flow, attempts, lastError, response } = status;
  return {
    messageId,
    flow,
    status: status.status === 'delivered' ? 'delivered' : 'failed',
    attempts,
    error: lastError && { message: lastError.message, recoverable: lastError.recoverable, statusCode: lastError.statusCode },
    response: response?.body,
    acceptedAt,
    completedAt: status.completedAt!,
  };
}

/**
 * Delivers one message: runs the flow's producer method (request steps as
 * activities, the rest here, deterministically), then reports the outcome
 * through CallbackWorkflow children. A failed delivery fails this workflow
 * (status `failed`, the failed-message store); its status is kept in a query.
 */
export async function DeliveryWorkflow(input: DeliveryInput): Promise<DeliveryStatus> {
  const { message, snapshot } = input;
  const ctx = message.context;
  const status: DeliveryStatus = {
    messageId: ctx.messageId,
    flow: snapshot.flow,
    workflowId: deliveryWorkflowId(snapshot.flow, ctx.messageId),
    status: 'accepted',
    attempts: 0,
    callbacks: [],
    callbackMode: snapshot.callback?.mode,
    startedAt: workflowInfo().startTime.toISOString(),
  };
  setHandler(deliveryStatusQuery, () => status);
  setStatus(status, 'delivering');

  try {
    const done = await runMethod({
      target: snapshot.deliver.target,
      body: message.body,
      headers: message.headers,
      context: ctx,
      mappings: snapshot.mappings,
      retry: snapshot.deliver.retry,
      deadline: workflowInfo().startTime.getTime() + snapshot.deliver.timeoutMs,
      idempotencyPrefix: ctx.messageId,
      onRetry: (attempts, lastError) => {
        Object.assign(status, { attempts, lastError });
        setStatus(status, 'retrying');
      },
    });
    Object.assign(status, { attempts: done.attempts, response: done.response, lastError: undefined });
    status.completedAt = new Date(Date.now()).toISOString();
    setStatus(status, 'delivered');
  } catch (err) {
    if (!(err instanceof MethodFailure)) throw err;
    Object.assign(status, { attempts: err.attempts, lastError: err.info });
    status.completedAt = new Date(Date.now()).toISOString();
    setStatus(status, 'failed');
  }

  const outcome = outcomeOf(status, ctx.timestamp);
  if (wantsCallback(input, outcome)) {
    status.callbacks = pendingCallbacks(input);
    status.callbacks = await runCallbacks(input, outcome);
  }

  if (status.status === 'failed') {
    throw ApplicationFailure.create({
      type: 'DeliveryFailed',
      message: status.lastError?.message ?? 'delivery failed',
      nonRetryable: true,
      details: [status],
    });
  }
  return status;
}
