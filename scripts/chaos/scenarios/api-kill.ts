/**
 * Issue 6: the API process SIGKILLed right after it answered 202 (while
 * other requests are on their way): the 202 came only once Temporal had
 * recorded the start, so that message is still delivered. Requests cut off
 * by the kill got no answer; the caller sends them again with the same
 * Idempotency-Key to a new API, which never delivers twice.
 */
import { Ledger, sendMessage } from '../ledger';
import { commonProblems, type Scenario } from '../scenario';
import { account, settle } from '../verify';

const ROUNDS = 2;
const PER_ROUND = 25;

export const apiKill: Scenario = {
  name: 'api-kill',
  description: `API SIGKILLed on its first 202 with ${PER_ROUND} requests in flight, ${ROUNDS} times; unanswered ones re-sent with the same Idempotency-Key`,
  budgetMs: 120_000,
  async run(ctx) {
    await ctx.remote.setMode({ mode: 'normal' });
    await ctx.startWorker('A');
    const ledger = new Ledger('ak');
    const killedRightAfter: string[] = [];
    const rounds: Array<{ accepted: number; unanswered: number }> = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      const api = await ctx.startApi(`api${round}`);
      let killed = false;
      const keys = Array.from({ length: PER_ROUND }, () => ledger.nextKey());
      const answers = await Promise.all(
        keys.map((key) =>
          sendMessage(api.url, ledger, 'steady', key, {
            onAnswer: (a) => {
              if (a !== 'accepted' || killed) return;
              killed = true;
              killedRightAfter.push(key);
              void api.child.crash();
            },
          }),
        ),
      );
      await api.child.crash();
      rounds.push({ accepted: answers.filter((a) => a === 'accepted').length, unanswered: answers.filter((a) => a === 'no-answer').length });
      ctx.log(`round ${round}: API killed after its first 202; ${rounds[round - 1].accepted} accepted, ${rounds[round - 1].unanswered} without answer`);
    }

    const api = await ctx.startApi('final');
    const resend = ledger.notAccepted();
    await Promise.all(resend.map((m) => sendMessage(api.url, ledger, m.flow, m.key)));
    const resent = { accepted: 0, duplicate: 0, other: 0 };
    for (const m of resend) {
      const last = m.answers[m.answers.length - 1];
      if (last === 'accepted') resent.accepted += 1;
      else if (last === 'duplicate') resent.duplicate += 1;
      else resent.other += 1;
    }
    ctx.log(`re-sent ${resend.length} unanswered: ${resent.accepted} new, ${resent.duplicate} already started (200 duplicate)`);
    await settle(ctx.temporal, ctx.taskQueue, 60_000);
    const { figures, problems } = await account({ apiUrl: api.url, ledger, remote: ctx.remote });

    const checks = [...problems, ...commonProblems(figures)];
    if (killedRightAfter.length !== ROUNDS) checks.push(`the API was killed after a 202 in ${killedRightAfter.length} of ${ROUNDS} rounds`);
    if (figures.accepted !== figures.sent) checks.push(`${figures.sent - figures.accepted} message(s) never accepted, even re-sent`);
    if (figures.delivered !== figures.accepted) checks.push(`${figures.accepted - figures.delivered} accepted message(s) not delivered`);
    if (figures.duplicates > 0) checks.push(`${figures.duplicates} message(s) delivered twice although their key was re-sent to the API (the workflow id must de-duplicate)`);
    return { figures, problems: checks, findings: [], facts: { rounds, killedRightAfter202: killedRightAfter, resent } };
  },
};
