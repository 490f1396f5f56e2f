import { Client, WorkflowExecutionDescription, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import { decodePayload } from '../temporal/codec';
import type { CallbackStatus, DeliveryState, DeliveryStatus, ErrorInfo } from '../shared/delivery-types';
import { STATUS_QUERY } from '../shared/ids';
import { EsbStatus } from '../shared/definitions';
import { HttpError } from './http-error';
import { withTemporal } from './temporal-calls';

const QUERY_TIMEOUT_MS = 3000;

type PendingActivity = NonNullable<WorkflowExecutionDescription['raw']['pendingActivities']>[number];

function detailsOf(failure: ApplicationFailure | undefined): unknown {
  return failure?.details?.[0];
}

/** The activity currently being retried tells more than the workflow knows yet. */
async function pendingRetryError(client: Client, pending: PendingActivity | undefined): Promise<ErrorInfo | undefined> {
  const failure = pending?.lastFailure;
  if (!failure) return undefined;
  let info: Partial<ErrorInfo> = {};
  const payload = failure.applicationFailureInfo?.details?.payloads?.[0];
  if (payload) {
    try {
      // Through the client's converter: with payload encryption on, raw details are ciphertext.
      info = (await decodePayload<Partial<ErrorInfo>>(client.options.loadedDataConverter, payload)) ?? {};
    } catch {
      info = {};
    }
  }
  return {
    type: failure.applicationFailureInfo?.type ?? 'Error',
    message: failure.message ?? 'unknown error',
    recoverable: info.recoverable ?? true,
    displayMessage: info.displayMessage ?? false,
    statusCode: info.statusCode,
    target: info.target,
  };
}

function closedWithoutResult(description: WorkflowExecutionDescription, memo: Record<string, unknown>): DeliveryStatus {
  const name = description.status.name.toLowerCase();
  return {
    messageId: String(memo.messageId ?? ''),
    flow: String(memo.flow ?? ''),
    workflowId: description.workflowId,
    status: 'failed',
    attempts: 0,
    lastError: { type: 'WorkflowClosed', message: `delivery workflow ${name}`, recoverable: false, displayMessage: false },
    callbacks: [],
    startedAt: description.startTime.toISOString(),
    completedAt: description.closeTime?.toISOString(),
  };
}

/**
 * What describe alone tells (memo, EsbStatus): used when no worker answers the
 * query in time, e.g. under a backlog or with every worker down; the message
 * is then reported as it is, not as an error.
 */
function describedStatus(description: WorkflowExecutionDescription): DeliveryStatus {
  const memo = (description.memo ?? {}) as Record<string, unknown>;
  const esbStatus = description.typedSearchAttributes.get(EsbStatus);
  const status: DeliveryState = esbStatus === 'delivering' || esbStatus === 'retrying' ? esbStatus : 'accepted';
  return {
    messageId: String(memo.messageId ?? ''),
    flow: String(memo.flow ?? ''),
    workflowId: description.workflowId,
    status,
    attempts: 0,
    callbacks: [],
    startedAt: description.startTime.toISOString(),
  };
}

async function runningStatus(client: Client, description: WorkflowExecutionDescription): Promise<DeliveryStatus> {
  const handle = client.workflow.getHandle(description.workflowId, description.runId);
  const status = await withTemporal(client, 'query status', QUERY_TIMEOUT_MS, () => handle.query<DeliveryStatus>(STATUS_QUERY)).catch(
    () => describedStatus(description),
  );
  const pending = description.raw.pendingActivities?.[0];
  if (pending && (pending.attempt ?? 1) > 1 && status.status === 'delivering') {
    const state: DeliveryState = 'retrying';
    return { ...status, status: state, attempts: (pending.attempt ?? 1) - 1, lastError: (await pendingRetryError(client, pending)) ?? status.lastError };
  }
  return status;
}

async function callbackStatus(client: Client, cb: CallbackStatus): Promise<CallbackStatus> {
  if (cb.status === 'delivered' || cb.status === 'failed') return cb;
  try {
    const handle = client.workflow.getHandle(cb.workflowId);
    const description = await handle.describe();
    if (description.status.name === 'COMPLETED') {
      const result = (await handle.result()) as { status: CallbackStatus['status']; attempts: number; lastError?: ErrorInfo };
      return { ...cb, status: result.status, attempts: result.attempts, lastError: result.lastError };
    }
    if (description.status.name === 'RUNNING') {
      const pending = description.raw.pendingActivities?.[0];
      const attempt = pending?.attempt ?? 1;
      return { ...cb, status: attempt > 1 ? 'retrying' : 'running', attempts: attempt > 1 ? attempt - 1 : cb.attempts, lastError: await pendingRetryError(client, pending) };
    }
    const failed = await handle.result().then(
      () => undefined,
      (err: unknown) => (err instanceof WorkflowFailedError ? (detailsOf(err.cause as ApplicationFailure) as Partial<CallbackStatus>) : undefined),
    );
    return { ...cb, status: 'failed', attempts: failed?.attempts ?? cb.attempts, lastError: failed?.lastError };
  } catch {
    return cb; // not started yet, or unreadable: report what the parent knows
  }
}

/** Status of a delivery from its workflow: query while running, result or failure details once closed. */
export async function readDeliveryStatus(client: Client, workflowId: string): Promise<DeliveryStatus> {
  const handle = client.workflow.getHandle(workflowId);
  let description: WorkflowExecutionDescription;
  try {
    description = await withTemporal(client, 'describe', QUERY_TIMEOUT_MS, () => handle.describe());
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new HttpError(404, `unknown message (no workflow ${workflowId})`);
    throw err;
  }
  const memo = (description.memo ?? {}) as Record<string, unknown>;
  let status: DeliveryStatus;
  switch (description.status.name) {
    case 'RUNNING':
      status = await runningStatus(client, description);
      break;
    case 'COMPLETED':
      status = (await handle.result()) as DeliveryStatus;
      break;
    case 'FAILED':
      status = await handle.result().then(
        () => closedWithoutResult(description, memo),
        (err: unknown) => (err instanceof WorkflowFailedError ? (detailsOf(err.cause as ApplicationFailure) as DeliveryStatus) : undefined) ?? closedWithoutResult(description, memo),
      );
      break;
    default:
      status = closedWithoutResult(description, memo);
  }
  const callbacks = await Promise.all(status.callbacks.map((cb) => callbackStatus(client, cb)));
  return { ...status, callbacks };
}
