/**
 * What the chaos run sent and what it was told, per message (by its
 * Idempotency-Key, which is its message id): the ground truth the figures
 * are computed from.
 */

/** How the API answered one POST. */
export type Answer = 'accepted' | 'duplicate' | 'unavailable' | 'refused' | 'server-error' | 'no-answer';

export interface Tracked {
  key: string;
  flow: string;
  answers: Answer[];
}

export class Ledger {
  private readonly messages = new Map<string, Tracked>();
  private counter = 0;

  constructor(private readonly prefix: string) {}

  /** A fresh message id for this scenario (no ':' in it: the remote splits keys on it). */
  nextKey(): string {
    return `${this.prefix}-${String(++this.counter).padStart(4, '0')}-${Math.random().toString(36).slice(2, 8)}`;
  }

  record(key: string, flow: string, answer: Answer): void {
    const entry = this.messages.get(key) ?? { key, flow, answers: [] };
    entry.answers.push(answer);
    this.messages.set(key, entry);
  }

  all(): Tracked[] {
    return [...this.messages.values()];
  }

  /** Messages the caller was told are taken (202, or 200 for a known Idempotency-Key). */
  accepted(): Tracked[] {
    return this.all().filter((m) => m.answers.some((a) => a === 'accepted' || a === 'duplicate'));
  }

  notAccepted(): Tracked[] {
    return this.all().filter((m) => !m.answers.some((a) => a === 'accepted' || a === 'duplicate'));
  }

  answerCounts(): Record<Answer, number> {
    const counts: Record<Answer, number> = { accepted: 0, duplicate: 0, unavailable: 0, refused: 0, 'server-error': 0, 'no-answer': 0 };
    for (const m of this.all()) for (const a of m.answers) counts[a] += 1;
    return counts;
  }
}

function classify(status: number): Answer {
  if (status === 202) return 'accepted';
  if (status === 200) return 'duplicate';
  if (status === 503) return 'unavailable';
  if (status >= 500) return 'server-error';
  return 'refused';
}

/** POSTs one message; whatever happens is recorded, nothing is thrown. */
export async function sendMessage(apiUrl: string, ledger: Ledger, flow: string, key: string, opts: { timeoutMs?: number; onAnswer?: (answer: Answer) => void } = {}): Promise<Answer> {
  let answer: Answer;
  try {
    const res = await fetch(`${apiUrl}/api/v1/flows/${flow}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify({ ref: key, sentAt: new Date().toISOString() }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    });
    await res.arrayBuffer();
    answer = classify(res.status);
  } catch {
    // Refused, reset or timed out: the caller cannot know whether it was taken.
    answer = 'no-answer';
  }
  ledger.record(key, flow, answer);
  opts.onAnswer?.(answer);
  return answer;
}

/** Sends `keys` with at most `concurrency` requests in flight. */
export async function sendAll(apiUrl: string, ledger: Ledger, flow: string, keys: string[], concurrency: number): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < keys.length) await sendMessage(apiUrl, ledger, flow, keys[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, keys.length) }, lane));
}
