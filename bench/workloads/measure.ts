/**
 * What every workload does once its processes are up: a warm-up, then the
 * measured run (N sends at concurrency C), the drain (wait for every
 * callback, bounded), and the exactly-once check against the fake remote's
 * records.
 */
import { latency, ratePerSec } from '../stats';
import { runLoad, type LoadResult } from '../lib/load';
import { Progress } from '../lib/progress';
import { UsageMeter, type Watched } from '../lib/proc-stats';
import { monotonicUs } from '../lib/profiles';
import type { RemoteRecords } from '../fast-remote';
import type { BenchContext, DeliveryCheck, WorkloadName, WorkloadResult } from './types';

export interface WorkloadSpec {
  name: WorkloadName;
  /** Sends message `index` of `phase`; resolves to its message id once accepted. */
  send(index: number, phase: 'warmup' | 'run'): Promise<string>;
  watched: Watched[];
  /** Throws if one of the workload's processes died. */
  assertAlive(): void;
  hasIngress: boolean;
}

export interface Measured {
  result: Omit<WorkloadResult, 'history'>;
  acceptedIds: string[];
}

/**
 * Waits until the remote has as many callbacks as there were accepted
 * messages. The bound is on silence, not on the total: a slow run may drain
 * for minutes, but 'no callback for drainTimeoutMs' means the rest are lost.
 */
async function drain(ctx: BenchContext, spec: WorkloadSpec, expected: number, progress?: Progress): Promise<void> {
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    spec.assertAlive();
    const { callbacks } = await ctx.remote.count();
    progress?.callbacks(callbacks);
    if (callbacks >= expected) return;
    if (callbacks !== last) {
      last = callbacks;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > ctx.opts.drainTimeoutMs) {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function check(load: LoadResult, records: RemoteRecords): { check: DeliveryCheck; e2e: number[]; lastArrival: number } {
  const e2e: number[] = [];
  let lost = 0;
  let duplicates = 0;
  let lastArrival = load.firstStartMs;
  const known = new Set<string>();
  for (const a of load.accepted) {
    known.add(a.id);
    const arrivals = records.arrivals[a.id] ?? [];
    if (arrivals.length === 0) {
      lost += 1;
      continue;
    }
    duplicates += arrivals.length - 1;
    const first = Math.min(...arrivals);
    e2e.push(first - a.startMs);
    lastArrival = Math.max(lastArrival, first);
  }
  const unexpected = Object.keys(records.arrivals).filter((id) => !known.has(id)).length + records.malformed;
  return {
    check: { sent: load.sent, accepted: load.accepted.length, rejected: load.rejected.length, delivered: e2e.length, lost, duplicates, unexpected },
    e2e,
    lastArrival,
  };
}

async function warmUp(ctx: BenchContext, spec: WorkloadSpec): Promise<DeliveryCheck> {
  const empty: DeliveryCheck = { sent: 0, accepted: 0, rejected: 0, delivered: 0, lost: 0, duplicates: 0, unexpected: 0 };
  if (ctx.opts.warmup <= 0) return empty;
  const load = await runLoad({ count: ctx.opts.warmup, concurrency: ctx.opts.concurrency, send: (i) => spec.send(i, 'warmup') });
  await drain(ctx, spec, load.accepted.length);
  await new Promise((r) => setTimeout(r, 300));
  return check(load, await ctx.remote.take()).check;
}

export async function measure(ctx: BenchContext, spec: WorkloadSpec): Promise<Measured> {
  const warmupCheck = await warmUp(ctx, spec);
  const meter = new UsageMeter(spec.watched);
  const progress = new Progress(spec.name, ctx.opts.messages);
  meter.start();
  const monoStart = monotonicUs();
  let load: LoadResult;
  try {
    const poll = setInterval(() => void ctx.remote.count().then((c) => progress.callbacks(c.callbacks), () => undefined), 250);
    try {
      load = await runLoad({
        count: ctx.opts.messages,
        concurrency: ctx.opts.concurrency,
        rate: ctx.opts.rate,
        send: (i) => spec.send(i, 'run'),
        onResult: (ok) => {
          if (ok) progress.accepted();
        },
      });
    } finally {
      clearInterval(poll);
    }
    await drain(ctx, spec, load.accepted.length, progress);
  } finally {
    progress.stop();
  }
  const usage = meter.stop();
  const monoWindowUs: [number, number] = [monoStart, monotonicUs()];
  // A late duplicate (a retried callback) would land just after the last expected one.
  await new Promise((r) => setTimeout(r, 500));
  const records = await ctx.remote.take();
  const checked = check(load, records);
  const ackLatencies = load.accepted.map((a) => a.ackMs - a.startMs);
  return {
    acceptedIds: load.accepted.map((a) => a.id),
    result: {
      name: spec.name,
      check: checked.check,
      warmupCheck,
      rejections: [...new Set(load.rejected)].slice(0, 5),
      otherStatuses: records.otherStatuses,
      pongs: records.pongs,
      ingress: spec.hasIngress ? { perSec: ratePerSec(load.accepted.length, load.firstStartMs, load.lastAckMs), latencyMs: latency(ackLatencies) } : undefined,
      e2e: { perSec: ratePerSec(checked.e2e.length, load.firstStartMs, checked.lastArrival), latencyMs: latency(checked.e2e) },
      windowSec: (checked.lastArrival - load.firstStartMs) / 1000,
      usage,
      monoWindowUs,
    },
  };
}
