/**
 * The demo "remote system" that `esb dev` mounts at `/remote`, like the
 * SmartESB skeleton's RemoteDemoBundle: it answers the example ping flow
 * (`POST /remote/pong`, see flows/producers/remote_system_api.yml) and records
 * the callbacks it receives (`POST /remote/callback`) so a developer can see
 * the whole round trip with curl. In memory and bounded: a demo, not a store.
 * With a signing secret (ESB_DEMO_SIGNING_SECRET in `esb dev`) it checks the
 * Standard Webhooks signature of what the bus sends, as a real receiver should.
 */
import express, { Router, type RequestHandler } from 'express';
import { parseWebhookSecret, verifyWebhook, WebhookVerificationError } from '../security/webhooks';

export interface ReceivedCallback {
  receivedAt: string;
  /** The two headers a receiver de-duplicates and correlates on. */
  headers: { 'idempotency-key'?: string; 'x-transaction-id'?: string };
  body: unknown;
  /** True when an earlier callback carried the same Idempotency-Key (a retried call). */
  duplicate: boolean;
}

export interface DemoRemoteOptions {
  /** How many callbacks to keep (oldest dropped first); default 1000. */
  maxCallbacks?: number;
  /** `whsec_...` (several separated by spaces): requests from the bus must carry a valid signature, else 401. */
  signingSecret?: string;
}

const DEFAULT_MAX_CALLBACKS = 1000;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The signature is over the bytes received, so they are kept beside the parsed body. */
function signatureCheck(secret: string | undefined, rawBodies: WeakMap<object, Buffer>): RequestHandler {
  if (secret === undefined) return (_req, _res, next) => next();
  // A malformed secret fails at start, not at the first request.
  for (const s of secret.split(/\s+/).filter(Boolean)) parseWebhookSecret(s);
  return (req, res, next) => {
    try {
      verifyWebhook(secret, req.headers, rawBodies.get(req) ?? Buffer.alloc(0));
      next();
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      res.status(401).json({ error: `webhook signature check failed: ${err.message}` });
    }
  };
}

/** Mount with `app.use('/remote', demoRemoteRouter())`. */
export function demoRemoteRouter(options: DemoRemoteOptions = {}): Router {
  const max = options.maxCallbacks ?? DEFAULT_MAX_CALLBACKS;
  const router = Router();
  const callbacks: ReceivedCallback[] = [];
  const rawBodies = new WeakMap<object, Buffer>();
  const signed = signatureCheck(options.signingSecret, rawBodies);

  router.use(express.json({ limit: '1mb', verify: (req, _res, buf) => void rawBodies.set(req, Buffer.from(buf)) }));

  // The skeleton's pongAction: a PingMessage {timestamp, message: 'Pong'} as JSON.
  router.all('/pong', signed, (_req, res) => {
    res.status(200).json({ message: 'Pong', timestamp: Math.floor(Date.now() / 1000) });
  });

  router.post('/callback', signed, (req, res) => {
    const idempotencyKey = headerValue(req.headers['idempotency-key']);
    const transactionId = headerValue(req.headers['x-transaction-id']);
    const headers: ReceivedCallback['headers'] = {};
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    if (transactionId !== undefined) headers['x-transaction-id'] = transactionId;
    const duplicate = idempotencyKey !== undefined && callbacks.some((c) => c.headers['idempotency-key'] === idempotencyKey);
    callbacks.push({ receivedAt: new Date().toISOString(), headers, body: req.body ?? null, duplicate });
    if (callbacks.length > max) callbacks.splice(0, callbacks.length - max);
    res.status(200).json({ status: 'received', duplicate });
  });

  router.get('/callbacks', (_req, res) => {
    res.status(200).json({ count: callbacks.length, callbacks });
  });

  router.delete('/callbacks', (_req, res) => {
    callbacks.length = 0;
    res.status(204).end();
  });

  return router;
}
