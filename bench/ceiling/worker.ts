/**
 * The ceiling's worker process, with the SDK's default worker options (the
 * ESB worker also runs with defaults; if that changes, the ceiling shows
 * what the tuning buys over plain Temporal). Env: TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, BENCH_TASK_QUEUE, BENCH_REMOTE_URL.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createCeilingActivities } from './activities';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

async function main(): Promise<void> {
  // Same SDK log level as the ESB worker, so neither pays for logs the other skips.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: required('BENCH_TASK_QUEUE'),
    workflowsPath: require.resolve('./workflows'),
    activities: createCeilingActivities(required('BENCH_REMOTE_URL')),
  });
  // SIGINT/SIGTERM: the SDK's Runtime already shuts the worker down (its default shutdownSignals).
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`ceiling worker: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
