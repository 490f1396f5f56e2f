import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection } from '@temporalio/worker';
import { installTemporalRuntime } from '../../src/cli/services';
import { HARNESS_ENV } from './env-names';

export function temporalAddress(): string {
  const address = process.env[HARNESS_ENV.address];
  if (!address) throw new Error('The Temporal test server is not running (jest global setup did not run).');
  return address;
}

/** The bundles global setup built once for the run. */
export function workflowBundle(which: 'workflows' | 'fixture-workflows' = 'workflows'): { code: string } {
  const dir = process.env[HARNESS_ENV.bundleDir];
  if (!dir) throw new Error('No workflow bundle: jest global setup did not run.');
  return { code: fs.readFileSync(path.join(dir, `${which}.js`), 'utf8') };
}

/** A task queue of its own per test, so tests never steal each other's tasks. */
export function uniqueTaskQueue(prefix = 'test'): string {
  return `${prefix}-${randomUUID()}`;
}

/** A data converter (payload encryption tests) must be the worker's too. */
export async function connectClient(dataConverter?: DataConverter): Promise<Client> {
  const connection = await Connection.connect({ address: temporalAddress() });
  return new Client({ connection, namespace: 'default', dataConverter });
}

export async function connectWorker(): Promise<NativeConnection> {
  installTemporalRuntime();
  return NativeConnection.connect({ address: temporalAddress() });
}
