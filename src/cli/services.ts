import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createApp } from '../api/app';
import { lazyClient, connectWorker, temporalProbe } from '../temporal/connection';
import { createEsbWorker } from '../worker/create-worker';
import type { Settings } from '../shared/settings';
import type { Lifecycle } from './lifecycle';

let runtimeInstalled = false;

/** The SDK's own logs are noisy at INFO; keep warnings and errors. */
export function installTemporalRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({ logger: new DefaultLogger((process.env.TEMPORAL_LOG_LEVEL as 'WARN') ?? 'WARN') });
}

export async function startApiServer(settings: Settings, address: string, lifecycle: Lifecycle): Promise<{ url: string }> {
  const client = lazyClient(address, settings.temporal);
  const probe = temporalProbe(address, settings.temporal);
  const app = createApp({ client, probe, namespace: settings.temporal.namespace, taskQueue: settings.temporal.taskQueue });
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

export async function startWorker(settings: Settings, address: string, lifecycle: Lifecycle): Promise<void> {
  installTemporalRuntime();
  const connection: NativeConnection = await connectWorker(address, settings.temporal);
  const worker = await createEsbWorker({
    connection,
    namespace: settings.temporal.namespace,
    taskQueue: settings.temporal.taskQueue,
    activities: {},
  });
  const running = worker.run();
  lifecycle.add('worker', async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await running;
    await connection.close();
  });
  running.catch(() => lifecycle.stopAll().then(() => process.exit(1)));
}
