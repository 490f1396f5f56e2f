/**
 * Issue 6: the remote system down (connection refused) for a while, then
 * back: the retries deliver. With the retries exhausted (a flow with three
 * quick attempts) the message is in the failed store, and `retry` delivers it
 * once the remote is back.
 */
import { Ledger, sendAll } from '../ledger';
import { sleep, waitFor } from '../../lib/processes';
import { commonProblems, type Scenario } from '../scenario';
import { account, settle } from '../verify';

const PATIENT = 30;
const EXHAUSTED = 10;
const DOWN_FOR_MS = 6000;

export const remoteDown: Scenario = {
  name: 'remote-down',
  description: `remote refusing connections for ${DOWN_FOR_MS / 1000} s (${PATIENT} messages, retried until it is back); ${EXHAUSTED} more with retries exhausted, then retried from the failed store`,
  budgetMs: 120_000,
  async run(ctx) {
    const [, api] = await Promise.all([ctx.startWorker('A'), ctx.startApi('api')]);
    const ledger = new Ledger('rd');
    const checks: string[] = [];

    await ctx.remote.setMode({ mode: 'refuse' });
    const patient = Array.from({ length: PATIENT }, () => ledger.nextKey());
    await sendAll(api.url, ledger, 'steady', patient, 10);
    const downAt = Date.now();
    const retrying = await waitFor(
      'a message reported as retrying',
      async () => {
        const res = await fetch(`${api.url}/api/v1/messages/${patient[0]}?flow=steady`);
        const body = (await res.json()) as { status?: string; lastError?: { type?: string } };
        return body.status === 'retrying' ? body : undefined;
      },
      DOWN_FOR_MS,
    ).catch(() => undefined);
    if (!retrying) checks.push('no message reported `retrying` while the remote refused connections');
    await sleep(Math.max(0, DOWN_FOR_MS - (Date.now() - downAt)));
    await ctx.remote.setMode({ mode: 'normal' });
    ctx.log(`remote back after ${Date.now() - downAt} ms`);
    await settle(ctx.temporal, ctx.taskQueue, 60_000);

    // Retries exhausted while the remote is down: failed store, then retry.
    await ctx.remote.setMode({ mode: 'refuse' });
    const exhausted = Array.from({ length: EXHAUSTED }, () => ledger.nextKey());
    await sendAll(api.url, ledger, 'fragile', exhausted, 10);
    await settle(ctx.temporal, ctx.taskQueue, 60_000);
    const listed = await fetch(`${api.url}/api/v1/messages?status=failed&flow=fragile&limit=1000`).then((r) => r.json() as Promise<{ messages: Array<{ messageId: string }> }>);
    const inStore = exhausted.filter((key) => listed.messages.some((m) => m.messageId === key)).length;
    if (inStore !== EXHAUSTED) checks.push(`${EXHAUSTED - inStore} exhausted message(s) missing from the failed store`);
    await ctx.remote.setMode({ mode: 'normal' });
    const retried: Record<number, number> = {};
    for (const key of exhausted) {
      const res = await fetch(`${api.url}/api/v1/messages/${key}/retry?flow=fragile`, { method: 'POST' });
      await res.arrayBuffer();
      retried[res.status] = (retried[res.status] ?? 0) + 1;
    }
    if (retried[202] !== EXHAUSTED) checks.push(`retry answered ${JSON.stringify(retried)}, not 202 for each`);
    ctx.log(`${inStore} in the failed store, retried: ${JSON.stringify(retried)}`);
    await settle(ctx.temporal, ctx.taskQueue, 60_000);

    const { figures, problems } = await account({ apiUrl: api.url, ledger, remote: ctx.remote });
    checks.push(...problems, ...commonProblems(figures));
    if (figures.delivered !== PATIENT + EXHAUSTED) checks.push(`${PATIENT + EXHAUSTED - figures.delivered} message(s) not delivered in the end`);
    return {
      figures,
      problems: checks,
      findings: [],
      facts: { retryingSeen: retrying ? { status: retrying.status, lastError: retrying.lastError?.type } : false, exhaustedInFailedStore: inStore, retryAnswers: retried },
    };
  },
};
