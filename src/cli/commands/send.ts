import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';

/**
 * `esb send FLOW [FILE|-]`: SmartESB's "trigger the flow from a command". It is
 * a plain client of the REST API (not of Temporal), so it works against any
 * running `esb dev`/`esb api`, local or remote, and sees exactly what a caller sees.
 */

export interface SendOptions {
  api: string;
  key?: string;
  /** Ingress API key (--api-key or ESB_API_KEY), sent as a Bearer token. */
  apiKey?: string;
  wait?: boolean;
  timeout: number;
}

interface Answer {
  status: number;
  headers: Headers;
  body: unknown;
}

type Json = Record<string, unknown>;

const POLL_INTERVAL_MS = 500;
const FINAL = new Set(['delivered', 'failed']);
/** Answers worth polling through: the API or Temporal is briefly unavailable. */
const TRANSIENT = new Set([502, 503, 504]);

export const EXIT = { ok: 0, error: 1, failed: 2 } as const;

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number of seconds');
  return n;
}

function defaultApi(): string {
  return `http://localhost:${process.env.PORT || 3000}`;
}

function readMessage(file: string): string {
  const source = file === '-' ? 'stdin' : file;
  if (file === '-' && process.stdin.isTTY) throw new Error('no message: give a JSON FILE, or pipe the message to stdin');
  let text: string;
  try {
    text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the message from ${source}: ${(err as Error).message}`);
  }
  // Checked here for a clear message naming the file; the raw text is what is sent.
  try {
    JSON.parse(text);
  } catch (err) {
    throw new Error(`the message in ${source} is not valid JSON: ${(err as Error).message}`);
  }
  return text;
}

function unreachable(url: string, err: unknown): Error {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if ((err as Error).name === 'TimeoutError') return new Error(`no answer from ${url} in time`);
  return new Error(`cannot reach the API at ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
}

async function request(url: string, init: RequestInit, deadline: number): Promise<Answer> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
  } catch (err) {
    throw unreachable(url, err);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON (a proxy's error page, say): shown as text
  }
  return { status: res.status, headers: res.headers, body };
}

function apiError(answer: Answer): string {
  const body = answer.body as Json | undefined;
  const error = typeof body?.error === 'string' ? body.error : typeof answer.body === 'string' ? answer.body.slice(0, 500) : JSON.stringify(answer.body);
  const details = body && typeof body === 'object' && 'details' in body ? `\ndetails: ${JSON.stringify(body.details, null, 2)}` : '';
  return `HTTP ${answer.status}: ${error}${details}`;
}

const line = (label: string, value: unknown): string => `${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`;

function describeError(err: unknown): string {
  const e = err as Json | undefined;
  if (!e) return 'none';
  const extras = [e.statusCode !== undefined ? `HTTP ${String(e.statusCode)}` : undefined, e.recoverable ? 'recoverable' : 'unrecoverable'].filter(Boolean);
  return `${String(e.type ?? 'Error')}: ${String(e.message)} (${extras.join(', ')})`;
}

function printOutcome(status: Json, out: NodeJS.WritableStream): void {
  out.write(line('status', status.status));
  out.write(line('attempts', status.attempts));
  if (status.lastError) out.write(line('lastError', describeError(status.lastError)));
  const callbacks = Array.isArray(status.callbacks) ? (status.callbacks as Json[]) : [];
  out.write(`callbacks:${callbacks.length === 0 ? ' none' : ''}\n`);
  for (const cb of callbacks) {
    const error = cb.lastError ? ` — ${describeError(cb.lastError)}` : '';
    out.write(`  ${String(cb.target)}: ${String(cb.status)} (${String(cb.attempts)} attempt${cb.attempts === 1 ? '' : 's'})${error}\n`);
  }
}

/** Polls the status link until the delivery is final; undefined when the deadline passes first. */
async function waitForOutcome(api: string, flow: string, messageId: string, deadline: number, err: NodeJS.WritableStream, auth: Record<string, string>): Promise<Json | undefined> {
  const url = `${api}/api/v1/messages/${encodeURIComponent(messageId)}?flow=${encodeURIComponent(flow)}`;
  let last: Json | undefined;
  while (Date.now() < deadline) {
    let answer: Answer | undefined;
    try {
      answer = await request(url, { headers: auth }, deadline);
    } catch (e) {
      if (Date.now() >= deadline) break;
      err.write(`esb send: ${(e as Error).message}; still trying\n`);
    }
    if (answer && answer.status === 200) {
      last = answer.body as Json;
      if (FINAL.has(String(last.status))) return last;
    } else if (answer && !TRANSIENT.has(answer.status)) {
      throw new Error(`reading the status failed: ${apiError(answer)}`);
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_INTERVAL_MS, Math.max(0, deadline - Date.now()))));
  }
  if (last) err.write(`esb send: last status ${String(last.status)}\n`);
  return undefined;
}

/** Sends the message and, with `wait`, follows it; returns the exit code. */
export async function sendMessage(flow: string, file: string, opts: SendOptions, out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const api = opts.api.replace(/\/+$/, '');
  const deadline = Date.now() + opts.timeout * 1000;
  const body = readMessage(file);
  const auth: Record<string, string> = opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {};
  const headers: Record<string, string> = { 'content-type': 'application/json', ...auth };
  if (opts.key !== undefined) headers['idempotency-key'] = opts.key;
  const answer = await request(`${api}/api/v1/flows/${encodeURIComponent(flow)}/messages`, { method: 'POST', headers, body }, deadline);
  const reply = (answer.body && typeof answer.body === 'object' ? answer.body : {}) as Json;
  // A sync flow answers 200 with the method's own response body; its id comes in a header.
  const messageId = typeof reply.messageId === 'string' ? reply.messageId : answer.headers.get('x-message-id') ?? undefined;
  const ok = answer.status >= 200 && answer.status < 300;
  // A sync failure (502) names its message: with --wait its outcome is reported like any failed delivery.
  const followable = ok || (answer.status === 502 && messageId !== undefined);
  if (!followable || (!ok && !opts.wait)) {
    err.write(`esb send: ${apiError(answer)}\n`);
    if (messageId) err.write(line('messageId', messageId));
    return EXIT.error;
  }
  if (messageId) out.write(line('messageId', messageId));
  if (typeof reply.links === 'object' && reply.links) {
    const links = reply.links as Json;
    out.write(line('status', reply.status ?? answer.status));
    if (reply.duplicate === true) out.write(line('duplicate', 'true (a message with this key already exists; nothing new was sent)'));
    out.write(line('status link', new URL(String(links.status), `${api}/`).toString()));
    if (typeof links.ui === 'string') out.write(line('ui', links.ui));
  } else {
    out.write(line('status', 'delivered (sync)'));
    out.write(line('response', answer.body ?? null));
  }
  if (!opts.wait) return EXIT.ok;
  if (!messageId) {
    err.write('esb send: the answer names no message id; nothing to wait for\n');
    return EXIT.error;
  }
  out.write(`waiting for the outcome (up to ${opts.timeout} s)...\n`);
  const outcome = await waitForOutcome(api, flow, messageId, deadline, err, auth);
  if (!outcome) {
    err.write(`esb send: no outcome within ${opts.timeout} s; the delivery goes on (see the status link)\n`);
    return EXIT.error;
  }
  printOutcome(outcome, out);
  return outcome.status === 'delivered' ? EXIT.ok : EXIT.failed;
}

export function registerSendCommand(program: Command): void {
  program
    .command('send')
    .description("post a message to a flow through the REST API (SmartESB's trigger from a command); exit 0 on acceptance or delivery, 2 if --wait saw it fail, 1 otherwise")
    .argument('<flow>', 'flow name')
    .argument('[file]', 'JSON message file, or - for stdin', '-')
    .option('--api <url>', 'base URL of the REST API (default http://localhost:$PORT, or 3000)')
    .option('--key <key>', 'Idempotency-Key: becomes the message id; sending it again delivers nothing new')
    .option('--api-key <key>', 'ingress API key (default: env ESB_API_KEY); prefer the variable, command lines show in ps')
    .option('--wait', 'wait for the delivery outcome and print it')
    .option('--timeout <seconds>', 'bound on the whole command, --wait included', parseSeconds, 60)
    .action(async (flow: string, file: string, flags: { api?: string; key?: string; apiKey?: string; wait?: boolean; timeout: number }) => {
      const apiKey = flags.apiKey ?? (process.env.ESB_API_KEY || undefined);
      process.exitCode = await sendMessage(flow, file, { api: flags.api ?? defaultApi(), key: flags.key, apiKey, wait: flags.wait, timeout: flags.timeout });
    });
}
