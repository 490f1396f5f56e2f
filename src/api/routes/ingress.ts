import express, { Router, Request } from 'express';
import type { ValidateFunction } from 'ajv';
import { Client, WorkflowFailedError, WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { EsbConfig, FlowDefinition } from '../../config/types';
import { compileInputSchema } from '../../config';
import type { DeliveryStatus } from '../../shared/delivery-types';
import { checkMessageBody } from '../body-guard';
import { HttpError } from '../http-error';
import { IngressDeps, newMessageId, pickHeaders, startDelivery } from '../ingress';
import { readDeliveryStatus } from '../status-reader';
import { MESSAGE_ID_PATTERN, messageLinks, type LinkOptions } from '../links';

export interface IngressRouteDeps extends IngressDeps, LinkOptions {
  bodyLimitBytes: number;
  syncWaitMs: number;
}

/**
 * A 503 at ingress: unreachable means the message was not taken; a timeout
 * cannot rule out that the start was recorded just after the bound. Either
 * way, sending it again with this message id as Idempotency-Key is safe: it
 * is delivered at most once.
 */
function unconfirmedStart(err: unknown, messageId: string): unknown {
  if (!(err instanceof HttpError) || err.status !== 503) return err;
  const timedOut = (err.details as { timedOut?: boolean } | undefined)?.timedOut === true;
  const message = timedOut
    ? `Temporal did not confirm the message within the bound; it may not have been accepted: send it again with Idempotency-Key: ${messageId}`
    : `Temporal is unreachable; the message was not accepted: send it again (Idempotency-Key: ${messageId} makes that safe)`;
  return new HttpError(503, message, { messageId, retryWithIdempotencyKey: messageId });
}

/** SmartESB's rule: the caller sees a validation's message only when display_message is true. */
export function callerError(status: DeliveryStatus): string {
  const err = status.lastError;
  if (err?.displayMessage) return err.message;
  return `target system ${err?.target ?? status.flow} failed to process the request`;
}

function flowOf(getConfig: () => EsbConfig, name: string): FlowDefinition {
  const flow = Object.prototype.hasOwnProperty.call(getConfig().flows, name) ? getConfig().flows[name] : undefined;
  if (!flow) throw new HttpError(404, `unknown flow '${name}'`, { known: Object.keys(getConfig().flows) });
  return flow;
}

function messageIdOf(req: Request): string {
  const key = req.get('idempotency-key');
  if (key === undefined) return newMessageId();
  if (!MESSAGE_ID_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid Idempotency-Key header', { expected: '1-128 characters of A-Z a-z 0-9 . _ : -' });
  }
  return key;
}

/**
 * Waits for the delivery's outcome within the bound. The deadline is set on
 * the gRPC long-poll itself, so nothing keeps polling after the caller got
 * its 202 (or after the API shut down).
 */
async function waitForOutcome(client: Client, handle: WorkflowHandle, waitMs: number): Promise<{ done: true; status: DeliveryStatus } | { done: false }> {
  try {
    const status = (await client.withDeadline(Date.now() + waitMs, () => handle.result())) as DeliveryStatus;
    return { done: true, status };
  } catch (err) {
    const details = err instanceof WorkflowFailedError ? ((err.cause as ApplicationFailure | undefined)?.details?.[0] as DeliveryStatus | undefined) : undefined;
    if (details) return { done: true, status: details };
    if (isDeadlineExceeded(err)) return { done: false };
    throw err;
  }
}

function isDeadlineExceeded(err: unknown): boolean {
  const e = err as { code?: number; cause?: unknown };
  return e?.code === 4 || (e?.cause !== undefined && isDeadlineExceeded(e.cause));
}

/** `POST /api/v1/flows/{flow}/messages`: validate, start the delivery, answer. */
export function ingressRouter(deps: IngressRouteDeps): Router {
  const router = Router();
  const schemas = new Map<FlowDefinition, ValidateFunction>();
  const jsonBody = express.json({ limit: deps.bodyLimitBytes, strict: false, type: () => true });

  router.post('/api/v1/flows/:flow/messages', (req, _res, next) => {
    try {
      flowOf(deps.getConfig, req.params.flow);
      if (!req.is('application/json') && !req.is('application/*+json')) {
        throw new HttpError(415, `Content-Type must be application/json (got ${req.get('content-type') ?? 'none'})`);
      }
      next();
    } catch (err) {
      next(err);
    }
  }, jsonBody, async (req, res) => {
    const flow = flowOf(deps.getConfig, req.params.flow as string);
    checkMessageBody(req.body, deps.bodyLimitBytes);
    if (flow.inputSchema !== undefined) {
      let validate = schemas.get(flow);
      if (!validate) schemas.set(flow, (validate = compileInputSchema(flow.inputSchema)));
      if (!validate(req.body)) {
        const details = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
        throw new HttpError(422, `message does not match the input schema of flow '${flow.name}'`, details);
      }
    }
    const messageId = messageIdOf(req);
    const started = await startDelivery(deps, flow, messageId, req.body, pickHeaders(req.headers)).catch((err: unknown) => {
      throw unconfirmedStart(err, messageId);
    });
    const links = messageLinks(deps, flow.name, messageId, started.workflowId);
    const base = { messageId, workflowId: started.workflowId, flow: flow.name, links };
    if (!started.started) {
      const status = await readDeliveryStatus(deps.client, started.workflowId);
      res.status(200).json({ ...base, status: status.status, duplicate: true });
      return;
    }
    const sync = flow.mode === 'sync' || req.query.mode === 'sync';
    if (!sync) {
      res.status(202).json({ ...base, status: 'accepted' });
      return;
    }
    const outcome = await waitForOutcome(deps.client, started.handle, deps.syncWaitMs);
    if (!outcome.done) {
      res.status(202).json({ ...base, status: 'delivering', note: `no outcome within ${deps.syncWaitMs} ms; the delivery goes on` });
      return;
    }
    if (outcome.status.status === 'failed') {
      res.status(502).json({ error: callerError(outcome.status), ...base, status: 'failed' });
      return;
    }
    const headers = outcome.status.response?.headers;
    if (headers) for (const [k, v] of Object.entries(headers)) if (typeof v === 'string' || typeof v === 'number') res.setHeader(k, String(v));
    res.setHeader('X-Message-Id', messageId);
    res.status(200).json(outcome.status.response?.body ?? null);
  });
  return router;
}
