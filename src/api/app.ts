import express, { Express } from 'express';
import type { Client } from '@temporalio/client';
import type { TemporalProbe } from '../temporal/connection';
import { healthRouter } from './routes/health';

export interface AppDeps {
  client: Client;
  probe: TemporalProbe;
  namespace: string;
  taskQueue: string;
}

/**
 * Builds the Express app without listening, so tests mount it on a random
 * port and the entry point alone decides where it listens.
 */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRouter(deps));
  return app;
}
