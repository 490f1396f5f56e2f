/**
 * The demo "remote system" that `esb dev` mounts at `/remote`, like the
 * SmartESB skeleton's RemoteDemoBundle: it answers the example ping flow
 * (`POST /remote/pong`, see flows/producers/remote_system_api.yml) and records
 * the callbacks it receives (`POST /remote/callback`) so a developer can see
 * the whole round trip with curl. In memory and bounded: a demo, not a store.
 */
import express, { Router } from 'express';

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
}

const DEFAULT_MAX_CALLBACKS = 1000;

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Mount with `app.use('/remote', demoRemoteRouter())`. */
export function demoRemoteRouter(options: DemoRemoteOptions = {}): Router {
  const max = options.maxCallbacks ?? DEFAULT_MAX_CALLBACKS;
  const router = Router();
  const callbacks: ReceivedCallback[] = [];

  router.use(express.json({ limit: '1mb' }));

  // The skeleton's pongAction: a PingMessage {timestamp, message: 'Pong'} as JSON.
  router.all('/pong', (_req, res) => {
    res.status(200).json({ message: 'Pong', timestamp: Math.floor(Date.now() / 1000) });
  });

  router.post('/callback', (req, res) => {
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
