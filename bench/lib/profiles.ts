/**
 * `--profile`: the esb and ceiling child processes run with node's
 * --cpu-prof (written when they exit, into bench-results/profiles/); this
 * summarises each profile by where the samples land (self time), so the
 * report says where a worker's CPU goes without opening DevTools.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../scripts/lib/processes';

export const PROFILE_DIR = path.join(ROOT, 'bench-results', 'profiles');

interface Profile {
  nodes: ProfileNode[];
  /** Monotonic clock, µs (the clock of process.hrtime). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface ProfileNode {
  id: number;
  hitCount?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/**
 * Node flags for a child to profile (node 20 refuses --cpu-prof in
 * NODE_OPTIONS). One folder per child: node writes one profile per thread
 * there (the SDK runs workflow code in worker threads).
 */
export function profileArgs(runTag: string, name: string): string[] {
  const dir = path.join(PROFILE_DIR, runTag, name.replace(/\W+/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${dir}`];
}

/** node_modules package, project folder, or node internals: the level at which tuning decisions are made. */
function area(url: string, fn: string): string {
  if (url === '') return fn.startsWith('(') ? fn : '(native)';
  const mod = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (mod) return mod[1];
  if (url.startsWith('node:')) return 'node internals';
  const local = url.replace(/^file:\/\//, '').replace(`${ROOT}/`, '');
  return local.split('/').slice(0, 2).join('/');
}

export interface ProfileSummary {
  file: string;
  /** Samples in the window, idle ones excluded; the percentages are of these. */
  samples: number;
  /** Share of the window the thread was idle, percent. */
  idlePercent: number;
  /** Percent of samples by area, largest first. */
  byArea: Array<[string, number]>;
  /** Percent of samples by function (self), largest first. */
  byFunction: Array<[string, number]>;
}

function top(map: Map<string, number>, total: number, n: number): Array<[string, number]> {
  return [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => [k, (100 * v) / total]);
}

/** Monotonic µs, comparable with a profile's timestamps (both CLOCK_MONOTONIC on Linux). */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Self samples per node id within [fromUs, toUs]: the measured window, not start-up (bundling). */
function hitsInWindow(p: Profile, fromUs: number, toUs: number): Map<number, number> {
  const hits = new Map<number, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i] ?? 0;
    if (t >= fromUs && t <= toUs) hits.set(p.samples[i], (hits.get(p.samples[i]) ?? 0) + 1);
  }
  return hits;
}

export function summarise(file: string, fromUs: number, toUs: number, n = 10): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const hits = hitsInWindow(profile, fromUs, toUs);
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const count = hits.get(node.id) ?? 0;
    if (count === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += count;
      continue;
    }
    total += count;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + count);
    const fn = `${functionName || '(anonymous)'} ${url ? `${path.basename(url)}:${lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) ?? 0) + count);
  }
  return {
    file: path.relative(ROOT, file),
    samples: total,
    idlePercent: (100 * idle) / Math.max(1, idle + total),
    byArea: top(areas, total || 1, n),
    byFunction: top(fns, total || 1, n),
  };
}

/** Every profile written by the children of this run. */
export function profilesOf(runTag: string): Array<{ child: string; file: string }> {
  const root = path.join(PROFILE_DIR, runTag);
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).flatMap((child) =>
    fs
      .readdirSync(path.join(root, child))
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => ({ child, file: path.join(root, child, f) })),
  );
}
