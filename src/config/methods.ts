import { isEvalString } from '../expressions';
import { parseDuration } from './durations';
import { hasPlaceholder } from './placeholders';
import { isPlainObject, setOwn } from './plain';
import type { DocPath } from './positions';
import type { Reporter, Site } from './problems';
import { splitHeaders } from './secrets';
import type { HttpMethod, MethodDefinition, RequestStep, StepDefinition, ValidationDefinition } from './types';

/**
 * Turns one structurally valid method (checked by the JSON Schema already) into
 * the typed model. Secret request headers are handed to `secretHeaders`.
 */
export interface MethodContext {
  site: Site;
  reporter: Reporter;
  /** Receives `{ secret }` headers of a request step: request name -> header -> raw. */
  secretHeaders: Record<string, Record<string, string>>;
  /** Load-time check of one raw secret at its path (relative to the method). */
  checkSecret: (raw: string, path: DocPath) => void;
}

type Raw = Record<string, unknown>;

export function buildMethod(name: string, raw: Raw, ctx: MethodContext): MethodDefinition {
  const steps = (raw.steps as unknown[]).map((step, i) => buildStep(step as Raw, ['steps', i], ctx));
  const validations = asList(raw.validations).map((v, i) => buildValidation(v as Raw, ['validations', i], ctx));
  warnDuplicateRequestNames(steps, ctx);
  const method: MethodDefinition = { name, description: String(raw.description), steps, validations };
  if (isPlainObject(raw.response)) {
    method.response = pick(raw.response, ['body', 'headers']);
  }
  return method;
}

function buildStep(step: Raw, path: DocPath, ctx: MethodContext): StepDefinition {
  const [type, params] = Object.entries(step)[0] as [string, unknown];
  const at = [...path, type];
  if (type === 'define') return { type: 'define', variables: { ...(params as Raw) } };
  if (type === 'validate') return { type: 'validate', ...buildValidation(params as Raw, at, ctx) };
  return buildRequest(params as Raw, at, ctx);
}

function buildRequest(raw: Raw, path: DocPath, ctx: MethodContext): RequestStep {
  const step: RequestStep = {
    type: 'request',
    name: String(raw.name),
    httpMethod: raw.http_method as HttpMethod,
    uri: String(raw.uri),
    body: raw.body ?? null,
    validations: asList(raw.validations).map((v, i) => buildValidation(v as Raw, [...path, 'validations', i], ctx)),
  };
  if (raw.query !== undefined && raw.query !== null) step.query = raw.query;
  if (typeof raw.base_uri === 'string') step.baseUri = raw.base_uri;
  if (typeof raw.headers === 'string') step.headers = raw.headers;
  if (isPlainObject(raw.headers)) {
    const { plain, secret } = splitHeaders(raw.headers);
    step.headers = plain;
    if (Object.keys(secret).length > 0) {
      setOwn(ctx.secretHeaders, step.name, { ...ctx.secretHeaders[step.name], ...secret });
    }
    for (const [header, value] of Object.entries(secret)) ctx.checkSecret(value, [...path, 'headers', header, 'secret']);
  }
  if (raw.timeout !== undefined) {
    const ms = durationMs(raw.timeout, [...path, 'timeout'], ctx);
    if (ms !== undefined) step.timeoutMs = ms;
  }
  if (step.httpMethod === 'GET' && step.query === undefined && step.body !== null) {
    ctx.reporter.warn(ctx.site, [...path, 'body'], 'a GET request sends no body: use query for its parameters');
  }
  return step;
}

function buildValidation(raw: Raw, path: DocPath, ctx: MethodContext): ValidationDefinition {
  const rule = raw.rule;
  if (typeof rule === 'string' && !isEvalString(rule)) {
    ctx.reporter.warn(ctx.site, [...path, 'rule'], `rule '${rule}' is not an 'eval: ' expression, so it is a constant string`);
  }
  const validation: ValidationDefinition = {
    rule: typeof rule === 'boolean' ? `eval: ${String(rule)}` : String(rule),
    recoverable: raw.recoverable === true,
    displayMessage: raw.display_message === true,
  };
  if (typeof raw.message === 'string') validation.message = raw.message;
  return validation;
}

/** A duration in ms, reporting a bad one (unless a placeholder error was already reported). */
export function durationMs(value: unknown, path: DocPath, ctx: { site: Site; reporter: Reporter }): number | undefined {
  const parsed = parseDuration(value);
  if ('ms' in parsed) return parsed.ms;
  if (!(typeof value === 'string' && hasPlaceholder(value))) ctx.reporter.error(ctx.site, path, parsed.error);
  return undefined;
}

function warnDuplicateRequestNames(steps: StepDefinition[], ctx: MethodContext): void {
  const seen = new Set<string>();
  steps.forEach((step, i) => {
    if (step.type !== 'request') return;
    if (seen.has(step.name)) {
      ctx.reporter.warn(ctx.site, ['steps', i, 'request', 'name'], `request name '${step.name}' is used twice in this method: responses['${step.name}'] keeps only the last`);
    }
    seen.add(step.name);
  });
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function pick(raw: Raw, keys: string[]): Raw {
  return Object.fromEntries(keys.filter((k) => k in raw).map((k) => [k, raw[k]]));
}
