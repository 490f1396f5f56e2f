/**
 * esb: the bus as users run it in production, one `esb api` and one or more
 * `esb worker` processes against Temporal, fed ping messages over HTTP.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { Pool } from 'undici';
import { deliveryWorkflowId } from '../../src/shared/ids';
import { assertRunning, Child, freePort, ROOT, spawnChild, waitFor } from '../../scripts/lib/processes';
import { sampleHistories } from '../lib/histories';
import { profileArgs } from '../lib/profiles';
import { waitForPollers } from '../lib/temporal';
import { measure } from './measure';
import type { BenchContext, WorkloadResult } from './types';

const ESB_BIN = path.join(ROOT, 'bin', 'esb.js');
const PING = JSON.stringify({ message: 'Ping', timestamp: 1700000000 });

/**
 * Ingress authentication stays on, as in production: a throwaway key, the
 * API configured with its SHA-256 (ESB_API_KEYS entry `name:sha256hex`).
 */
const API_KEY = `esb_${randomBytes(32).toString('base64url')}`;
const API_KEYS_ENTRY = `bench:${createHash('sha256').update(API_KEY, 'utf8').digest('hex')}`;
const HEADERS = { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` };

function spawnEsb(ctx: BenchContext, name: string, args: string[], taskQueue: string): Child {
  const nodeArgs = ctx.opts.profile ? profileArgs(ctx.runTag, name) : [];
  return spawnChild(name, process.execPath, [...nodeArgs, ESB_BIN, ...args], {
    env: {
      TEMPORAL_ADDRESS: ctx.address,
      TEMPORAL_NAMESPACE: ctx.namespace,
      ESB_TASK_QUEUE: taskQueue,
      REMOTE_BASE_URI: ctx.remote.url,
      ESB_LOG_LEVEL: 'warn',
      ESB_API_KEYS: API_KEYS_ENTRY,
    },
  });
}

async function healthy(url: string): Promise<true | undefined> {
  const res = await fetch(`${url}/healthz`);
  await res.arrayBuffer();
  return res.status === 200 ? true : undefined;
}

export async function runEsb(ctx: BenchContext): Promise<WorkloadResult> {
  const taskQueue = `bench-esb-${ctx.runTag}`;
  const port = await freePort();
  const workers = Array.from({ length: ctx.opts.workers }, (_, i) => spawnEsb(ctx, `esb worker ${i + 1}`, ['worker'], taskQueue));
  const api = spawnEsb(ctx, 'esb api', ['api', '--port', String(port)], taskQueue);
  const children = [...workers, api];
  const assertAlive = (): void => children.forEach(assertRunning);
  const apiUrl = `http://127.0.0.1:${port}`;
  // One keep-alive connection per client, as C real clients would hold.
  const pool = new Pool(apiUrl, { connections: ctx.opts.concurrency });
  try {
    await waitFor('esb api /healthz', () => healthy(apiUrl), 60_000, assertAlive);
    await waitForPollers(ctx.client, ctx.namespace, taskQueue, workers.length, assertAlive);
    const send = async (): Promise<string> => {
      const res = await pool.request({ path: '/api/v1/flows/ping/messages', method: 'POST', headers: HEADERS, body: PING });
      const text = await res.body.text();
      if (res.statusCode !== 202) throw new Error(`HTTP ${res.statusCode}: ${text.slice(0, 200)}`);
      return (JSON.parse(text) as { messageId: string }).messageId;
    };
    const measured = await measure(ctx, {
      name: 'esb',
      send,
      hasIngress: true,
      assertAlive,
      watched: [
        ...workers.map((w) => ({ name: w.name, pid: w.pid })),
        { name: 'esb api', pid: api.pid },
        ...(ctx.serverPid ? [{ name: 'temporal', pid: ctx.serverPid }] : []),
        { name: 'fast remote', pid: ctx.remote.child.pid },
      ],
    });
    const history = await sampleHistories(ctx.client, measured.acceptedIds.map((id) => deliveryWorkflowId('ping', id)));
    return { ...measured.result, history };
  } finally {
    await pool.close();
    await Promise.all(children.map((c) => c.stop()));
  }
}
