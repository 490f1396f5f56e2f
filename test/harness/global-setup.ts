import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startDevServer, DevServer } from '../../src/temporal/dev-server';
import { freePort } from './ports';
import { HARNESS_ENV } from './env-names';

declare global {
  var __ESB_TEST_SERVER__: DevServer | undefined;
  var __ESB_TEST_DIR__: string | undefined;
}

/**
 * One real Temporal dev server (in-memory, headless) for the whole run, and
 * the workflow bundles built once; tests read both through env variables.
 */
export default async function globalSetup(): Promise<void> {
  if (!findTemporalCli()) {
    throw new Error('No Temporal CLI: run `npm install` (postinstall installs it) or `npm run setup:temporal`.');
  }
  // Failed deliveries are expected in tests; the SDK would log each at WARN.
  process.env.TEMPORAL_LOG_LEVEL ??= 'ERROR';
  process.env.ESB_LOG_LEVEL ??= 'warn';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-test-'));
  const [server] = await Promise.all([
    startDevServer({ grpcPort: await freePort(), forTests: true }),
    writeBundle(path.resolve(__dirname, '../../src/workflows'), path.join(dir, 'workflows.js')),
    writeBundle(path.resolve(__dirname, '../fixtures/workflows'), path.join(dir, 'fixture-workflows.js')),
  ]);
  globalThis.__ESB_TEST_SERVER__ = server;
  globalThis.__ESB_TEST_DIR__ = dir;
  process.env[HARNESS_ENV.address] = server.address;
  process.env[HARNESS_ENV.serverPid] = String(server.pid ?? '');
  process.env[HARNESS_ENV.bundleDir] = dir;
}

async function writeBundle(workflowsPath: string, file: string): Promise<void> {
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  fs.writeFileSync(file, code);
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error };
