/** The bench's Temporal: the embedded dev server (unless TEMPORAL_ADDRESS is set) and readiness checks. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer } from '../../src/temporal/dev-server';
import { freePort, onEmergency, waitFor } from '../../scripts/lib/processes';

export interface BenchTemporal {
  address: string;
  namespace: string;
  client: Client;
  /** Embedded server only. */
  serverPid?: number;
  stop(): Promise<void>;
}

/**
 * File-backed SQLite in a temp dir, with the WAL pragmas `esb dev` uses
 * (startDevServer adds them for a db file): the configuration users run
 * with `esb dev`, not the in-memory one the tests use.
 */
export async function startTemporal(): Promise<BenchTemporal> {
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  let address = process.env.TEMPORAL_ADDRESS;
  let stopServer = async (): Promise<void> => undefined;
  let serverPid: number | undefined;
  if (!address) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-bench-'));
    onEmergency(() => {
      try {
        if (serverPid !== undefined) process.kill(serverPid, 'SIGKILL');
      } catch {
        // already gone
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const server = await startDevServer({ grpcPort: await freePort(), dbFile: path.join(dir, 'temporal.db'), namespace });
    serverPid = server.pid;
    address = server.address;
    stopServer = async () => {
      await server.stop();
      // The pid may be reused from now on: the emergency kill must not fire at it.
      serverPid = undefined;
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  const connection = await Connection.connect({ address });
  return {
    address,
    namespace,
    client: new Client({ connection, namespace }),
    serverPid,
    async stop() {
      await connection.close();
      await stopServer();
    },
  };
}

const { TaskQueueType } = temporal.api.enums.v1;

/** Until `workers` processes poll both the workflow and the activity side of the task queue. */
export async function waitForPollers(client: Client, namespace: string, taskQueue: string, workers: number, assertAlive: () => void): Promise<void> {
  const pollers = async (type: temporal.api.enums.v1.TaskQueueType): Promise<number> => {
    const res = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: type });
    return new Set((res.pollers ?? []).map((p) => p.identity)).size;
  };
  await waitFor(
    `${workers} worker(s) polling ${taskQueue}`,
    async () => ((await pollers(TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)) >= workers && (await pollers(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) >= workers ? true : undefined),
    120_000,
    assertAlive,
  );
}
