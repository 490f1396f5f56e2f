/**
 * SmartESB's Mapper: named mappings whose leaves are bare expressions (no `eval:`), evaluated
 * with `obj`, `context` and `mapper` in scope. Null results drop their key; a run-time error
 * in one key drops that key (SmartESB outside debug mode) and is reported to onKeyError.
 */
import { compileExpression, type CompiledExpression } from './engine';
import {
  ExpressionError, ExpressionEvaluationError, ExpressionSecurityError, ExpressionSyntaxError, MappingRecursionError,
  UnknownMappingError, rewrapExpressionError,
} from './errors';
import type { ExpressionScope } from './evaluator';
import { MAPPER_HELPERS, MAPPING_DICTIONARY } from './mapper-helpers';
import { MAPPER_CORE_ARITY } from './mapper-methods';
import { isContainer, isNumericString, isPlainObject, phpEmpty, setOwn, type PlainObject } from './php-values';
import { FORBIDDEN_NAMES, registerHostObject, type HostMethod } from './safe-access';

export interface Mapper {
  map(obj: unknown, name: string, context?: unknown): unknown;
  mapAll(list: unknown, name: string, context?: unknown, disassociate?: boolean): unknown;
  has(name: string): boolean;
}

export interface MapperOptions {
  onKeyError?: (info: { mapping: string; key: string; error: Error }) => void;
}

type CompiledMapping =
  | { readonly kind: 'expression'; readonly expression: CompiledExpression }
  | { readonly kind: 'map'; readonly entries: readonly (readonly [string, CompiledMapping])[] }
  | { readonly kind: 'list'; readonly items: readonly CompiledMapping[] }
  | { readonly kind: 'empty'; readonly value: null | string | unknown[] | PlainObject };

/** Deeper than this, mappings are calling themselves. */
export const MAX_MAPPING_DEPTH = 64;

/** Parses every leaf of every mapping; errors name the mapping and key path. */
export function compileMappings(mappings: Record<string, unknown>): void {
  compileAll(mappings);
}

/** Calls `visit` for every bare expression of every mapping, with its path [mapping, ...keys]. */
export function forEachMappingExpression(mappings: Record<string, unknown>, visit: (source: string, path: (string | number)[]) => void): void {
  const walk = (definition: unknown, path: (string | number)[]): void => {
    if (typeof definition === 'string') {
      if (!phpEmpty(definition)) visit(definition, path);
    } else if (Array.isArray(definition)) {
      definition.forEach((item, i) => walk(item, [...path, i]));
    } else if (isPlainObject(definition)) {
      for (const [key, item] of Object.entries(definition)) walk(item, [...path, key]);
    }
  };
  for (const [name, definition] of Object.entries(mappings)) walk(definition, [name]);
}

function compileAll(mappings: Record<string, unknown>): Map<string, CompiledMapping> {
  if (!isPlainObject(mappings)) throw new ExpressionSyntaxError('mappings must be a map of mapping names to definitions');
  const compiled = new Map<string, CompiledMapping>();
  for (const [name, definition] of Object.entries(mappings)) compiled.set(name, compileDefinition(definition, name, []));
  return compiled;
}

function compileDefinition(definition: unknown, mapping: string, path: string[]): CompiledMapping {
  const key = path.join('.');
  // SmartESB returns empty mapping values as they are, without evaluating them.
  if (definition === null || definition === undefined) return { kind: 'empty', value: null };
  if (typeof definition === 'string') {
    if (phpEmpty(definition)) return { kind: 'empty', value: definition };
    try {
      return { kind: 'expression', expression: compileExpression(definition) };
    } catch (error) {
      if (!(error instanceof ExpressionError)) throw error;
      throw rewrapExpressionError(error, `mapping '${mapping}'${key === '' ? '' : ` key '${key}'`}: `, { mapping, key });
    }
  }
  if (Array.isArray(definition)) {
    if (definition.length === 0) return { kind: 'empty', value: [] };
    return { kind: 'list', items: definition.map((item, i) => compileDefinition(item, mapping, [...path, String(i)])) };
  }
  if (isPlainObject(definition)) {
    const entries = Object.entries(definition);
    if (entries.length === 0) return { kind: 'empty', value: {} };
    for (const [name] of entries) {
      if (FORBIDDEN_NAMES.has(name)) {
        throw new ExpressionSecurityError(`mapping '${mapping}': forbidden key '${name}'`, { mapping, key: [...path, name].join('.') });
      }
    }
    return { kind: 'map', entries: entries.map(([name, item]) => [name, compileDefinition(item, mapping, [...path, name])] as const) };
  }
  throw new ExpressionSyntaxError(
    `mapping '${mapping}'${key === '' ? '' : ` key '${key}'`}: expected an expression string or a map, got ${typeof definition} (quote literals, e.g. "'text'" or "5")`,
    { mapping, key },
  );
}

/** SmartESB's context flags `allow_empty_<type>: true`: map an empty obj when it is of that PHP type. */
const EMPTY_TYPE_TESTS: Readonly<Record<string, (value: unknown) => boolean>> = {
  string: (v) => typeof v === 'string',
  numeric: (v) => typeof v === 'number' || (typeof v === 'string' && isNumericString(v)),
  int: (v) => Number.isInteger(v),
  float: (v) => typeof v === 'number',
  bool: (v) => typeof v === 'boolean',
  array: (v) => isContainer(v),
  null: (v) => v === null || v === undefined,
};

function acceptsEmpty(context: unknown, obj: unknown): boolean {
  if (!isPlainObject(context)) return false;
  for (const [key, flag] of Object.entries(context)) {
    const match = /^allow_empty_(\w+)$/.exec(key);
    if (match === null || phpEmpty(flag)) continue;
    const test = Object.prototype.hasOwnProperty.call(EMPTY_TYPE_TESTS, match[1]) ? EMPTY_TYPE_TESTS[match[1]] : undefined;
    if (test === undefined) throw new ExpressionEvaluationError(`Unknown context flag '${key}'`);
    return test(obj);
  }
  return false;
}

export function createMapper(mappings: Record<string, unknown>, options: MapperOptions = {}): Mapper {
  const compiled = compileAll(mappings);
  let depth = 0;

  const definition = (name: unknown): CompiledMapping => {
    const found = typeof name === 'string' ? compiled.get(name) : undefined;
    if (found === undefined) {
      throw new UnknownMappingError(`Invalid mapping name "${String(name)}" (known: ${[...compiled.keys()].join(', ')})`, {
        mapping: String(name),
        known: [...compiled.keys()],
      });
    }
    return found;
  };

  const resolve = (node: CompiledMapping, scope: ExpressionScope, mapping: string, key: string): unknown => {
    switch (node.kind) {
      case 'empty':
        return Array.isArray(node.value) ? [] : isPlainObject(node.value) ? {} : node.value;
      case 'expression':
        try {
          return node.expression.evaluate(scope);
        } catch (error) {
          if (!(error instanceof ExpressionEvaluationError)) throw error;
          options.onKeyError?.({ mapping, key, error });
          return null;
        }
      case 'list':
        return node.items.map((item, i) => resolve(item, scope, mapping, join(key, i))).filter((v) => v !== null && v !== undefined);
      case 'map': {
        const result: PlainObject = {};
        for (const [name, item] of node.entries) {
          const value = resolve(item, scope, mapping, join(key, name));
          if (value !== null && value !== undefined) setOwn(result, name, value);
        }
        return result;
      }
    }
  };

  const mapper: Mapper = {
    map(obj: unknown, name: string, context: unknown = {}): unknown {
      const node = definition(name);
      if (phpEmpty(obj) && !acceptsEmpty(context, obj)) return obj === undefined ? null : obj;
      if (depth >= MAX_MAPPING_DEPTH) {
        throw new MappingRecursionError(`Mappings nested deeper than ${MAX_MAPPING_DEPTH} levels (at '${name}'): does a mapping map itself?`, { mapping: name });
      }
      depth++;
      try {
        return resolve(node, { obj, context, mapper: mapper, ...MAPPING_DICTIONARY }, name, '');
      } finally {
        depth--;
      }
    },
    mapAll(list: unknown, name: string, context: unknown = {}, disassociate = false): unknown {
      definition(name);
      if (!isContainer(list)) throw new ExpressionEvaluationError('mapAll expected an array');
      const element = (key: string | number, value: unknown): unknown =>
        mapper.map(disassociate === true ? { key, value } : value, name, context);
      if (Array.isArray(list)) return list.map((value, i) => element(i, value));
      const result: PlainObject = {};
      for (const [key, value] of Object.entries(list)) setOwn(result, key, element(key, value));
      return result;
    },
    has(name: string): boolean {
      return typeof name === 'string' && compiled.has(name);
    },
  };
  registerHostObject(mapper, mapperMethods(mapper));
  return Object.freeze(mapper);
}

const join = (key: string, part: string | number): string => (key === '' ? String(part) : `${key}.${part}`);

/** The method table expressions see on a mapper: its own map/mapAll/has plus SmartESB's helpers. */
export function mapperMethods(mapper: Mapper): ReadonlyMap<string, HostMethod> {
  const core: Record<string, HostMethod['fn']> = {
    map: (obj, name, context) => mapper.map(obj, name as string, context ?? {}),
    mapAll: (list, name, context, disassociate) => mapper.mapAll(list, name as string, context ?? {}, disassociate === true),
    has: (name) => mapper.has(name as string),
  };
  const methods = new Map(MAPPER_HELPERS);
  for (const [name, arity] of MAPPER_CORE_ARITY) methods.set(name, { ...arity, fn: core[name] });
  return methods;
}
