/**
 * `npm run bench`: esb vs a hand-written Temporal app (ceiling) vs plain HTTP
 * (direct), same messages and concurrency, one after another, in one run.
 * Starts what it needs and stops it all at the end, also on Ctrl-C.
 * Exits 1 if any accepted message's callback is missing or repeated.
 */
import { randomBytes } from 'node:crypto';
import { Command, InvalidArgumentError } from 'commander';
import { installCleanup, stopAll } from '../scripts/lib/processes';
import { startRemote, type Remote } from './lib/remote';
import { startTemporal, type BenchTemporal } from './lib/temporal';
import { describeMachine } from './lib/machine';
import { machineBusyPercent } from './lib/proc-stats';
import { printReport, writeJson } from './lib/report';
import { profilesOf, summarise } from './lib/profiles';
import { runEsb } from './workloads/esb';
import { runCeiling } from './workloads/ceiling';
import { runDirect } from './workloads/direct';
import type { BenchContext, BenchOptions, WorkloadName, WorkloadResult } from './workloads/types';

const WORKLOADS: Record<WorkloadName, (ctx: BenchContext) => Promise<WorkloadResult>> = { esb: runEsb, ceiling: runCeiling, direct: runDirect };

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

function workloadList(value: string): WorkloadName[] {
  const names = value.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(n in WORKLOADS)) throw new InvalidArgumentError(`unknown workload '${n}' (esb, ceiling, direct)`);
  return names as WorkloadName[];
}

function parseOptions(argv: string[]): BenchOptions {
  const flags = new Command('bench')
    .option('--messages <n>', 'messages per workload', positiveInt, 2000)
    .option('--concurrency <c>', 'concurrent clients', positiveInt, 50)
    .option('--only <list>', 'workloads to run, in this order: esb,ceiling,direct', workloadList, ['esb', 'ceiling', 'direct'] as WorkloadName[])
    .option('--workers <n>', 'worker processes for esb (and ceiling, to keep the ratio like for like)', positiveInt, 1)
    .option('--warmup <n>', 'messages sent and drained before each measured run', positiveInt, 20)
    .option('--rate <r>', 'cap on message starts per second (default: as fast as the clients go)', positiveInt)
    .option('--profile', 'run the esb and ceiling processes under node --cpu-prof and summarise where their CPU goes', false)
    .option('--drain-timeout <s>', 'give up on the missing callbacks after this many seconds without one', positiveInt, 120)
    .parse(argv)
    .opts<{ messages: number; concurrency: number; only: WorkloadName[]; workers: number; warmup: number; rate?: number; drainTimeout: number; profile: boolean }>();
  return {
    messages: flags.messages,
    concurrency: Math.max(1, flags.concurrency),
    only: flags.only,
    workers: Math.max(1, flags.workers),
    warmup: flags.warmup,
    rate: flags.rate || undefined,
    drainTimeoutMs: flags.drainTimeout * 1000,
    profile: flags.profile,
  };
}

/** Each child's profiles, cut to its workload's measured window; threads that did nothing are left out. */
function attachProfiles(runTag: string, results: WorkloadResult[]): void {
  for (const { child, file } of profilesOf(runTag)) {
    const result = results.find((r) => child.startsWith(r.name));
    if (!result) continue;
    const summary = summarise(file, ...result.monoWindowUs);
    if (summary.samples < 200) continue;
    (result.profiles ??= []).push({ child, ...summary });
  }
}

async function main(): Promise<number> {
  const opts = parseOptions(process.argv);
  let temporal: BenchTemporal | undefined;
  let remote: Remote | undefined;
  const cleanup = async (): Promise<void> => {
    await stopAll();
    await temporal?.stop().catch(() => undefined);
  };
  installCleanup(cleanup, "bench's processes");
  try {
    const machine = describeMachine();
    machine.busyBeforePercent = await machineBusyPercent();
    if (machine.busyBeforePercent > 15) {
      process.stderr.write(`warning: the machine is already ${machine.busyBeforePercent.toFixed(0)}% busy before the bench starts; the figures will be skewed\n`);
    }
    process.stderr.write(process.env.TEMPORAL_ADDRESS ? `Temporal at ${process.env.TEMPORAL_ADDRESS}\n` : 'starting the embedded Temporal dev server (SQLite file, WAL)\n');
    temporal = await startTemporal();
    remote = await startRemote();
    const ctx: BenchContext = {
      opts,
      client: temporal.client,
      address: temporal.address,
      namespace: temporal.namespace,
      remote,
      serverPid: temporal.serverPid,
      runTag: `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`,
    };
    const results: WorkloadResult[] = [];
    for (const name of opts.only) {
      process.stderr.write(`\n${name}: starting\n`);
      results.push(await WORKLOADS[name](ctx));
    }
    // The children are stopped by now, so their profiles are written.
    if (opts.profile) attachProfiles(ctx.runTag, results);
    const failed = results.filter((r) => [r.check, r.warmupCheck].some((c) => c.lost > 0 || c.duplicates > 0));
    printReport(opts, machine, results);
    const file = writeJson(opts, machine, results, failed.length === 0);
    process.stdout.write(`\nresults: ${file}\n`);
    if (failed.length > 0) {
      process.stdout.write(`FAILED: messages lost or duplicated in ${failed.map((r) => r.name).join(', ')}\n`);
      return 1;
    }
    process.stdout.write('no message lost or duplicated\n');
    return 0;
  } finally {
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`bench: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
