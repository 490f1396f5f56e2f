/**
 * Issue 6: the Temporal dev server stopped and started again on the same
 * port and SQLite file while messages keep coming, twice: SIGTERM (a clean
 * stop), then SIGKILL (a crash). While it is down the API must answer 503
 * (the caller knows the message was not taken: not accepted, not lost);
 * everything accepted completes afterwards, and the worker, which nobody
 * restarts, must reconnect by itself.
 */
import type { Answer } from '../ledger';
import { Ledger, sendMessage } from '../ledger';
import { sleep, waitFor, type Child } from '../../lib/processes';
import { commonProblems, type Scenario, type ScenarioContext } from '../scenario';
import { workerIdentity } from '../temporal';
import { account, settle } from '../verify';

const SEND_EVERY_MS = 100;
const UP_BEFORE_MS = 2000;
const DOWN_FOR_MS = 7000;
const UP_AFTER_MS = 3000;
/** How long the worker gets to poll again by itself before the run starts another (and reports it). */
const RECONNECT_GRACE_MS = 30_000;

type PhaseCounts = Record<string, Partial<Record<Answer, number>>>;

/** Sends one message every 100 ms (not waiting for answers) until stopped; answers are counted per phase. */
function steadySender(apiUrl: string, ledger: Ledger, phase: () => string) {
  const byPhase: PhaseCounts = {};
  const pending = new Set<Promise<unknown>>();
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      if (pending.size < 100) {
        const sentIn = phase();
        const p = sendMessage(apiUrl, ledger, 'steady', ledger.nextKey(), {
          onAnswer: (a) => {
            const counts = (byPhase[sentIn] ??= {});
            counts[a] = (counts[a] ?? 0) + 1;
          },
        });
        pending.add(p);
        void p.finally(() => pending.delete(p));
      }
      await sleep(SEND_EVERY_MS);
    }
  })();
  return {
    byPhase,
    async stop() {
      stopped = true;
      await loop;
      await Promise.all(pending);
    },
  };
}

interface Outage {
  signal: 'SIGTERM' | 'SIGKILL';
  downMs: number;
  healthWhileDown: number[];
  workerReconnectedByItself: boolean;
  reconnectMs?: number;
}

/** One outage: stop Temporal, probe /healthz while it is down, start it again, wait for the worker to poll. */
async function outage(ctx: ScenarioContext, apiUrl: string, worker: Child, signal: Outage['signal'], setPhase: (p: string) => void): Promise<Outage> {
  setPhase(`down (${signal})`);
  const downAt = Date.now();
  await ctx.temporal.stop(signal);
  ctx.log(`Temporal ${signal}ed`);
  const health: number[] = [];
  while (Date.now() - downAt < DOWN_FOR_MS) {
    health.push(await fetch(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(5000) }).then((r) => r.status, () => 0));
    await sleep(1000);
  }
  setPhase(`restarting (${signal})`);
  await ctx.temporal.start();
  const upAt = Date.now();
  setPhase(`after (${signal})`);
  ctx.log(`Temporal back after ${upAt - downAt} ms`);
  const identity = workerIdentity(worker.pid);
  const reconnected = await waitFor(
    'the worker to poll again',
    async () => ((await ctx.temporal.pollers(ctx.taskQueue)).some((p) => p.identity === identity && p.lastAccessMs >= upAt - 1000) ? true : undefined),
    RECONNECT_GRACE_MS,
    () => {
      if (!worker.alive()) throw new Error('worker exited');
    },
  ).then(() => true, () => false);
  const reconnectMs = reconnected ? Date.now() - upAt : undefined;
  ctx.log(reconnected ? `worker polling again ${reconnectMs} ms after Temporal's return` : 'the worker did not poll again');
  await sleep(UP_AFTER_MS);
  return { signal, downMs: upAt - downAt, healthWhileDown: health, workerReconnectedByItself: reconnected, reconnectMs };
}

export const temporalRestart: Scenario = {
  name: 'temporal-restart',
  description: `Temporal dev server SIGTERMed, later SIGKILLed, each time for ${DOWN_FOR_MS / 1000} s, restarted on the same port and DB file; a message every ${SEND_EVERY_MS} ms throughout`,
  budgetMs: 150_000,
  async run(ctx) {
    await ctx.remote.setMode({ mode: 'normal' });
    const started = await Promise.all([ctx.startWorker('A'), ctx.startApi('api')]);
    const ledger = new Ledger('tr');
    let phase = 'before';
    let worker = started[0];
    const api = started[1];
    const sender = steadySender(api.url, ledger, () => phase);
    await sleep(UP_BEFORE_MS);

    const outages: Outage[] = [];
    const findings: string[] = [];
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const o = await outage(ctx, api.url, worker, signal, (p) => (phase = p));
      outages.push(o);
      if (!o.workerReconnectedByItself) {
        findings.push(
          worker.alive()
            ? `after the ${signal} outage the worker did not poll again within ${RECONNECT_GRACE_MS / 1000} s; a new worker was started to finish the check`
            : `the worker process exited during the ${signal} outage (${await worker.exited}); a new worker was started to finish the check. Its last lines: ${worker.tail().split('\n').slice(-3).join(' | ')}`,
        );
        worker = await ctx.startWorker(`after-${signal}`);
      }
    }
    await sender.stop();
    await settle(ctx.temporal, ctx.taskQueue, 90_000);
    const { figures, problems } = await account({ apiUrl: api.url, ledger, remote: ctx.remote });

    const checks = [...problems, ...commonProblems(figures)];
    for (const o of outages) {
      const down = sender.byPhase[`down (${o.signal})`] ?? {};
      if ((down.unavailable ?? 0) === 0) checks.push(`no 503 while Temporal was down (${o.signal}): ${JSON.stringify(down)}`);
      if (!o.healthWhileDown.includes(503)) checks.push(`/healthz never answered 503 while Temporal was down (${o.signal}): ${o.healthWhileDown.join(', ')}`);
      if ((sender.byPhase[`after (${o.signal})`]?.accepted ?? 0) === 0) checks.push(`nothing accepted after Temporal came back (${o.signal})`);
    }
    if (figures.answers['no-answer'] > 0) checks.push(`${figures.answers['no-answer']} request(s) got no answer within 15 s`);
    if (figures.delivered !== figures.accepted) checks.push(`${figures.accepted - figures.delivered} accepted message(s) not delivered`);
    return { figures, problems: checks, findings, facts: { outages, answersByPhase: sender.byPhase } };
  },
};
