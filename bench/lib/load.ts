/** The clients: N sends, C at a time, each timed from its start to its acknowledgement. */
import { nowMs } from '../stats';

export interface Acked {
  id: string;
  startMs: number;
  ackMs: number;
}

export interface LoadResult {
  sent: number;
  accepted: Acked[];
  /** Failure reasons of sends that were not acknowledged. */
  rejected: string[];
  firstStartMs: number;
  lastAckMs: number;
}

export interface LoadSpec {
  count: number;
  concurrency: number;
  /** Cap on starts per second (undefined: as fast as the C clients go). */
  rate?: number;
  /** Sends message `index`; resolves to its message id once accepted, throws otherwise. */
  send(index: number): Promise<string>;
  onResult?(ok: boolean): void;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const accepted: Acked[] = [];
  const rejected: string[] = [];
  const t0 = nowMs();
  let next = 0;
  const client = async (): Promise<void> => {
    while (next < spec.count) {
      const index = next++;
      if (spec.rate !== undefined) {
        const due = t0 + (index * 1000) / spec.rate - nowMs();
        if (due > 0) await new Promise((r) => setTimeout(r, due));
      }
      const startMs = nowMs();
      try {
        const id = await spec.send(index);
        accepted.push({ id, startMs, ackMs: nowMs() });
        spec.onResult?.(true);
      } catch (err) {
        rejected.push((err as Error).message ?? String(err));
        spec.onResult?.(false);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, spec.count) }, client));
  return {
    sent: spec.count,
    accepted,
    rejected,
    // reduce, not Math.min(...spread): large runs would overflow the argument list.
    firstStartMs: accepted.reduce((m, a) => Math.min(m, a.startMs), t0),
    lastAckMs: accepted.reduce((m, a) => Math.max(m, a.ackMs), t0),
  };
}
