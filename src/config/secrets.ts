import { hasPlaceholder, PlaceholderError, resolveString, type Env } from './placeholders';
import { isPlainObject } from './plain';
import type { DocPath } from './positions';
import type { ProducerDefinition, ProducerSecrets } from './types';

/**
 * Secrets (options.password, options.token, options.signing.secret, header
 * values written `{ secret: ... }`) are kept as written and resolved only
 * here, in the activity at send time. Workflow inputs and history therefore
 * hold at most a reference like `%env(API_TOKEN)%`, never the value.
 */

export type ResolvedSecrets = ProducerSecrets;

export class SecretResolutionError extends Error {
  override name = 'SecretResolutionError';
  readonly type = 'SecretResolutionError';
}

/** True for the paths (relative to a producer) whose values are secrets. */
export function isSecretPath(path: DocPath): boolean {
  const [first, second] = path;
  if (first === 'options' && (second === 'password' || second === 'token') && path.length === 2) return true;
  if (first === 'options' && second === 'signing' && path[2] === 'secret' && path.length === 3) return true;
  const n = path.length;
  return n >= 3 && path[n - 1] === 'secret' && path[n - 3] === 'headers';
}

/** Splits a header map into plain headers and `{ secret }` ones (raw strings). */
export function splitHeaders(headers: Record<string, unknown>): { plain: Record<string, unknown>; secret: Record<string, string> } {
  const entries = Object.entries(headers);
  const isSecret = (value: unknown): value is { secret: string } => isPlainObject(value) && typeof value.secret === 'string';
  // fromEntries, not assignment: a header named `__proto__` must stay a plain key.
  return {
    plain: Object.fromEntries(entries.filter(([, v]) => !isSecret(v))),
    secret: Object.fromEntries(entries.filter(([, v]) => isSecret(v)).map(([k, v]) => [k, (v as { secret: string }).secret])),
  };
}

/**
 * Resolves a producer's secrets with the same placeholder rules as the loader.
 * Errors name the producer and the field, never a value.
 */
export function resolveProducerSecrets(
  producer: ProducerDefinition,
  parameters: Record<string, unknown>,
  env: Env = process.env,
): ResolvedSecrets {
  const one = (raw: string, what: string): string => {
    try {
      const value = resolveString(raw, { parameters, env });
      return value === null || value === undefined ? '' : String(value);
    } catch (err) {
      const reason = err instanceof PlaceholderError ? err.message : 'cannot be resolved';
      throw new SecretResolutionError(`secret ${what} of producer '${producer.name}': ${reason}`);
    }
  };
  const map = (raws: Record<string, string>, what: string): Record<string, string> =>
    Object.fromEntries(Object.entries(raws).map(([k, raw]) => [k, one(raw, `${what} '${k}'`)]));
  const { password, token, headers, requestHeaders, signingSecret } = producer.secrets;
  const resolved: ResolvedSecrets = { headers: map(headers, 'header'), requestHeaders: {} };
  if (password !== undefined) resolved.password = one(password, 'options.password');
  if (token !== undefined) resolved.token = one(token, 'options.token');
  if (signingSecret !== undefined) resolved.signingSecret = one(signingSecret, 'options.signing.secret');
  for (const [method, requests] of Object.entries(requestHeaders)) {
    resolved.requestHeaders[method] = Object.fromEntries(
      Object.entries(requests).map(([request, hs]) => [request, map(hs, `header of ${method}.${request}`)]),
    );
  }
  return resolved;
}

/**
 * Load-time check of one raw secret: a warning sentence, or null when fine.
 * Unresolvable is only a warning: the process that loads the config (the API)
 * may legitimately lack the secrets the worker has.
 */
export function secretWarning(raw: string, parameters: Record<string, unknown>, env: Env): string | null {
  if (!hasPlaceholder(raw)) {
    return "secret written in clear in the config; prefer '%env(NAME)%' so it stays out of files";
  }
  try {
    resolveString(raw, { parameters, env });
    return null;
  } catch (err) {
    return `secret cannot be resolved now (${(err as Error).message}); it must be by the time a request is sent`;
  }
}
