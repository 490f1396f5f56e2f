import type { Client } from '@temporalio/client';
import type { Remote } from '../lib/remote';
import type { Usage } from '../lib/proc-stats';
import type { HistoryFigures } from '../lib/histories';
import type { ProfileSummary } from '../lib/profiles';
import type { Latency } from '../stats';

export type WorkloadName = 'esb' | 'ceiling' | 'direct';

export interface BenchOptions {
  messages: number;
  concurrency: number;
  /** Messages sent and drained before the measured run (JIT, bundles, pools warm). */
  warmup: number;
  /** Worker processes for esb and ceiling. */
  workers: number;
  /** Cap on message starts per second; undefined = closed loop at full speed. */
  rate?: number;
  /** Give up on missing callbacks after this long without a new one. */
  drainTimeoutMs: number;
  only: WorkloadName[];
  /** Run the esb and ceiling children under node --cpu-prof and summarise the measured window. */
  profile: boolean;
}

export interface BenchContext {
  opts: BenchOptions;
  client: Client;
  address: string;
  namespace: string;
  remote: Remote;
  /** The embedded dev server's pid (undefined with TEMPORAL_ADDRESS). */
  serverPid?: number;
  /** Unique per run: task queues and workflow ids never meet an earlier run's. */
  runTag: string;
}

export interface DeliveryCheck {
  sent: number;
  accepted: number;
  rejected: number;
  delivered: number;
  lost: number;
  duplicates: number;
  /** Callbacks for ids no client saw accepted (e.g. a client-side timeout the server did take). */
  unexpected: number;
}

export interface WorkloadResult {
  name: WorkloadName;
  check: DeliveryCheck;
  warmupCheck: DeliveryCheck;
  /** A few distinct rejection reasons. */
  rejections: string[];
  /** Callback status values other than 'delivered'. */
  otherStatuses: Record<string, number>;
  /** Requests to the pong endpoint during the measured run. */
  pongs: number;
  /** Undefined for direct: there is no separate acknowledgement. */
  ingress?: { perSec: number; latencyMs: Latency };
  e2e: { perSec: number; latencyMs: Latency };
  /** First send to last callback, seconds. */
  windowSec: number;
  /** Per process over the measured window (worker 1, api, temporal, remote, bench). */
  usage: Record<string, Usage>;
  history?: HistoryFigures;
  /** The measured window on the monotonic clock (µs), to cut CPU profiles to it. */
  monoWindowUs: [number, number];
  profiles?: Array<{ child: string } & ProfileSummary>;
}
