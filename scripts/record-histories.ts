/**
 * Records the histories of representative deliveries as replay fixtures
 * (test/fixtures/histories). Re-run after an intended workflow change:
 *   npm run fixtures:histories
 * test/delivery/replay.test.ts replays them, so a change that breaks
 * determinism for in-flight workflows fails CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { startDevServer } from '../src/temporal/dev-server';
import { HARNESS_ENV } from '../test/harness/env-names';
import { freePort } from '../test/harness/ports';
import { startEsbStack } from '../test/harness/esb-stack';
import { startFakeRemote } from '../test/harness/fake-remote';
import { ACCEPTED, ORDER, shopFlows } from '../test/delivery/shop-flows';

const OUT = path.resolve(__dirname, '../test/fixtures/histories');

/** Binary protobuf (base64): exact, and free of proto-JSON quirks across protobufjs copies. */
function fixture(workflowId: string, history: temporal.api.history.v1.IHistory): string {
  const bytes = temporal.api.history.v1.History.encode(history).finish();
  return JSON.stringify({ workflowId, events: history.events?.length, history: Buffer.from(bytes).toString('base64') }, null, 1);
}

async function main(): Promise<void> {
  process.env.TEMPORAL_LOG_LEVEL = 'ERROR';
  process.env.ESB_LOG_LEVEL = 'warn';
  const server = await startDevServer({ grpcPort: await freePort(), forTests: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-record-'));
  const { code } = await bundleWorkflowCode({ workflowsPath: path.resolve(__dirname, '../src/workflows') });
  fs.writeFileSync(path.join(dir, 'workflows.js'), code);
  Object.assign(process.env, { [HARNESS_ENV.address]: server.address, [HARNESS_ENV.bundleDir]: dir });
  const remote = await startFakeRemote();
  const esb = await startEsbStack(shopFlows(remote.url));
  try {
    const scenarios: Array<{ name: string; flow: string; script: () => void; body?: unknown }> = [
      { name: 'delivered-async-callback', flow: 'orders', script: () => remote.script('POST', '/orders', [ACCEPTED]) },
      { name: 'retried-then-delivered', flow: 'orders', script: () => remote.script('POST', '/orders', [{ status: 503 }, { status: 500 }, ACCEPTED]) },
      { name: 'failed-4xx-sync-callback', flow: 'orders_sync_callback', script: () => remote.script('POST', '/orders', [{ status: 404 }]) },
      {
        name: 'broadcast-one-callback-fails',
        flow: 'orders_broadcast',
        script: () => {
          remote.script('POST', '/orders', [ACCEPTED]);
          remote.script('POST', '/audit', [{ status: 500 }]);
        },
      },
      { name: 'validate-step-failed', flow: 'orders_checked', script: () => undefined, body: { id: 'B-2', lines: [] } },
    ];
    for (const s of scenarios) {
      remote.reset();
      s.script();
      const { body } = await esb.send(s.flow, s.body ?? ORDER, { key: `replay-${s.name}` });
      const handle = esb.client.workflow.getHandle(body.workflowId as string);
      await handle.result().catch(() => undefined);
      const history = await handle.fetchHistory();
      fs.writeFileSync(path.join(OUT, `${s.name}.json`), fixture(handle.workflowId, history));
      process.stdout.write(`recorded ${s.name} (${history.events?.length} events)\n`);
    }
    // A callback child's own history.
    const handle = esb.client.workflow.getHandle('callback-orders_broadcast-replay-broadcast-one-callback-fails-shop.audit');
    await handle.result().catch(() => undefined);
    fs.writeFileSync(path.join(OUT, 'callback-failed.json'), fixture(handle.workflowId, await handle.fetchHistory()));
    process.stdout.write('recorded callback-failed\n');
  } finally {
    await esb.stop();
    await remote.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
