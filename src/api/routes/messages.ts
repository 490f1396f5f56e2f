import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, WorkflowIdReusePolicy } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { EsbConfig } from '../../config/types';
import type { DeliveryInput } from '../../shared/delivery-types';
import { deliveryWorkflowId } from '../../shared/ids';
import { EsbStatus } from '../../shared/definitions';
import { HttpError } from '../http-error';
import { MESSAGE_ID_PATTERN, messageLinks, type LinkOptions } from '../links';
import { readDeliveryStatus } from '../status-reader';
import { withTemporal } from '../temporal-calls';
import { buildSnapshot } from '../../delivery/snapshot';
import { decodePayload } from '../../temporal/codec';

export interface MessagesDeps extends LinkOptions {
  client: Client;
  taskQueue: string;
  getConfig: () => EsbConfig;
  timeoutMs: number;
}

const STATUSES = ['accepted', 'delivering', 'retrying', 'delivered', 'failed'];
const FLOW_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

function checkId(id: string): void {
  if (!MESSAGE_ID_PATTERN.test(id)) throw new HttpError(400, `invalid message id '${id.slice(0, 140)}'`);
}

function decodeSearchAttribute(attrs: temporal.api.common.v1.ISearchAttributes | null | undefined, name: string): unknown {
  const payload = attrs?.indexedFields?.[name];
  if (!payload) return undefined;
  const value = defaultPayloadConverter.fromPayload(payload);
  return Array.isArray(value) ? value[0] : value;
}

/** The workflow of a message: direct when the flow is known, else found by its EsbMessageId search attribute. */
async function workflowIdOf(deps: MessagesDeps, messageId: string, flow: unknown): Promise<string> {
  checkId(messageId);
  if (typeof flow === 'string' && flow !== '') {
    if (!FLOW_PATTERN.test(flow)) throw new HttpError(400, `invalid flow '${flow.slice(0, 140)}'`);
    return deliveryWorkflowId(flow, messageId);
  }
  const found = await withTemporal(deps.client, 'find message', deps.timeoutMs, () =>
    deps.client.workflowService.listWorkflowExecutions({
      namespace: deps.namespace,
      query: `WorkflowType = 'DeliveryWorkflow' AND EsbMessageId = '${messageId}'`,
      pageSize: 1,
    }),
  );
  const id = found.executions?.[0]?.execution?.workflowId;
  if (!id) throw new HttpError(404, `unknown message '${messageId}'`);
  return id;
}

function listQuery(flow: unknown, status: unknown): string {
  const parts = [`WorkflowType = 'DeliveryWorkflow'`];
  if (flow !== undefined) {
    if (typeof flow !== 'string' || !FLOW_PATTERN.test(flow)) throw new HttpError(400, 'invalid flow filter');
    parts.push(`EsbFlow = '${flow}'`);
  }
  if (status !== undefined) {
    if (typeof status !== 'string' || !STATUSES.includes(status)) throw new HttpError(400, 'invalid status filter', { allowed: STATUSES });
    parts.push(`EsbStatus = '${status}'`);
  }
  return parts.join(' AND ');
}

/**
 * Page tokens carry a checksum: Temporal answers a garbled token with an
 * error it retries until the deadline, so the caller would get a misleading
 * 503; a token we did not issue is a 400 at once instead.
 */
function encodePageToken(raw: Uint8Array): string {
  const sum = createHash('sha256').update(raw).digest().subarray(0, 8);
  return Buffer.concat([sum, Buffer.from(raw)]).toString('base64url');
}

function decodePageToken(token: unknown): Buffer {
  const bytes = typeof token === 'string' ? Buffer.from(token, 'base64url') : Buffer.alloc(0);
  const raw = bytes.subarray(8);
  const sum = createHash('sha256').update(raw).digest().subarray(0, 8);
  if (raw.length === 0 || !sum.equals(bytes.subarray(0, 8))) throw new HttpError(400, 'invalid pageToken: pass back the nextPageToken of a previous page');
  return raw;
}

function pageSize(limit: unknown): number {
  if (limit === undefined) return 50;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new HttpError(400, 'limit must be an integer from 1 to 1000');
  return n;
}

/** `config=current` re-runs the message against the flow as configured now (e.g. after fixing a producer). */
function configMode(config: unknown): 'original' | 'current' {
  if (config === undefined || config === 'original') return 'original';
  if (config !== 'current') throw new HttpError(400, "config must be 'original' or 'current'");
  return 'current';
}

function withConfig(deps: MessagesDeps, input: DeliveryInput, mode: 'original' | 'current'): DeliveryInput {
  if (mode === 'original') return input;
  const flow = deps.getConfig().flows[input.snapshot.flow];
  if (!flow) throw new HttpError(404, `flow '${input.snapshot.flow}' is no longer configured`);
  const snapshot = buildSnapshot(deps.getConfig(), flow);
  return { snapshot, message: { ...input.message, context: { ...input.message.context, version: snapshot.version } } };
}

export function messagesRouter(deps: MessagesDeps): Router {
  const router = Router();

  router.get('/api/v1/messages', async (req, res) => {
    const query = listQuery(req.query.flow, req.query.status);
    const token = req.query.pageToken === undefined ? undefined : decodePageToken(req.query.pageToken);
    const page = await withTemporal(deps.client, 'list messages', deps.timeoutMs, () =>
      deps.client.workflowService.listWorkflowExecutions({ namespace: deps.namespace, query, pageSize: pageSize(req.query.limit), nextPageToken: token }),
    );
    const messages = (page.executions ?? []).map((e) => {
      const flow = String(decodeSearchAttribute(e.searchAttributes, 'EsbFlow') ?? '');
      const messageId = String(decodeSearchAttribute(e.searchAttributes, 'EsbMessageId') ?? '');
      const workflowId = e.execution?.workflowId ?? '';
      return {
        messageId,
        flow,
        workflowId,
        status: decodeSearchAttribute(e.searchAttributes, 'EsbStatus') ?? 'accepted',
        startedAt: e.startTime?.seconds ? new Date(Number(e.startTime.seconds) * 1000).toISOString() : undefined,
        closedAt: e.closeTime?.seconds ? new Date(Number(e.closeTime.seconds) * 1000).toISOString() : undefined,
        links: messageLinks(deps, flow, messageId, workflowId),
      };
    });
    const next = page.nextPageToken && page.nextPageToken.length > 0 ? encodePageToken(page.nextPageToken) : undefined;
    res.json({ messages, nextPageToken: next });
  });

  router.get('/api/v1/messages/:messageId', async (req, res) => {
    const workflowId = await workflowIdOf(deps, req.params.messageId, req.query.flow);
    const status = await readDeliveryStatus(deps.client, workflowId);
    res.json({ ...status, links: messageLinks(deps, status.flow, status.messageId, workflowId) });
  });

  // SmartESB's replay of the failed queue: same message, same flow snapshot, from the start.
  router.post('/api/v1/messages/:messageId/retry', async (req, res) => {
    const mode = configMode(req.query.config);
    const workflowId = await workflowIdOf(deps, req.params.messageId, req.query.flow);
    const status = await readDeliveryStatus(deps.client, workflowId);
    if (status.status !== 'failed') throw new HttpError(409, `message '${req.params.messageId}' is not in a failed state (status: ${status.status})`);
    const handle = deps.client.workflow.getHandle(workflowId);
    const description = await withTemporal(deps.client, 'describe', deps.timeoutMs, () => handle.describe());
    const history = await withTemporal(deps.client, 'read history', deps.timeoutMs, () => handle.fetchHistory());
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    // Through the client's converter: with payload encryption on, the raw history input is ciphertext.
    const original = (await decodePayload<DeliveryInput>(deps.client.options.loadedDataConverter, started!.input!.payloads![0]))!;
    const input = withConfig(deps, original, mode);
    const rerun = await withTemporal(deps.client, 'restart delivery', deps.timeoutMs, () =>
      deps.client.workflow.start('DeliveryWorkflow', {
        taskQueue: started?.taskQueue?.name ?? deps.taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        staticSummary: `${input.snapshot.flow} ${input.message.context.messageId.slice(0, 8)} → ${input.snapshot.deliver.target.name} (retry)`,
        typedSearchAttributes: description.typedSearchAttributes.updateCopy([{ key: EsbStatus, value: 'accepted' }]),
        memo: description.memo,
      }),
    );
    res.status(202).json({
      messageId: input.message.context.messageId,
      workflowId,
      runId: rerun.firstExecutionRunId,
      flow: input.snapshot.flow,
      status: 'accepted',
      links: messageLinks(deps, input.snapshot.flow, input.message.context.messageId, workflowId),
    });
  });
  return router;
}
