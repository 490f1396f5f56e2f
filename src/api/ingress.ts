import { randomUUID } from 'node:crypto';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowHandle } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import type { EsbConfig, FlowDefinition } from '../config/types';
import { buildSnapshot } from '../delivery/snapshot';
import type { DeliveryInput } from '../shared/delivery-types';
import { EsbFlow, EsbMessageId, EsbStatus, EsbTarget } from '../shared/definitions';
import { deliveryWorkflowId } from '../shared/ids';
import type { DeliveryWorkflow } from '../workflows/delivery';
import { withTemporal } from './temporal-calls';

export interface IngressDeps {
  client: Client;
  taskQueue: string;
  getConfig: () => EsbConfig;
  startTimeoutMs: number;
}

/** Inbound headers worth handing to expressions; credentials never are. */
const FORWARDED_HEADERS = ['content-type', 'user-agent', 'x-request-id', 'x-correlation-id', 'traceparent'];

export function pickHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const v = headers[name];
    if (typeof v === 'string') out[name] = v;
  }
  return out;
}

export interface StartResult {
  handle: WorkflowHandle<typeof DeliveryWorkflow>;
  messageId: string;
  workflowId: string;
  /** False when the Idempotency-Key named a message that already exists. */
  started: boolean;
}

export function newMessageId(): string {
  return randomUUID();
}

/**
 * Starts the DeliveryWorkflow for a message. Returns only once Temporal has
 * recorded the start (that is when the 202 may be sent). The workflow id is a
 * business key, so a repeated Idempotency-Key can never deliver twice.
 */
export async function startDelivery(deps: IngressDeps, flow: FlowDefinition, messageId: string, body: unknown, headers: Record<string, string>): Promise<StartResult> {
  const workflowId = deliveryWorkflowId(flow.name, messageId);
  const snapshot = buildSnapshot(deps.getConfig(), flow);
  const acceptedAt = new Date().toISOString();
  const input: DeliveryInput = {
    message: { body, headers, context: { messageId, transactionId: messageId, flow: flow.name, timestamp: acceptedAt, attempt: 1, version: snapshot.version } },
    snapshot,
  };
  const target = snapshot.deliver.target.name;
  return withTemporal(deps.client, 'start delivery', deps.startTimeoutMs, async () => {
    try {
      const handle = await deps.client.workflow.start<typeof DeliveryWorkflow>('DeliveryWorkflow', {
        taskQueue: deps.taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        staticSummary: `${flow.name} ${messageId.slice(0, 8)} → ${target}`,
        typedSearchAttributes: [
          { key: EsbFlow, value: flow.name },
          { key: EsbMessageId, value: messageId },
          { key: EsbStatus, value: 'accepted' },
          { key: EsbTarget, value: target },
        ],
        memo: { flow: flow.name, messageId, acceptedAt, version: snapshot.version, callbackTargets: snapshot.callback?.targets.map((t) => t.name) ?? [] },
      });
      return { handle, messageId, workflowId, started: true };
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      return { handle: deps.client.workflow.getHandle<typeof DeliveryWorkflow>(workflowId), messageId, workflowId, started: false };
    }
  });
}

