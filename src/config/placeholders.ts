/**
 * Symfony container-parameter placeholders, as SmartESB configs use them:
 * `%name%` (parameters, then environment), `%env(NAME)%`,
 * `%env(default:param:NAME)%`, the casts `int: float: bool: string:`, and `%%`
 * for a literal `%`. The pattern is Symfony's own (`%%|%([^%\s]+)%`), so a lone
 * `%` or `a % b` in an expression is left alone, exactly as SmartESB does.
 */

import { isPlainObject } from './plain';

export type Env = Record<string, string | undefined>;

export interface PlaceholderContext {
  parameters: Record<string, unknown>;
  env: Env;
}

export class PlaceholderError extends Error {
  override name = 'PlaceholderError';
}

const TOKEN = /%%|%([^%\s]+)%/g;
const WHOLE = /^%([^%\s]+)%$/;
const CASTS = ['int', 'float', 'bool', 'string'] as const;

/** True when the string contains something to resolve. */
export function hasPlaceholder(value: string): boolean {
  return new RegExp(TOKEN.source).test(value);
}

/**
 * Resolves one string. A string that is exactly one placeholder takes the
 * referenced value with its type (a number parameter stays a number), as in
 * Symfony; placeholders inside a longer string must be scalars.
 */
export function resolveString(value: string, ctx: PlaceholderContext, seen: string[] = []): unknown {
  const whole = WHOLE.exec(value);
  if (whole) return resolveName(whole[1], ctx, seen);
  return value.replace(TOKEN, (token: string, name: string | undefined) => {
    if (token === '%%') return '%';
    return embed(name as string, resolveName(name as string, ctx, seen));
  });
}

function embed(name: string, resolved: unknown): string {
  if (resolved === null || resolved === undefined) return '';
  if (typeof resolved === 'object') {
    throw new PlaceholderError(`parameter '${name}' is a ${Array.isArray(resolved) ? 'list' : 'map'} and cannot be embedded in a string`);
  }
  return String(resolved);
}

function resolveName(name: string, ctx: PlaceholderContext, seen: string[]): unknown {
  const env = /^env\((.+)\)$/.exec(name);
  if (env) return resolveEnv(env[1], ctx, seen);
  return resolveParameter(name, ctx, seen);
}

function resolveParameter(name: string, ctx: PlaceholderContext, seen: string[]): unknown {
  if (Object.prototype.hasOwnProperty.call(ctx.parameters, name)) {
    if (seen.includes(name)) {
      throw new PlaceholderError(`parameter '${name}' refers to itself (${[...seen, name].join(' -> ')})`);
    }
    return resolveDeep(ctx.parameters[name], ctx, [...seen, name]);
  }
  const fromEnv = ctx.env[name];
  if (fromEnv !== undefined) return fromEnv;
  throw new PlaceholderError(
    `unknown parameter '${name}': define it under 'parameters:' or set the environment variable '${name}'`,
  );
}

function resolveEnv(spec: string, ctx: PlaceholderContext, seen: string[]): unknown {
  const parts = spec.split(':');
  if (parts.length === 1) return envOrDefaultParameter(spec, ctx, seen);
  const [processor, ...rest] = parts;
  if (processor === 'default' && rest.length === 2) {
    const [fallback, variable] = rest;
    const value = ctx.env[variable];
    // Symfony's `default:` also falls back when the variable is set but empty.
    if (value !== undefined && value !== '') return value;
    return fallback === '' ? null : resolveParameter(fallback, ctx, seen);
  }
  if ((CASTS as readonly string[]).includes(processor) && rest.length === 1) {
    return cast(processor as (typeof CASTS)[number], rest[0], envOrDefaultParameter(rest[0], ctx, seen));
  }
  throw new PlaceholderError(
    `unsupported env placeholder '%env(${spec})%' (supported: env(NAME), env(default:param:NAME), env(int|float|bool|string:NAME))`,
  );
}

/** Symfony lets a parameter named `env(NAME)` give the default of an unset variable. */
function envOrDefaultParameter(variable: string, ctx: PlaceholderContext, seen: string[]): unknown {
  const value = ctx.env[variable];
  if (value !== undefined) return value;
  const defaultName = `env(${variable})`;
  if (Object.prototype.hasOwnProperty.call(ctx.parameters, defaultName)) {
    return resolveParameter(defaultName, ctx, seen);
  }
  throw new PlaceholderError(`environment variable '${variable}' is not set`);
}

function cast(kind: (typeof CASTS)[number], variable: string, value: unknown): unknown {
  const text = String(value);
  if (kind === 'string') return text;
  if (kind === 'bool') return ['1', 'true', 'yes', 'on'].includes(text.trim().toLowerCase());
  const parsed = Number(text);
  if (text.trim() === '' || !Number.isFinite(parsed) || (kind === 'int' && !Number.isInteger(parsed))) {
    throw new PlaceholderError(`environment variable '${variable}' is '${text}', not ${kind === 'int' ? 'an integer' : 'a number'}`);
  }
  return parsed;
}

/** Resolves every string inside a value (maps and lists recursively). */
export function resolveDeep(value: unknown, ctx: PlaceholderContext, seen: string[] = []): unknown {
  if (typeof value === 'string') return resolveString(value, ctx, seen);
  if (Array.isArray(value)) return value.map((item) => resolveDeep(item, ctx, seen));
  if (isPlainObject(value)) {
    // fromEntries defines own properties, so a `__proto__` key stays a plain key.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolveDeep(item, ctx, seen)]));
  }
  return value;
}

export type TreePath = (string | number)[];

/**
 * Resolves a whole config tree, reporting each failing string at its path and
 * leaving it as written, so one run reports every bad placeholder. `skip` keeps
 * subtrees raw (secrets, PHP-only sections).
 */
export function resolveTree(
  value: unknown,
  ctx: PlaceholderContext,
  path: TreePath,
  report: (path: TreePath, message: string) => void,
  skip: (path: TreePath) => boolean,
): unknown {
  if (skip(path)) return value;
  if (typeof value === 'string') {
    try {
      return resolveString(value, ctx);
    } catch (err) {
      if (!(err instanceof PlaceholderError)) throw err;
      report(path, err.message);
      return value;
    }
  }
  if (Array.isArray(value)) return value.map((item, i) => resolveTree(item, ctx, [...path, i], report, skip));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, resolveTree(item, ctx, [...path, key], report, skip)]),
    );
  }
  return value;
}
