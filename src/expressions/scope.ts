/**
 * The names a producer step's expressions see, as SmartESB's ConfigurableServiceHelper
 * builds them: body, headers, msg (here the message context), vars and each variable as a
 * top-level name (variables win over the built-in names, as array_merge does there),
 * responses, options, mapper, and exception after a failure.
 */
import type { ExpressionScope } from './evaluator';
import { mapperMethods, type Mapper } from './mapper';
import { isPlainObject, setOwn } from './php-values';
import { hostMethodsOf, registerHostObject } from './safe-access';

export interface MessageContext {
  messageId: string;
  transactionId: string;
  flow: string;
  /** ISO-8601, set by the caller: expressions have no clock. */
  timestamp: string;
  attempt: number;
  version?: string;
}

export interface StepScopeInput {
  body: unknown;
  headers?: Record<string, unknown>;
  context: MessageContext;
  vars?: Record<string, unknown>;
  responses?: Record<string, unknown>;
  options?: Record<string, unknown>;
  mapper: Mapper;
  exception?: unknown;
}

export function buildStepScope(input: StepScopeInput): ExpressionScope {
  const scope: ExpressionScope = {};
  const vars = input.vars ?? {};
  const base: [string, unknown][] = [
    ['body', input.body ?? null],
    ['headers', input.headers ?? {}],
    ['context', input.context],
    ['msg', input.context],
    ['vars', vars],
    ['responses', input.responses ?? {}],
    ['options', input.options ?? {}],
    ['exception', exceptionValue(input.exception)],
  ];
  for (const [name, value] of base) setOwn(scope, name, value);
  for (const [name, value] of Object.entries(vars)) setOwn(scope, name, value);
  // Last, as SmartESB's evaluator merges it last: a variable cannot hide the mapper.
  setOwn(scope, 'mapper', callableMapper(input.mapper));
  return scope;
}

/** Mappers from createMapper are callable already; any other implementation gets the same method table. */
function callableMapper(mapper: Mapper): Mapper {
  if (hostMethodsOf(mapper) !== undefined) return mapper;
  const adapter: Mapper = {
    map: (obj, name, context) => mapper.map(obj, name, context),
    mapAll: (list, name, context, disassociate) => mapper.mapAll(list, name, context, disassociate),
    has: (name) => mapper.has(name),
  };
  registerHostObject(adapter, mapperMethods(adapter));
  return Object.freeze(adapter);
}

/**
 * Expressions read only plain data, so an Error becomes a plain map: name, message, type,
 * recoverable (what isRecoverable(exception) reads) and its own enumerable fields.
 */
export function exceptionValue(exception: unknown): unknown {
  if (exception === undefined || exception === null) return null;
  if (!(exception instanceof Error)) return isPlainObject(exception) ? exception : { message: String(exception), recoverable: false };
  const fields = exception as Error & Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) setOwn(result, key, value);
  setOwn(result, 'name', exception.name);
  setOwn(result, 'message', exception.message);
  setOwn(result, 'type', typeof fields.type === 'string' ? fields.type : exception.name);
  setOwn(result, 'recoverable', fields.recoverable === true);
  return result;
}
