/**
 * The bus as an operator runs it: `node bin/esb.js worker` and
 * `node bin/esb.js api --port P`, separate processes against the chaos
 * Temporal, each on the scenario's task queue with the chaos flows.
 */
import path from 'node:path';
import { ROOT, freePort, spawnChild, waitFor, type Child } from '../lib/processes';
import { workerIdentity, type ChaosTemporal } from './temporal';

export interface EsbEnv {
  temporal: ChaosTemporal;
  taskQueue: string;
  flowsDir: string;
  logDir: string;
}

const ESB_BIN = path.join(ROOT, 'bin', 'esb.js');
let started = 0;

function envFor(env: EsbEnv): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: env.temporal.address,
    ESB_TASK_QUEUE: env.taskQueue,
    ESB_FLOWS_DIR: env.flowsDir,
    // Whatever ingress authentication exists by then, the chaos run is about faults, not keys.
    ESB_AUTH: 'off',
    ESB_LOG_LEVEL: 'info',
    TEMPORAL_LOG_LEVEL: 'WARN',
  };
}

function failIfExited(child: Child): () => void {
  return () => {
    if (!child.alive()) throw new Error(`${child.name} exited during start-up:\n${child.tail()}`);
  };
}

/** A worker process; resolves once Temporal sees it polling the queue. */
export async function startWorker(env: EsbEnv, label: string): Promise<Child> {
  const child = spawnChild(`worker ${label}`, process.execPath, [ESB_BIN, 'worker'], {
    env: envFor(env),
    logFile: path.join(env.logDir, `${String(++started).padStart(2, '0')}-worker-${label}.log`),
  });
  const identity = workerIdentity(child.pid);
  // Bundling the workflow code takes a few seconds on two cores.
  await waitFor(`worker ${label} to poll ${env.taskQueue}`, async () => ((await env.temporal.pollers(env.taskQueue)).some((p) => p.identity === identity) ? true : undefined), 60_000, failIfExited(child));
  return child;
}

export interface ApiProcess {
  child: Child;
  url: string;
}

/** An API process; resolves once /healthz answers 200. */
export async function startApi(env: EsbEnv, label: string, port?: number): Promise<ApiProcess> {
  const p = port ?? (await freePort());
  const child = spawnChild(`api ${label}`, process.execPath, [ESB_BIN, 'api', '--port', String(p)], {
    env: envFor(env),
    logFile: path.join(env.logDir, `${String(++started).padStart(2, '0')}-api-${label}.log`),
  });
  const url = `http://127.0.0.1:${p}`;
  await waitFor(`api ${label} to answer /healthz`, async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined), 30_000, failIfExited(child));
  return { child, url };
}
