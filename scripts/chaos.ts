/**
 * `npm run chaos`: the fault scenarios of issue 6 against real processes, a
 * file-backed Temporal dev server, `esb worker` and `esb api` processes and a
 * remote system in a child process. Prints the figures (sent, accepted,
 * delivered, failed, lost, duplicates) per scenario, writes them to
 * bench-results/chaos-<ts>.json, and exits non-zero if any accepted message
 * is lost or any other promise is broken. Bounded: each scenario has a
 * budget, the whole run a deadline, and every process it started is stopped.
 *
 *   npm run chaos [-- --only worker-kill,api-kill] [--keep]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeChaosFlows } from './chaos/flows';
import { freePort, installCleanup, ROOT, stopAll } from './lib/processes';
import { startRemote } from './chaos/remote';
import { details, summaryTable, writeJson } from './chaos/report';
import { scenarioContext, type RunnerEnv, type Scenario, type ScenarioResult } from './chaos/scenario';
import { apiKill } from './chaos/scenarios/api-kill';
import { remoteDown } from './chaos/scenarios/remote-down';
import { temporalRestart } from './chaos/scenarios/temporal-restart';
import { workerKill } from './chaos/scenarios/worker-kill';
import { startChaosTemporal, type ChaosTemporal } from './chaos/temporal';
import type { Figures } from './chaos/verify';

const SCENARIOS: Scenario[] = [workerKill, temporalRestart, remoteDown, apiKill];
/** CI's bound on the whole run; the scenario budgets add up to less. */
const DEADLINE_MS = Number(process.env.CHAOS_DEADLINE_MS ?? 6 * 60_000);

function parseArgs(argv: string[]): { only?: Set<string>; keep: boolean } {
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1]?.split(',').filter(Boolean)) : undefined;
  return { only, keep: argv.includes('--keep') };
}

const emptyFigures = (): Figures => ({
  sent: 0, accepted: 0, notAccepted: 0, delivered: 0, failed: 0, lost: 0, duplicates: 0, duplicateRequests: 0,
  callbacksMissing: 0, callbackDuplicates: 0, keyMismatches: 0, unacknowledgedDelivered: 0,
  answers: { accepted: 0, duplicate: 0, unavailable: 0, refused: 0, 'server-error': 0, 'no-answer': 0 },
});

async function runScenario(env: RunnerEnv, scenario: Scenario): Promise<ScenarioResult> {
  process.stdout.write(`\n▶ ${scenario.name}: ${scenario.description}\n`);
  const ctx = scenarioContext(env, scenario.name);
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const outcome = await Promise.race([
      scenario.run(ctx),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`over its budget of ${scenario.budgetMs / 1000} s`)), scenario.budgetMs))),
    ]);
    return { name: scenario.name, description: scenario.description, durationMs: Date.now() - started, ok: outcome.problems.length === 0, ...outcome };
  } catch (err) {
    return {
      name: scenario.name, description: scenario.description, durationMs: Date.now() - started, ok: false,
      figures: emptyFigures(), problems: [`scenario aborted: ${(err as Error).message}`], findings: [], facts: {},
    };
  } finally {
    clearTimeout(timer);
    await ctx.close();
    // A scenario may leave the remote in another mode or Temporal down when it fails half-way.
    await env.remote.setMode({ mode: 'normal' }).catch(() => undefined);
    await env.temporal.start().catch(() => undefined);
  }
}

/**
 * Processes whose parent is this one once everything is stopped: none may be
 * left, except the `ps` asking and tsx's own esbuild helper of this process
 * (it exits with us when its stdin closes).
 */
function leftBehind(): string[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !/^\d+\s+ps\b/.test(l) && !/esbuild --service/.test(l));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const scenarios = SCENARIOS.filter((s) => !args.only || args.only.has(s.name));
  if (scenarios.length === 0) throw new Error(`no scenario matches --only (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  const startedAt = new Date();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-chaos-'));
  const logDir = path.join(tmp, 'logs');
  fs.mkdirSync(logDir);
  // Set once Temporal is up; the cleanup may run before that (a signal during start-up).
  const started: { temporal?: ChaosTemporal } = {};
  const cleanup = async (): Promise<void> => {
    await stopAll();
    await started.temporal?.close().catch(() => undefined);
  };
  installCleanup(cleanup, "chaos run's processes");
  const deadline = setTimeout(() => {
    process.stderr.write(`\nchaos: over the ${DEADLINE_MS / 1000} s deadline, stopping everything (logs in ${logDir})\n`);
    void cleanup().finally(() => process.exit(1));
  }, DEADLINE_MS);

  process.stdout.write(`chaos: ${scenarios.length} scenario(s), logs in ${logDir}\n`);
  const temporal = await startChaosTemporal(await freePort(), path.join(tmp, 'temporal.db'));
  started.temporal = temporal;
  const remote = await startRemote(path.join(logDir, 'remote.log'));
  const flowsDir = path.join(tmp, 'flows');
  writeChaosFlows(flowsDir, remote.url);
  const env: RunnerEnv = { temporal, remote, flowsDir, logDir };

  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const result = await runScenario(env, scenario);
    results.push(result);
    process.stdout.write(`  ${result.ok ? 'ok' : 'FAILED'} in ${(result.durationMs / 1000).toFixed(1)} s\n`);
  }
  await cleanup();
  clearTimeout(deadline);

  const remaining = leftBehind();
  const lost = results.reduce((sum, r) => sum + r.figures.lost, 0);
  const ok = results.every((r) => r.ok) && remaining.length === 0;
  process.stdout.write(`\n${summaryTable(results)}\n\n${details(results)}\n`);
  if (remaining.length > 0) process.stdout.write(`PROBLEM: processes left behind:\n  ${remaining.join('\n  ')}\n`);
  const file = writeJson(ROOT, startedAt, results, { ok, lost, durationMs: Date.now() - startedAt.getTime(), machine: { cpus: os.cpus().length, node: process.version }, leftBehind: remaining });
  process.stdout.write(`\nchaos: ${ok ? 'every accepted message accounted for' : 'FAILED'}; lost ${lost}; figures in ${path.relative(ROOT, file)}\n`);
  if (ok && !args.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else process.stdout.write(`chaos: logs kept in ${logDir}\n`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    process.stderr.write(`chaos: ${(err as Error)?.stack ?? String(err)}\n`);
    await stopAll();
    process.exit(1);
  },
);
