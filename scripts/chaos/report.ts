/** The chaos run's summary table and its JSON record. */
import fs from 'node:fs';
import path from 'node:path';
import type { ScenarioResult } from './scenario';

const COLUMNS: Array<[string, (r: ScenarioResult) => string | number]> = [
  ['scenario', (r) => r.name],
  ['sent', (r) => r.figures.sent],
  ['accepted', (r) => r.figures.accepted],
  ['not acc.', (r) => r.figures.notAccepted],
  ['delivered', (r) => r.figures.delivered],
  ['failed', (r) => r.figures.failed],
  ['lost', (r) => r.figures.lost],
  ['dup msgs', (r) => r.figures.duplicates],
  ['dup reqs', (r) => r.figures.duplicateRequests],
  ['cb missing', (r) => r.figures.callbacksMissing],
  ['time s', (r) => (r.durationMs / 1000).toFixed(1)],
  ['result', (r) => (r.ok ? 'ok' : 'FAILED')],
];

export function summaryTable(results: ScenarioResult[]): string {
  const rows = [COLUMNS.map(([name]) => name), ...results.map((r) => COLUMNS.map(([, get]) => String(get(r))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  const line = (row: string[]): string => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

export function details(results: ScenarioResult[]): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${r.name}: ${r.description}`);
    out.push(`  answers: ${Object.entries(r.figures.answers).filter(([, n]) => n > 0).map(([a, n]) => `${a} ${n}`).join(', ') || 'none'}; callbacks received twice: ${r.figures.callbackDuplicates}; delivered though not accepted: ${r.figures.unacknowledgedDelivered}`);
    for (const [k, v] of Object.entries(r.facts)) out.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    for (const f of r.findings) out.push(`  finding: ${f}`);
    for (const p of r.problems) out.push(`  PROBLEM: ${p}`);
  }
  return out.join('\n');
}

export function writeJson(root: string, startedAt: Date, results: ScenarioResult[], extra: Record<string, unknown>): string {
  const dir = path.join(root, 'bench-results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `chaos-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  fs.writeFileSync(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), ...extra, scenarios: results }, null, 2)}\n`);
  return file;
}
