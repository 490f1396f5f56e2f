/**
 * ceiling: the ESB's Temporal work shape written by hand (bench/ceiling/),
 * started straight from the Temporal client: what the server and the SDK
 * allow on this machine with no ESB code in the way.
 */
import path from 'node:path';
import { assertRunning, spawnTs } from '../../scripts/lib/processes';
import { sampleHistories } from '../lib/histories';
import { profileArgs } from '../lib/profiles';
import { waitForPollers } from '../lib/temporal';
import { measure } from './measure';
import type { BenchContext, WorkloadResult } from './types';
import type { CeilingDelivery } from '../ceiling/workflows';

export async function runCeiling(ctx: BenchContext): Promise<WorkloadResult> {
  const taskQueue = `bench-ceiling-${ctx.runTag}`;
  const workers = Array.from({ length: ctx.opts.workers }, (_, i) =>
    spawnTs(`ceiling worker ${i + 1}`, path.join(__dirname, '..', 'ceiling', 'worker.ts'), [], {
      env: {
        TEMPORAL_ADDRESS: ctx.address,
        TEMPORAL_NAMESPACE: ctx.namespace,
        BENCH_TASK_QUEUE: taskQueue,
        BENCH_REMOTE_URL: ctx.remote.url,
      },
      nodeArgs: ctx.opts.profile ? profileArgs(ctx.runTag, `ceiling worker ${i + 1}`) : [],
    }),
  );
  const assertAlive = (): void => workers.forEach(assertRunning);
  try {
    await waitForPollers(ctx.client, ctx.namespace, taskQueue, workers.length, assertAlive);
    const send = async (index: number, phase: string): Promise<string> => {
      const messageId = `ceiling-${ctx.runTag}-${phase}-${index}`;
      await ctx.client.workflow.start<typeof CeilingDelivery>('CeilingDelivery', { taskQueue, workflowId: messageId, args: [{ messageId }] });
      return messageId;
    };
    const measured = await measure(ctx, {
      name: 'ceiling',
      send,
      hasIngress: true,
      assertAlive,
      watched: [
        ...workers.map((w) => ({ name: w.name, pid: w.pid })),
        ...(ctx.serverPid ? [{ name: 'temporal', pid: ctx.serverPid }] : []),
        { name: 'fast remote', pid: ctx.remote.child.pid },
      ],
    });
    const history = await sampleHistories(ctx.client, measured.acceptedIds);
    return { ...measured.result, history };
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
  }
}
