/**
 * Issue 6: a worker SIGKILLed while 200 deliveries are in flight against a
 * slow remote (300 ms per request); a new worker starts. Every message must
 * be delivered and called back; requests the dead worker had sent are sent
 * again with the same Idempotency-Key (the remote counts them as duplicates).
 */
import { Ledger, sendAll } from '../ledger';
import { DELIVER_PATH } from '../flows';
import { waitFor } from '../../lib/processes';
import { commonProblems, type Scenario } from '../scenario';
import { account, settle } from '../verify';

const MESSAGES = 200;
const REMOTE_DELAY_MS = 300;

export const workerKill: Scenario = {
  name: 'worker-kill',
  description: `worker SIGKILLed with deliveries in flight (${MESSAGES} messages, remote ${REMOTE_DELAY_MS} ms/request), new worker started`,
  budgetMs: 150_000,
  async run(ctx) {
    await ctx.remote.setMode({ mode: 'slow', delayMs: REMOTE_DELAY_MS });
    const [first, api] = await Promise.all([ctx.startWorker('A'), ctx.startApi('api')]);
    const ledger = new Ledger('wk');
    const keys = Array.from({ length: MESSAGES }, () => ledger.nextKey());
    const mine = new Set(keys);
    ctx.log(`sending ${MESSAGES} messages`);
    const sending = sendAll(api.url, ledger, 'steady', keys, 20);

    // Kill mid-run: once a fair share has reached the remote and some of its requests are unanswered.
    // On two cores the bus moves ~5-10 deliveries/s, so a handful of requests are in flight at any moment.
    const atKill = await waitFor(
      'deliveries in flight',
      async () => {
        const { requests, inFlight } = await ctx.remote.report();
        const received = requests.filter((r) => r.path === DELIVER_PATH && mine.has(r.ref)).length;
        return received >= 40 && (inFlight >= 2 || received >= 120) ? { inFlight, received } : undefined;
      },
      90_000,
      undefined,
      50,
    );
    await first.crash();
    ctx.log(`worker A SIGKILLed with ${atKill.inFlight} requests in flight at the remote, ${atKill.received} of ${MESSAGES} received so far`);
    await sending;
    const restartedAt = Date.now();
    await ctx.startWorker('B');
    const newWorkerReadyMs = Date.now() - restartedAt;
    ctx.log(`worker B polling after ${newWorkerReadyMs} ms; waiting for every delivery and callback`);
    await settle(ctx.temporal, ctx.taskQueue, 120_000);
    const { figures, problems } = await account({ apiUrl: api.url, ledger, remote: ctx.remote });
    await ctx.remote.setMode({ mode: 'normal' });

    const checks = [...problems, ...commonProblems(figures)];
    if (figures.accepted !== MESSAGES) checks.push(`${MESSAGES - figures.accepted} message(s) not accepted with Temporal up`);
    if (figures.delivered !== figures.accepted) checks.push(`${figures.accepted - figures.delivered} accepted message(s) not delivered`);
    return {
      figures,
      problems: checks,
      findings: [],
      facts: { requestsInFlightAtKill: atKill.inFlight, messagesUndeliveredAtKill: MESSAGES - atKill.received, newWorkerReadyMs },
    };
  },
};
