import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { dataConverterFromEnv } from '../temporal/codec';

export interface EsbWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** Prebuilt bundle (tests build it once per run); otherwise bundled from src/workflows at start. */
  workflowBundle?: { code: string };
  activities: object;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

export async function createEsbWorker(opts: EsbWorkerOptions): Promise<Worker> {
  const workflowSource: Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> = opts.workflowBundle
    ? { workflowBundle: opts.workflowBundle }
    : { workflowsPath: WORKFLOWS_PATH };
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
