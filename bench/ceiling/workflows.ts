/**
 * The ESB's work shape with nothing of the ESB in it: a parent workflow runs
 * one activity, then starts one child workflow with the ABANDON parent close
 * policy (the async callback) and returns; the child runs one activity that
 * calls back. Workflow sandbox code: only @temporalio/workflow.
 */
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { CeilingActivities } from './activities';

export interface CeilingInput {
  messageId: string;
}

const { deliver, callback } = proxyActivities<CeilingActivities>({ startToCloseTimeout: '1 minute' });

export async function CeilingDelivery(input: CeilingInput): Promise<void> {
  await deliver(input);
  // Awaiting startChild waits for the child's start to be recorded, as DeliveryWorkflow does.
  await startChild(CeilingCallback, { workflowId: `${input.messageId}-callback`, args: [input], parentClosePolicy: ParentClosePolicy.ABANDON });
}

export async function CeilingCallback(input: CeilingInput): Promise<void> {
  await callback(input);
}
