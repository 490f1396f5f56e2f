import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import type { IngressAuth } from '../api/auth';
import { createActivities, createHttpClient } from '../activities';
import type { EsbConfig } from '../config/types';
import { lazyClient, connectWorker, temporalProbe } from '../temporal/connection';
import { createEsbWorker } from '../worker/create-worker';
import type { Settings } from '../shared/settings';
import { loadConfigOrExplain } from './commands/validate';
import type { Lifecycle } from './lifecycle';

let runtimeInstalled = false;

/** The SDK's own logs are noisy at INFO; keep warnings and errors. */
export function installTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN') });
}

/** Loads the flows or prints every problem and throws: nothing starts on an invalid config. */
export function loadFlows(settings: Settings): EsbConfig {
  return loadConfigOrExplain(settings.flowsDir).config;
}

export interface ApiOptions {
  uiBaseUrl?: string;
  extraRouters?: Array<{ path: string; router: Router }>;
  /** From `ingressAuthFromEnv`: absent only when the command decided to run open. */
  auth?: IngressAuth;
}

export async function startApiServer(settings: Settings, address: string, config: EsbConfig, lifecycle: Lifecycle, opts: ApiOptions = {}): Promise<{ url: string }> {
  const client = lazyClient(address, settings.temporal);
  const probe = temporalProbe(address, settings.temporal);
  const app = createApp({
    client,
    probe,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    getConfig: () => config,
    uiBaseUrl: opts.uiBaseUrl ?? process.env.ESB_UI_URL,
    extraRouters: opts.extraRouters,
    auth: opts.auth,
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.apiPort, resolve);
  });
  lifecycle.add('API', async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await client.connection.close();
    await probe.close();
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://localhost:${port}` };
}

export async function startWorker(settings: Settings, address: string, config: EsbConfig, lifecycle: Lifecycle): Promise<void> {
  installTemporalRuntime();
  const connection: NativeConnection = await connectWorker(address, settings.temporal);
  const httpClient = createHttpClient();
  const worker = await createEsbWorker({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    activities: createActivities({ getConfig: () => config, httpClient }),
  });
  const running = worker.run();
  lifecycle.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
    await httpClient.close();
  });
  running.catch(() => lifecycle.stopAll().then(() => process.exit(1)));
}
