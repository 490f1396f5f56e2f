import express, { Express, Router } from 'express';
import type { Client } from '@temporalio/client';
import type { EsbConfig } from '../config/types';
import type { TemporalProbe } from '../temporal/connection';
import { healthRouter } from './routes/health';
import { ingressRouter } from './routes/ingress';
import { messagesRouter } from './routes/messages';
import { openApiRouter } from './routes/openapi';
import { apiKeyAuth, type IngressAuth } from './auth';
import { errorHandler, notFound } from './http-error';

export interface ApiLimits {
  /** Largest accepted message body; well under Temporal's 2 MiB payload limit. */
  bodyLimitBytes: number;
  /** Bound on starting a workflow (else 503: the message was not taken). */
  startTimeoutMs: number;
  /** How long a sync caller waits for the outcome before getting a 202. */
  syncWaitMs: number;
}

export const DEFAULT_LIMITS: ApiLimits = { bodyLimitBytes: 256 * 1024, startTimeoutMs: 5000, syncWaitMs: 30_000 };

export interface AppDeps {
  client: Client;
  probe: TemporalProbe;
  namespace: string;
  taskQueue: string;
  getConfig: () => EsbConfig;
  limits?: Partial<ApiLimits>;
  uiBaseUrl?: string;
  /** Routers mounted before the API (the demo remote in `esb dev`). */
  extraRouters?: Array<{ path: string; router: Router }>;
  /** API keys every /api/v1 route but the OpenAPI document requires; absent = open (the CLI decides, see auth.ts). */
  auth?: IngressAuth;
}

/**
 * Builds the Express app without listening, so tests mount it on a random
 * port and the entry point alone decides where it listens.
 */
export function createApp(deps: AppDeps): Express {
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(healthRouter(deps));
  for (const extra of deps.extraRouters ?? []) app.use(extra.path, extra.router);
  // Public: health and the API description; everything after the auth router needs a key.
  app.use(openApiRouter());
  if (deps.auth) app.use(apiKeyAuth(deps.auth));
  const common = { client: deps.client, namespace: deps.namespace, taskQueue: deps.taskQueue, getConfig: deps.getConfig, uiBaseUrl: deps.uiBaseUrl };
  app.use(ingressRouter({ ...common, startTimeoutMs: limits.startTimeoutMs, bodyLimitBytes: limits.bodyLimitBytes, syncWaitMs: limits.syncWaitMs }));
  app.use(messagesRouter({ ...common, timeoutMs: limits.startTimeoutMs }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
