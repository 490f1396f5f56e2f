/** The printed report and the JSON written to bench-results/. */
import fs from 'node:fs';
import path from 'node:path';
import type { BenchOptions, WorkloadResult } from '../workloads/types';
import type { Machine } from './machine';
import { num, table } from './table';
import { ROOT } from '../../scripts/lib/processes';

export interface Ratios {
  /** CPU per delivery of all the bench's processes: robust to other load on the machine, unlike rates. */
  cpuPerDelivery: number;
  e2ePerSec: number;
  ingressPerSec: number;
  e2eP50: number;
  e2eP99: number;
}

/** CPU ms of all our processes (server, workers, API, remote, load generator) per delivered message. */
export function cpuMsPerDelivery(r: WorkloadResult): number {
  const ours = Object.entries(r.usage).filter(([name]) => name !== 'not ours');
  return (1000 * ours.reduce((s, [, u]) => s + u.cpuSeconds, 0)) / r.check.delivered;
}

function ratios(a: WorkloadResult, b: WorkloadResult): Ratios {
  return {
    cpuPerDelivery: cpuMsPerDelivery(a) / cpuMsPerDelivery(b),
    e2ePerSec: a.e2e.perSec / b.e2e.perSec,
    ingressPerSec: a.ingress && b.ingress ? a.ingress.perSec / b.ingress.perSec : NaN,
    e2eP50: a.e2e.latencyMs.p50 / b.e2e.latencyMs.p50,
    e2eP99: a.e2e.latencyMs.p99 / b.e2e.latencyMs.p99,
  };
}

export function allRatios(results: WorkloadResult[]): Record<string, Ratios> {
  const by = (n: string): WorkloadResult | undefined => results.find((r) => r.name === n);
  const esb = by('esb');
  const out: Record<string, Ratios> = {};
  for (const other of ['ceiling', 'direct']) {
    const o = by(other);
    if (esb && o) out[`esb/${other}`] = ratios(esb, o);
  }
  return out;
}

/** Peak RSS of the workload's own processes (workers, API), not of the shared server. */
function ownRss(r: WorkloadResult): string {
  const own = Object.entries(r.usage).filter(([name]) => name.includes('worker') || name === 'esb api');
  return own.length ? own.map(([name, u]) => `${name.replace(/^(esb|ceiling) /, '')} ${num(u.peakRssMb)}`).join(', ') : '-';
}

function figuresTable(results: WorkloadResult[]): string {
  const header = ['workload', 'ingress/s', 'in p50', 'in p95', 'in p99', 'e2e/s', 'e2e p50', 'e2e p95', 'e2e p99', 'cpu ms/deliv', 'events/deliv', 'peak RSS MB'];
  const rows = results.map((r) => [
    r.name,
    num(r.ingress?.perSec),
    num(r.ingress?.latencyMs.p50, 1),
    num(r.ingress?.latencyMs.p95, 1),
    num(r.ingress?.latencyMs.p99, 1),
    num(r.e2e.perSec),
    num(r.e2e.latencyMs.p50),
    num(r.e2e.latencyMs.p95),
    num(r.e2e.latencyMs.p99),
    num(cpuMsPerDelivery(r), cpuMsPerDelivery(r) < 10 ? 1 : 0),
    r.history ? num(r.history.perDelivery.mean, 1) : '-',
    ownRss(r),
  ]);
  return `${table(header, rows)}\n(latencies in ms; e2e = POST/start → callback arrival at the remote; ingress = until the 202 / start acknowledged;
 cpu ms/deliv = CPU of all the bench's processes incl. the Temporal server per delivered message)`;
}

function ratiosTable(r: Record<string, Ratios>): string {
  const rows = Object.entries(r).map(([name, x]) => [name, num(x.e2ePerSec, 2), num(x.ingressPerSec, 2), num(x.e2eP50, 2), num(x.e2eP99, 2), num(x.cpuPerDelivery, 2)]);
  return table(['ratio', 'e2e/s', 'ingress/s', 'e2e p50', 'e2e p99', 'cpu/deliv'], rows);
}

function checkTable(results: WorkloadResult[]): string {
  const rows = results.map((r) => {
    const c = r.check;
    const w = r.warmupCheck;
    return [r.name, String(c.sent), String(c.accepted), String(c.rejected), String(c.delivered), String(c.lost), String(c.duplicates), String(c.unexpected), `${w.accepted}/${w.lost}/${w.duplicates}`];
  });
  return table(['workload', 'sent', 'accepted', 'rejected', 'delivered', 'lost', 'duplicates', 'unexpected', 'warm-up acc/lost/dup'], rows);
}

function usageTable(results: WorkloadResult[]): string {
  const rows: string[][] = [];
  for (const r of results) {
    const entries = Object.entries(r.usage);
    const ours = entries.filter(([name]) => name !== 'not ours');
    for (const [name, u] of ours) rows.push([r.name, name, num(u.cpuSeconds, 1), num(u.cpuPercent), num(u.peakRssMb)]);
    const sum = (key: 'cpuSeconds' | 'cpuPercent'): number => ours.reduce((s, [, u]) => s + u[key], 0);
    rows.push([r.name, 'all of ours', num(sum('cpuSeconds'), 1), num(sum('cpuPercent')), '']);
    const others = r.usage['not ours'];
    if (others) rows.push([r.name, 'not ours', num(others.cpuSeconds, 1), num(others.cpuPercent), '']);
  }
  return `${table(['workload', 'process', 'cpu s', '% of 1 core', 'peak RSS MB'], rows)}\n(CPU = utime+stime over the measured window incl. the drain, process trees; 'bench' = the load generator;
 'not ours' = the rest of the machine's busy time: other processes skew the figures when it is high)`;
}

function historyText(results: WorkloadResult[]): string {
  return results
    .filter((r) => r.history)
    .map((r) => {
      const h = r.history!;
      const fmt = (rec: Record<string, number>): string => Object.entries(rec).map(([t, n]) => `${t} ${n}`).join(', ');
      return [
        `${r.name}: ${num(h.perDelivery.mean, 1)} events per delivery (min ${h.perDelivery.min}, max ${h.perDelivery.max}, ${h.sampled} sampled), ${num(h.bytesPerDelivery / 1024, 1)} KiB of history`,
        `  parent:   ${fmt(h.example.parent)}`,
        `  children: ${fmt(h.example.children)}`,
      ].join('\n');
    })
    .join('\n');
}

function profilesText(results: WorkloadResult[]): string {
  const pct = (list: Array<[string, number]>): string => list.map(([k, v]) => `${k} ${v.toFixed(1)}%`).join(', ');
  return results
    .flatMap((r) => r.profiles ?? [])
    .map((p) => [`${p.child} (${p.samples} samples, idle ${p.idlePercent.toFixed(0)}%): ${p.file}`, `  by area:     ${pct(p.byArea)}`, `  by function: ${pct(p.byFunction)}`].join('\n'))
    .join('\n');
}

export function printReport(opts: BenchOptions, machine: Machine, results: WorkloadResult[]): string {
  const other = results.filter((r) => Object.keys(r.otherStatuses).length > 0).map((r) => `${r.name}: callback statuses ${JSON.stringify(r.otherStatuses)}`);
  const rejected = results.filter((r) => r.rejections.length > 0).map((r) => `${r.name}: rejections ${JSON.stringify(r.rejections)}`);
  const text = [
    '',
    `messages ${opts.messages}, concurrency ${opts.concurrency}, warm-up ${opts.warmup}, workers ${opts.workers}${opts.rate ? `, rate ${opts.rate}/s` : ''}`,
    '',
    figuresTable(results),
    '',
    ratiosTable(allRatios(results)),
    '',
    checkTable(results),
    ...other,
    ...rejected,
    '',
    usageTable(results),
    '',
    historyText(results),
    '',
    ...(results.some((r) => r.profiles) ? [profilesText(results), ''] : []),
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGb} GB RAM, ${machine.platform}, node ${machine.node}, ${machine.temporalCli}; busy before start ${num(machine.busyBeforePercent)}%`,
  ].join('\n');
  process.stdout.write(text + '\n');
  return text;
}

export function writeJson(opts: BenchOptions, machine: Machine, results: WorkloadResult[], ok: boolean): string {
  const dir = path.join(ROOT, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const body = { at: new Date().toISOString(), ok, options: opts, machine, results, ratios: allRatios(results) };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n');
  return path.relative(process.cwd(), file);
}
