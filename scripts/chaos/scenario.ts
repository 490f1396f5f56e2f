/**
 * What a chaos scenario is given and what it gives back. The runner owns
 * Temporal and the remote; a scenario starts its own workers and APIs (on a
 * task queue of its own) through the context, which stops them afterwards.
 */
import { startApi, startWorker, type ApiProcess, type EsbEnv } from './esb';
import type { Child } from '../lib/processes';
import type { Remote } from './remote';
import type { ChaosTemporal } from './temporal';
import type { Figures } from './verify';

export interface ScenarioContext {
  temporal: ChaosTemporal;
  remote: Remote;
  taskQueue: string;
  startWorker(label: string): Promise<Child>;
  startApi(label: string): Promise<ApiProcess>;
  log(message: string): void;
}

export interface ScenarioOutcome {
  figures: Figures;
  /** Broken promises: any makes the run fail. */
  problems: string[];
  /** Weaknesses worth knowing that broke no promise. */
  findings: string[];
  /** Measurements particular to the scenario (in-flight at the kill, 503s while down, ...). */
  facts: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  description: string;
  /** Upper bound on the scenario's run; past it, it fails. */
  budgetMs: number;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}

export interface ScenarioResult extends ScenarioOutcome {
  name: string;
  description: string;
  durationMs: number;
  ok: boolean;
}

export interface RunnerEnv {
  temporal: ChaosTemporal;
  remote: Remote;
  flowsDir: string;
  logDir: string;
}

/** A context whose processes are stopped by `close()`. */
export function scenarioContext(env: RunnerEnv, scenario: string): ScenarioContext & { close(): Promise<void> } {
  const taskQueue = `chaos-${scenario}-${Date.now().toString(36)}`;
  const esbEnv: EsbEnv = { temporal: env.temporal, taskQueue, flowsDir: env.flowsDir, logDir: env.logDir };
  const children: Child[] = [];
  const started = Date.now();
  return {
    temporal: env.temporal,
    remote: env.remote,
    taskQueue,
    async startWorker(label) {
      const child = await startWorker(esbEnv, `${scenario}-${label}`);
      children.push(child);
      return child;
    },
    async startApi(label) {
      const api = await startApi(esbEnv, `${scenario}-${label}`);
      children.push(api.child);
      return api;
    },
    log(message) {
      process.stdout.write(`  [${scenario} +${((Date.now() - started) / 1000).toFixed(1)}s] ${message}\n`);
    },
    async close() {
      await Promise.all(children.map((c) => c.stop()));
    },
  };
}

/** Problems every scenario checks the same way. */
export function commonProblems(f: Figures): string[] {
  const problems: string[] = [];
  if (f.lost > 0) problems.push(`${f.lost} accepted message(s) lost`);
  if (f.callbacksMissing > 0) problems.push(`${f.callbacksMissing} callback(s) missing`);
  if (f.keyMismatches > 0) problems.push(`${f.keyMismatches} repeated request(s) with another Idempotency-Key`);
  if (f.answers['server-error'] > 0) problems.push(`${f.answers['server-error']} answer(s) 5xx other than 503: the caller cannot tell whether the message was taken`);
  return problems;
}
