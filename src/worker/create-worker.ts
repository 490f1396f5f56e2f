import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import path from 'node:path';
import { dataConverterFromEnv } from '../temporal/codec';
import { cachedWorkflowBundle } from './bundle-cache';
import { PROJECT_ROOT } from '../temporal/cli-binary';

export interface EsbWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Prebuilt bundle (tests build it once per run); otherwise the cached bundle of src/workflows. */
  workflowBundle?: { code: string };
  /** Where bundles are cached (default: ESB_BUNDLE_CACHE or .esb-data/bundles). */
  bundleCacheDir?: string;
  activities: object;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createEsbWorker(opts: EsbWorkerOptions): Promise<Worker> {
  const cacheDir = opts.bundleCacheDir ?? process.env.ESB_BUNDLE_CACHE ?? path.join(PROJECT_ROOT, '.esb-data', 'bundles');
  const workflowSource: Pick<WorkerOptions, 'workflowBundle'> = {
    workflowBundle: opts.workflowBundle ?? (await cachedWorkflowBundle(WORKFLOWS_PATH, cacheDir)),
  };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: opts.activities,
    // Payload encryption when ESB_PAYLOAD_KEYS is set: the same function as the API's client (connection.ts).
    dataConverter: dataConverterFromEnv(process.env),
    ...workflowSource,
  });
}
