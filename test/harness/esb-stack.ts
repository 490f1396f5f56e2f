import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createApp, ApiLimits } from '../../src/api/app';
import type { IngressAuth } from '../../src/api/auth';
import { createActivities, createHttpClient } from '../../src/activities';
import { loadConfig } from '../../src/config';
import type { EsbConfig } from '../../src/config/types';
import { temporalProbe } from '../../src/temporal/connection';
import { readSettings } from '../../src/shared/settings';
import { connectClient, connectWorker, temporalAddress, uniqueTaskQueue, workflowBundle } from './temporal';

export interface EsbStack {
  api: string;
  client: Client;
  taskQueue: string;
  config: EsbConfig;
  /** Replace the config seen by the API (and the worker's secrets), as a YAML change would. */
  reload(files: Record<string, string>): void;
  /** POST a JSON message to a flow. */
  send(flow: string, body: unknown, opts?: { key?: string; query?: string; headers?: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
  get(pathAndQuery: string, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  post(pathAndQuery: string, headers?: Record<string, string>): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Writes YAML files into a fresh temp folder (the flows directory of a test). */
export function writeFlows(files: Record<string, string>, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-flows-'))): string {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/**
 * The whole bus for one test: a worker on its own task queue (workflow bundle
 * built once per run) and the API on a random loopback port, both against the
 * harness's real Temporal server, with the flows given as YAML files.
 */
export interface EsbStackOptions {
  limits?: Partial<ApiLimits>;
  env?: Record<string, string>;
  /** Ingress API keys; absent = authentication off (explicitly, as in `esb dev` without keys). */
  auth?: IngressAuth;
  /** Given to the client and the worker alike (payload encryption tests). */
  dataConverter?: DataConverter;
}

export async function startEsbStack(files: Record<string, string>, opts: EsbStackOptions = {}): Promise<EsbStack> {
  const dir = writeFlows(files);
  const env = { ...process.env, ...opts.env };
  let config = loadConfig(dir, { env }).config;
  const taskQueue = uniqueTaskQueue('esb');
  const client = await connectClient(opts.dataConverter);
  const connection: NativeConnection = await connectWorker();
  const httpClient = createHttpClient();
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: workflowBundle('workflows'),
    activities: createActivities({ getConfig: () => config, env, httpClient }),
    dataConverter: opts.dataConverter,
  });
  const running = worker.run();
  const probe = temporalProbe(temporalAddress(), readSettings({}).temporal);
  const app = createApp({ client, probe, namespace: 'default', taskQueue, getConfig: () => config, limits: opts.limits, uiBaseUrl: 'http://localhost:8233', auth: opts.auth });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const json = async (res: Response) => {
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown>, headers: res.headers };
  };
  return {
    api,
    client,
    taskQueue,
    get config() {
      return config;
    },
    reload(next) {
      config = loadConfig(writeFlows(next, dir), { env }).config;
    },
    send: async (flow, body, o = {}) =>
      json(
        await fetch(`${api}/api/v1/flows/${flow}/messages${o.query ? `?${o.query}` : ''}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(o.key ? { 'idempotency-key': o.key } : {}), ...o.headers },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: async (p, headers) => json(await fetch(`${api}${p}`, { headers })),
    post: async (p, headers) => json(await fetch(`${api}${p}`, { method: 'POST', headers })),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      worker.shutdown();
      await running;
      await connection.close();
      await httpClient.close();
      await probe.close();
      await client.connection.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
