import { ParentClosePolicy, executeChild, startChild } from '@temporalio/workflow';
import { ApplicationFailure, ChildWorkflowFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { CallbackInput, CallbackResult, CallbackStatus, DeliveryInput, DeliveryOutcome } from '../shared/delivery-types';
import { EsbFlow, EsbMessageId, EsbStatus, EsbTarget } from '../shared/definitions';
import { errorInfoFromFailure } from '../shared/errors';
import { callbackWorkflowId } from '../shared/ids';
import { CallbackWorkflow } from './callback';

function callbackInputs(input: DeliveryInput, outcome: DeliveryOutcome): CallbackInput[] {
  const cb = input.snapshot.callback!;
  return cb.targets.map((target) => ({
    flow: input.snapshot.flow,
    messageId: input.message.context.messageId,
    target,
    retry: cb.retry,
    timeoutMs: cb.timeoutMs,
    outcome,
    context: input.message.context,
    mappings: input.snapshot.mappings,
  }));
}

function childOptions(ci: CallbackInput) {
  return {
    workflowId: callbackWorkflowId(ci.flow, ci.messageId, ci.target.name),
    args: [ci] as [CallbackInput],
    staticSummary: `callback ${ci.messageId.slice(0, 8)} → ${ci.target.name} (${ci.outcome.status})`,
    typedSearchAttributes: [
      { key: EsbFlow, value: ci.flow },
      { key: EsbMessageId, value: ci.messageId },
      { key: EsbTarget, value: ci.target.name },
      { key: EsbStatus, value: 'running' },
    ],
  };
}

/** The CallbackWorkflow reports its own outcome in its failure's details. */
function callbackFailureDetails(err: unknown): CallbackResult | undefined {
  const cause = err instanceof ChildWorkflowFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure) || cause.type !== 'CallbackFailed') return undefined;
  return cause.details?.[0] as CallbackResult | undefined;
}

/** The callbacks about to run, so the status query shows them while they do. */
export function pendingCallbacks(input: DeliveryInput): CallbackStatus[] {
  const { flow } = input.snapshot;
  const messageId = input.message.context.messageId;
  return input.snapshot.callback!.targets.map((t) => ({
    target: t.name,
    workflowId: callbackWorkflowId(flow, messageId, t.name),
    status: 'pending',
    attempts: 0,
  }));
}

/** Whether `callback.when` asks for a callback after this outcome. */
export function wantsCallback(input: DeliveryInput, outcome: DeliveryOutcome): boolean {
  const cb = input.snapshot.callback;
  if (!cb || cb.targets.length === 0) return false;
  return cb.when === 'always' || (cb.when === 'success') === (outcome.status === 'delivered');
}

/**
 * One child CallbackWorkflow per target, in parallel (broadcast). Sync: wait
 * for every outcome. Async: start them with the ABANDON policy so they outlive
 * this workflow, and return at once.
 */
export async function runCallbacks(input: DeliveryInput, outcome: DeliveryOutcome): Promise<CallbackStatus[]> {
  const sync = input.snapshot.callback!.mode === 'sync';
  return Promise.all(
    callbackInputs(input, outcome).map(async (ci): Promise<CallbackStatus> => {
      const opts = childOptions(ci);
      const base = { target: ci.target.name, workflowId: opts.workflowId };
      try {
        if (!sync) {
          await startChild(CallbackWorkflow, { ...opts, parentClosePolicy: ParentClosePolicy.ABANDON });
          return { ...base, status: 'pending', attempts: 0 };
        }
        const result: CallbackResult = await executeChild(CallbackWorkflow, opts);
        return { ...base, status: result.status, attempts: result.attempts, lastError: result.lastError };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { ...base, status: 'running', attempts: 0 };
        const reported = callbackFailureDetails(err);
        if (reported) return { ...base, status: 'failed', attempts: reported.attempts, lastError: reported.lastError };
        const info = errorInfoFromFailure(err);
        return { ...base, status: 'failed', attempts: info.attempt ?? 1, lastError: info };
      }
    }),
  );
}
