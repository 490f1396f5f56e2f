/**
 * The chaos run's Temporal: a file-backed dev server it can stop (SIGTERM or
 * SIGKILL) and start again on the same port and SQLite file, and a client
 * for what only Temporal knows (is every workflow of a queue closed, which
 * workers poll a queue). Every call has a deadline: the server may be down.
 */
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startDevServer, type DevServer } from '../../src/temporal/dev-server';
import { onEmergency, sleep } from '../lib/processes';

export interface ChaosTemporal {
  address: string;
  client: Client;
  /** Stops the server with the signal; resolves once its process is gone. */
  stop(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and database file. */
  start(): Promise<void>;
  /** Workflows of a task queue matching an extra visibility filter. */
  count(taskQueue: string, filter?: string): Promise<number>;
  /** Identities (`pid@host`) of the workers that polled the queue's workflow tasks lately. */
  pollers(taskQueue: string): Promise<Array<{ identity: string; lastAccessMs: number }>>;
  close(): Promise<void>;
}

const CALL_DEADLINE_MS = 5000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function startChaosTemporal(grpcPort: number, dbFile: string): Promise<ChaosTemporal> {
  let server: DevServer | undefined = await startDevServer({ grpcPort, dbFile });
  const address = server.address;
  // Not in a process group of ours: an emergency exit must kill it by pid.
  onEmergency(() => {
    if (server?.pid) {
      try {
        process.kill(server.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: 'default' });
  const withDeadline = <T>(call: () => Promise<T>): Promise<T> => connection.withDeadline(Date.now() + CALL_DEADLINE_MS, call);
  return {
    address,
    client,
    async stop(signal) {
      const current = server;
      server = undefined;
      if (!current) return;
      if (signal === 'SIGTERM') return current.stop();
      const pid = current.pid;
      if (pid === undefined) throw new Error('the dev server has no pid to SIGKILL');
      process.kill(pid, 'SIGKILL');
      // stop() waits for the child's 'exit' (node reaps it); for a dead child it resolves at once.
      await current.stop();
      while (alive(pid)) await sleep(50);
    },
    async start() {
      if (server) throw new Error('the dev server is already running');
      server = await startDevServer({ grpcPort, dbFile });
    },
    async count(taskQueue, filter) {
      const query = `TaskQueue = '${taskQueue}'${filter ? ` AND ${filter}` : ''}`;
      return (await withDeadline(() => client.workflow.count(query))).count;
    },
    async pollers(taskQueue) {
      const res = await withDeadline(() =>
        connection.workflowService.describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      );
      return (res.pollers ?? []).map((p) => ({
        identity: p.identity ?? '',
        lastAccessMs: p.lastAccessTime?.seconds ? Number(p.lastAccessTime.seconds) * 1000 + Math.floor((p.lastAccessTime.nanos ?? 0) / 1e6) : 0,
      }));
    },
    async close() {
      await connection.close();
      await server?.stop();
      server = undefined;
    },
  };
}

/** `pid@host`, the identity the TypeScript SDK gives a worker by default. */
export function workerIdentity(pid: number): string {
  return `${pid}@${os.hostname()}`;
}
