/** CPU time and resident memory of processes, read from /proc (Linux). */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';

const CLK_TCK = ((): number => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface StatLine {
  pid: number;
  ppid: number;
  /** utime + stime, seconds. */
  cpu: number;
}

function readStat(pid: number): StatLine | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: split after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): ppid is field 4, utime 14, stime 15.
    return { pid, ppid: Number(fields[1]), cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK };
  } catch {
    return undefined;
  }
}

/** CPU seconds used so far by a process and its live descendants (a worker's esbuild helper, ...). */
export function treeCpuSeconds(root: number): number {
  const all = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => readStat(Number(d))).filter((s): s is StatLine => s !== undefined);
  const children = new Map<number, StatLine[]>();
  for (const s of all) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  let total = readStat(root)?.cpu ?? 0;
  const queue = [...(children.get(root) ?? [])];
  while (queue.length > 0) {
    const s = queue.pop()!;
    total += s.cpu;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return total;
}

export interface Memory {
  /** Peak resident set since the process started (VmHWM), MB. */
  peakMb: number;
  /** Current resident set (VmRSS), MB. */
  rssMb: number;
}

export function memoryOf(pid: number): Memory | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { peakMb: kb('VmHWM') / 1024, rssMb: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/** Busy and total CPU seconds of the whole machine since boot (/proc/stat, all cores). */
function machineCpu(): { busy: number; total: number } {
  try {
    const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = fields[3] + (fields[4] ?? 0); // idle + iowait
    const total = fields.reduce((s, n) => s + n, 0);
    return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * Percent of all cores busy over `ms`. Anything else running (a test suite,
 * another bench) takes cores from the processes measured: the bench warns.
 */
export async function machineBusyPercent(ms = 1000): Promise<number> {
  const a = machineCpu();
  await new Promise((r) => setTimeout(r, ms));
  const b = machineCpu();
  return (100 * (b.busy - a.busy)) / Math.max(0.001, b.total - a.total);
}

/** A named process to watch during a workload. */
export interface Watched {
  name: string;
  pid: number;
}

export interface Usage {
  cpuSeconds: number;
  /** Share of one core over the measured window, percent. */
  cpuPercent: number;
  peakRssMb?: number;
}

/**
 * Samples memory every 500 ms (VmHWM is only readable while the process
 * lives) and takes CPU deltas between start() and stop().
 */
export class UsageMeter {
  private readonly cpuAtStart = new Map<string, number>();
  private readonly peaks = new Map<string, number>();
  private benchCpuAtStart = process.cpuUsage();
  private machineAtStart = machineCpu();
  private startedAt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly watched: Watched[]) {}

  start(): void {
    this.startedAt = Date.now();
    this.benchCpuAtStart = process.cpuUsage();
    this.machineAtStart = machineCpu();
    for (const w of this.watched) this.cpuAtStart.set(w.name, treeCpuSeconds(w.pid));
    this.sample();
    this.timer = setInterval(() => this.sample(), 500);
  }

  private sample(): void {
    for (const w of this.watched) {
      const mem = memoryOf(w.pid);
      if (mem) this.peaks.set(w.name, Math.max(this.peaks.get(w.name) ?? 0, mem.peakMb));
    }
  }

  /**
   * Per process: CPU over the window and peak RSS; `bench` is this process
   * (the load generator); `not ours` is the rest of the machine's busy time
   * (other sessions' processes, kernel interrupts): it should be near 0.
   */
  stop(): Record<string, Usage> {
    clearInterval(this.timer);
    this.sample();
    const wallSec = Math.max(0.001, (Date.now() - this.startedAt) / 1000);
    const out: Record<string, Usage> = {};
    for (const w of this.watched) {
      const cpuSeconds = treeCpuSeconds(w.pid) - (this.cpuAtStart.get(w.name) ?? 0);
      out[w.name] = { cpuSeconds, cpuPercent: (100 * cpuSeconds) / wallSec, peakRssMb: this.peaks.get(w.name) };
    }
    const bench = process.cpuUsage(this.benchCpuAtStart);
    const benchSec = (bench.user + bench.system) / 1e6;
    out.bench = { cpuSeconds: benchSec, cpuPercent: (100 * benchSec) / wallSec, peakRssMb: memoryOf(process.pid)?.peakMb };
    const ours = Object.values(out).reduce((sum, u) => sum + u.cpuSeconds, 0);
    const machineBusy = machineCpu().busy - this.machineAtStart.busy;
    const others = Math.max(0, machineBusy - ours);
    out['not ours'] = { cpuSeconds: others, cpuPercent: (100 * others) / wallSec };
    return out;
  }
}
