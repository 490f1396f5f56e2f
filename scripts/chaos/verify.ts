/**
 * After a scenario: wait until Temporal has no workflow of the scenario's
 * queue still running, then account for every message: delivered (the API
 * says so and the remote received it), failed (the API says so and it is in
 * the failed store), or lost. The remote's records give callbacks and
 * duplicates (one Idempotency-Key received more than once).
 */
import { CALLBACK_PATH, DELIVER_PATH } from './flows';
import type { Answer, Ledger, Tracked } from './ledger';
import { waitFor } from '../lib/processes';
import type { ReceivedRequest } from './remote-protocol';
import type { Remote } from './remote';
import type { ChaosTemporal } from './temporal';

export interface Figures {
  sent: number;
  accepted: number;
  /** Answered 503 or not at all: the caller knows the message was not taken. */
  notAccepted: number;
  delivered: number;
  failed: number;
  /** Accepted, but neither delivered nor in the failed store. Must be 0. */
  lost: number;
  /** Messages whose delivery request reached the remote more than once (same Idempotency-Key). */
  duplicates: number;
  /** Extra delivery requests the remote received beyond the first per message. */
  duplicateRequests: number;
  /** Settled messages that should have been called back and were not. */
  callbacksMissing: number;
  /** Callbacks received more than once (same Idempotency-Key). */
  callbackDuplicates: number;
  /** Repeated requests for one message that carried a different Idempotency-Key. Must be 0. */
  keyMismatches: number;
  /** Not accepted, delivered anyway (the start was recorded but its answer was lost): the caller's retry with the same key is a duplicate, not a second delivery. */
  unacknowledgedDelivered: number;
  answers: Record<Answer, number>;
}

export interface Accounting {
  figures: Figures;
  /** Up to 10 examples of what went wrong, for the report. */
  problems: string[];
}

/**
 * Waits until no workflow of the queue is running (deliveries and their
 * callbacks). Visibility lags a start a little, so "none running" must hold
 * on two reads a second apart.
 */
export async function settle(temporal: ChaosTemporal, taskQueue: string, timeoutMs: number): Promise<void> {
  let quietSince: number | undefined;
  await waitFor(
    `every workflow on ${taskQueue} to close`,
    async () => {
      if ((await temporal.count(taskQueue, "ExecutionStatus = 'Running'")) > 0) return (quietSince = undefined);
      quietSince ??= Date.now();
      return Date.now() - quietSince >= 1000 ? true : undefined;
    },
    timeoutMs,
  );
}

const FINAL = new Set(['delivered', 'failed']);

/** The API's status of a message; a non-final one is read again for a while before it counts. */
async function statusOf(apiUrl: string, m: Tracked): Promise<string> {
  let last = 'unread';
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${apiUrl}/api/v1/messages/${m.key}?flow=${m.flow}`, { signal: AbortSignal.timeout(10_000) });
      const body = (await res.json()) as { status?: string };
      last = res.status === 200 ? String(body.status) : `HTTP ${res.status}`;
    } catch (err) {
      last = `unreadable (${(err as Error).message})`;
    }
    if (FINAL.has(last)) return last;
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

async function failedStore(apiUrl: string, flows: string[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const flow of flows) {
    const res = await fetch(`${apiUrl}/api/v1/messages?status=failed&flow=${flow}&limit=1000`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { messages?: Array<{ messageId: string }> };
    for (const m of body.messages ?? []) ids.add(m.messageId);
  }
  return ids;
}

function byKey(requests: ReceivedRequest[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of requests) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  return counts;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

export interface AccountOptions {
  apiUrl: string;
  ledger: Ledger;
  remote: Remote;
  /** Whether a callback must have reached the remote for this settled message. */
  expectCallback?: (m: Tracked, status: string) => boolean;
}

export async function account(opts: AccountOptions): Promise<Accounting> {
  const { ledger, apiUrl } = opts;
  const { requests } = await opts.remote.report();
  const mine = new Set(ledger.all().map((m) => m.key));
  const deliveries = requests.filter((r) => r.path === DELIVER_PATH && mine.has(r.ref));
  const callbacks = requests.filter((r) => r.path === CALLBACK_PATH && mine.has(r.ref));
  const deliveredRefs = new Set(deliveries.map((r) => r.ref));
  const calledBack = new Set(callbacks.map((r) => r.ref));
  const accepted = ledger.accepted();
  const statuses = await mapLimit(accepted, 8, (m) => statusOf(apiUrl, m));
  const store = await failedStore(apiUrl, [...new Set(accepted.map((m) => m.flow))]);
  const problems: string[] = [];
  const note = (text: string): void => void (problems.length < 10 && problems.push(text));

  let delivered = 0;
  let failed = 0;
  let lost = 0;
  let callbacksMissing = 0;
  accepted.forEach((m, i) => {
    const status = statuses[i];
    if (status === 'delivered' && deliveredRefs.has(m.key)) delivered += 1;
    else if (status === 'failed' && store.has(m.key)) failed += 1;
    else {
      lost += 1;
      note(`lost ${m.key} (${m.flow}): status ${status}, remote ${deliveredRefs.has(m.key) ? 'received it' : 'never received it'}, failed store ${store.has(m.key) ? 'has it' : 'does not have it'}`);
      return;
    }
    const wanted = opts.expectCallback ? opts.expectCallback(m, status) : true;
    if (wanted && !calledBack.has(m.key)) {
      callbacksMissing += 1;
      note(`no callback for ${m.key} (${status})`);
    }
  });

  const deliveryCounts = byKey(deliveries);
  // The keys the README promises: <messageId>:<request name>, and <messageId>:callback:<name> for callbacks.
  const keyMismatches = deliveries.filter((r) => r.key !== `${r.ref}:deliver`).length + callbacks.filter((r) => r.key !== `${r.ref}:callback:callback`).length;
  if (keyMismatches > 0) note(`${keyMismatches} request(s) carried an Idempotency-Key other than <messageId>:deliver or <messageId>:callback:callback`);
  const figures: Figures = {
    sent: ledger.all().length,
    accepted: accepted.length,
    notAccepted: ledger.notAccepted().length,
    delivered,
    failed,
    lost,
    duplicates: [...deliveryCounts.values()].filter((n) => n > 1).length,
    duplicateRequests: [...deliveryCounts.values()].reduce((sum, n) => sum + n - 1, 0),
    callbacksMissing,
    callbackDuplicates: [...byKey(callbacks).values()].filter((n) => n > 1).length,
    keyMismatches,
    unacknowledgedDelivered: ledger.notAccepted().filter((m) => deliveredRefs.has(m.key)).length,
    answers: ledger.answerCounts(),
  };
  return { figures, problems };
}
