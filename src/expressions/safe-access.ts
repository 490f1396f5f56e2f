/**
 * The only doors from an expression to JavaScript values. Message data is untrusted, so
 * reads are limited to own enumerable data properties of plain objects and lists, and the
 * only callable things are host objects' registered methods (the mapper).
 */
import { ExpressionEvaluationError, ExpressionSecurityError } from './errors';
import { describeType, isPlainObject } from './php-values';

/** Names that lead to constructors or prototypes: never readable, callable or definable. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

export interface HostMethod {
  readonly min: number;
  readonly max: number;
  readonly fn: (...args: unknown[]) => unknown;
}

// A WeakMap rather than a marker property: data can never forge membership.
const hostObjects = new WeakMap<object, ReadonlyMap<string, HostMethod>>();

/** Makes `object` callable from expressions through exactly these methods. */
export function registerHostObject(object: object, methods: ReadonlyMap<string, HostMethod>): void {
  hostObjects.set(object, methods);
}

export function hostMethodsOf(value: unknown): ReadonlyMap<string, HostMethod> | undefined {
  return typeof value === 'object' && value !== null ? hostObjects.get(value) : undefined;
}

export function assertAllowedName(name: string, what: string): void {
  if (FORBIDDEN_NAMES.has(name)) {
    throw new ExpressionSecurityError(`Access to ${what} '${name}' is forbidden`, { name });
  }
}

/** `target.name` */
export function readProperty(target: unknown, name: string): unknown {
  assertAllowedName(name, 'property');
  if (Array.isArray(target)) {
    return name === 'length' ? target.length : readOwn(target, name);
  }
  if (isPlainObject(target)) return readOwn(target, name);
  if (typeof target === 'string') {
    if (name === 'length') return [...target].length;
    rejectInherited(target, name);
  }
  return rejectTarget(target, `get property '${name}' of`);
}

/** `target[key]` */
export function readIndex(target: unknown, key: unknown): unknown {
  const name = offsetKey(key);
  assertAllowedName(name, 'key');
  if (Array.isArray(target) || isPlainObject(target)) return readOwn(target, name);
  return rejectTarget(target, `get item '${name}' of`);
}

/** PHP array offset conversion: ints and strings as they are, floats truncated, bool/null cast. */
export function offsetKey(key: unknown): string {
  if (typeof key === 'string') return key;
  if (typeof key === 'number' && Number.isFinite(key)) return String(Math.trunc(key));
  if (typeof key === 'boolean') return key ? '1' : '0';
  if (key === null || key === undefined) return '';
  throw new ExpressionEvaluationError(`Illegal offset type: ${describeType(key)}`);
}

function readOwn(target: object, name: string): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  if (descriptor === undefined || !descriptor.enumerable) {
    rejectInherited(target, name);
    return null; // PHP: a missing key reads as null
  }
  if (!('value' in descriptor)) {
    throw new ExpressionSecurityError(`Property '${name}' is an accessor and cannot be read`, { name });
  }
  const value: unknown = descriptor.value;
  return value === undefined ? null : value;
}

/** `{}.toString`, `[].map`, `'x'.trim`: reaching a built-in member is an escape attempt, not a missing key. */
function rejectInherited(target: object | string, name: string): void {
  if (name in Object(target)) {
    throw new ExpressionSecurityError(`Access to built-in member '${name}' is forbidden`, { name });
  }
}

function rejectTarget(target: unknown, action: string): never {
  if (target === null || target === undefined) {
    throw new ExpressionEvaluationError(`Unable to ${action} null`);
  }
  if (typeof target === 'function') {
    throw new ExpressionSecurityError(`Unable to ${action} a function: functions are not accessible`);
  }
  if (hostMethodsOf(target) !== undefined) {
    throw new ExpressionSecurityError(`Unable to ${action} the mapper: its methods can only be called`);
  }
  if (typeof target === 'object') {
    throw new ExpressionSecurityError(`Unable to ${action} ${describeType(target)}: only plain maps and lists are readable`);
  }
  throw new ExpressionEvaluationError(`Unable to ${action} ${describeType(target)}`);
}

const GETTER = /^(?:get|is|has)([A-Za-z0-9_].*)$/;

/** `target.name(args)`: host methods, or PHP getters emulated on plain maps. */
export function callMethod(target: unknown, name: string, args: unknown[]): unknown {
  assertAllowedName(name, 'method');
  const methods = hostMethodsOf(target);
  if (methods !== undefined) return callHostMethod(methods, name, args);
  if (isPlainObject(target)) return callGetter(target, name, args);
  if (target === null || target === undefined) {
    throw new ExpressionEvaluationError(`Unable to call method '${name}' of null`);
  }
  throw new ExpressionSecurityError(
    `Unable to call method '${name}' of ${describeType(target)}: data has no methods`,
    { name },
  );
}

export function callHostMethod(methods: ReadonlyMap<string, HostMethod>, name: string, args: unknown[]): unknown {
  const method = methods.get(name);
  if (method === undefined) {
    throw new ExpressionEvaluationError(
      `Unknown mapper method '${name}' (known: ${[...methods.keys()].join(', ')})`,
      { name },
    );
  }
  assertArity(`mapper.${name}()`, method, args.length);
  return method.fn(...args);
}

export function assertArity(label: string, spec: { min: number; max: number }, count: number): void {
  if (count < spec.min || count > spec.max) {
    const expected = spec.min === spec.max ? `${spec.min}` : `${spec.min} to ${spec.max}`;
    throw new ExpressionEvaluationError(`${label} takes ${expected} argument(s), ${count} given`);
  }
}

/**
 * SmartESB mappings call getters on PHP entities (`obj.getMessage()`); on JSON the
 * sensible reading is the property: `getFooBar()` reads `fooBar`, then `foo_bar`, then `FooBar`.
 */
function callGetter(target: object, name: string, args: unknown[]): unknown {
  const match = GETTER.exec(name);
  if (match === null || args.length > 0) {
    throw new ExpressionSecurityError(
      `Unable to call method '${name}' of a map: data has no methods (only getters without arguments, like getFoo(), are read as properties)`,
      { name },
    );
  }
  for (const candidate of getterCandidates(match[1])) {
    assertAllowedName(candidate, 'property');
    const value = readOwn(target, candidate);
    if (value !== null) return value;
  }
  return null;
}

export function getterCandidates(rest: string): string[] {
  const camel = rest.charAt(0).toLowerCase() + rest.slice(1);
  const snake = camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return [...new Set([camel, snake, rest])];
}
