import { formatDuration } from './durations';
import { compileInputSchema } from './input-schema';
import type { Entry } from './merge';
import { durationMs } from './methods';
import { isPlainObject } from './plain';
import type { DocPath } from './positions';
import { knownList, type Reporter, type Site } from './problems';
import type { CallbackWhen, FlowDefinition, FlowMode, MethodRef, RetrySettings } from './types';

/**
 * Defaults. SmartESB retries a failing message `retries_max` = 5 times after the
 * first attempt, hence 6 attempts; delays grow from 1 s, doubling, capped at 1 m.
 */
export const DEFAULT_RETRY: Readonly<RetrySettings> = Object.freeze({ maxAttempts: 6, initialIntervalMs: 1000, backoff: 2, maxIntervalMs: 60_000 });
export const DEFAULT_DELIVERY_TIMEOUT_MS = 5 * 60_000;

/** Producer name -> its method names (null when the producer's methods are unreadable). */
export type KnownMethods = Map<string, string[] | null>;

type Raw = Record<string, unknown>;

interface FlowContext {
  site: Site;
  reporter: Reporter;
}

export function buildFlow(entry: Entry, known: KnownMethods, reporter: Reporter): FlowDefinition {
  const raw = entry.value as Raw;
  const ctx: FlowContext = { site: entry, reporter };
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(entry.name)) {
    reporter.error(entry, [], `flow name '${entry.name}' must be letters, digits, '_', '-' or '.' (it appears in URLs and workflow ids)`, 'key');
  }
  const deliver = raw.deliver as Raw;
  const flow: FlowDefinition = {
    name: entry.name,
    mode: (raw.mode ?? 'async') as FlowMode,
    deliver: {
      to: methodRef(deliver.to, ['deliver', 'to'], known, ctx),
      retry: buildRetry(isPlainObject(deliver.retry) ? deliver.retry : {}, ctx),
      timeoutMs: deliver.timeout === undefined ? DEFAULT_DELIVERY_TIMEOUT_MS : durationMs(deliver.timeout, ['deliver', 'timeout'], ctx) ?? DEFAULT_DELIVERY_TIMEOUT_MS,
    },
  };
  if (typeof raw.description === 'string') flow.description = raw.description;
  if (raw.input_schema !== undefined) flow.inputSchema = checkInputSchema(raw.input_schema, ctx);
  if (isPlainObject(raw.callback)) flow.callback = buildCallback(raw.callback, known, ctx);
  return flow;
}

function buildCallback(raw: Raw, known: KnownMethods, ctx: FlowContext): NonNullable<FlowDefinition['callback']> {
  const targets = Array.isArray(raw.to) ? raw.to : [raw.to];
  const path = (i: number): DocPath => (Array.isArray(raw.to) ? ['callback', 'to', i] : ['callback', 'to']);
  return {
    to: targets.map((t, i) => methodRef(t, path(i), known, ctx)),
    mode: (raw.mode ?? 'async') as FlowMode,
    when: (raw.when ?? 'always') as CallbackWhen,
  };
}

/** Parses `producer.method` or SmartESB's `rest://producer/method`. */
export function parseMethodRef(text: string): MethodRef | null {
  const rest = /^rest:\/\/([^/\s]+)\/([^/.\s]+)$/.exec(text);
  if (rest) return { producer: rest[1], method: rest[2] };
  // The last dot splits: method names have no dots, producer names may.
  const dot = /^([^/\s]+)\.([^/.\s]+)$/.exec(text);
  return dot ? { producer: dot[1], method: dot[2] } : null;
}

function methodRef(value: unknown, path: DocPath, known: KnownMethods, ctx: FlowContext): MethodRef {
  const text = String(value);
  const ref = parseMethodRef(text);
  if (!ref) {
    ctx.reporter.error(ctx.site, path, `'${text}' is not a method reference: write producer.method (or rest://producer/method)`);
    return { producer: text, method: '' };
  }
  const methods = known.get(ref.producer);
  if (methods === undefined) {
    ctx.reporter.error(ctx.site, path, `unknown producer '${ref.producer}' (${knownList(known.keys())})`);
  } else if (methods !== null && !methods.includes(ref.method)) {
    ctx.reporter.error(ctx.site, path, `unknown method '${ref.method}' of producer '${ref.producer}' (${knownList(methods)})`);
  }
  return ref;
}

function buildRetry(raw: Raw, ctx: FlowContext): RetrySettings {
  const at = (key: string): DocPath => ['deliver', 'retry', key];
  const both = (ours: string, smartesb: string): boolean => {
    if (raw[ours] === undefined || raw[smartesb] === undefined) return false;
    ctx.reporter.error(ctx.site, at(smartesb), `use either ${ours} or SmartESB's ${smartesb}, not both`, 'key');
    return true;
  };
  const retry: RetrySettings = { ...DEFAULT_RETRY };
  if (!both('max_attempts', 'retries_max')) {
    if (typeof raw.max_attempts === 'number') retry.maxAttempts = raw.max_attempts;
    if (typeof raw.retries_max === 'number') retry.maxAttempts = raw.retries_max + 1;
  }
  if (!both('initial_interval', 'retry_delay')) {
    if (raw.initial_interval !== undefined) retry.initialIntervalMs = durationMs(raw.initial_interval, at('initial_interval'), ctx) ?? retry.initialIntervalMs;
    // SmartESB's retry_delay 0 means "no delay"; a retry needs a positive one, so keep the default.
    if (raw.retry_delay !== undefined && Number(raw.retry_delay) !== 0) {
      retry.initialIntervalMs = durationMs(raw.retry_delay, at('retry_delay'), ctx) ?? retry.initialIntervalMs;
    }
  }
  if (!both('backoff', 'progressive')) {
    if (typeof raw.backoff === 'number') retry.backoff = raw.backoff;
    if (typeof raw.progressive === 'boolean') retry.backoff = raw.progressive ? 2 : 1;
  }
  retry.maxIntervalMs = Math.max(DEFAULT_RETRY.maxIntervalMs, retry.initialIntervalMs);
  if (raw.max_interval !== undefined) {
    const max = durationMs(raw.max_interval, at('max_interval'), ctx);
    if (max !== undefined && max < retry.initialIntervalMs) {
      ctx.reporter.error(ctx.site, at('max_interval'), `max_interval (${formatDuration(max)}) is shorter than the initial interval (${formatDuration(retry.initialIntervalMs)})`);
    }
    retry.maxIntervalMs = max ?? retry.maxIntervalMs;
  }
  return retry;
}

function checkInputSchema(schema: unknown, ctx: FlowContext): Record<string, unknown> | boolean {
  const value = schema as Record<string, unknown> | boolean;
  try {
    compileInputSchema(value);
  } catch (err) {
    ctx.reporter.error(ctx.site, ['input_schema'], `input_schema is not a valid JSON Schema: ${(err as Error).message}`);
  }
  return value;
}
