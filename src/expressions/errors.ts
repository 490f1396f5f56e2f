/**
 * Typed errors of the expression engine. Each carries a stable `type` (used as the
 * Temporal ApplicationFailure type by callers) and structured `details`.
 */
export interface ExpressionErrorDetails {
  /** The expression source, when the error concerns one expression. */
  source?: string;
  /** 1-based character position in `source`, when known. */
  position?: number;
  /** Mapping name and key path, when the error comes from a mapping. */
  mapping?: string;
  key?: string;
  [name: string]: unknown;
}

export type ExpressionErrorType =
  | 'ExpressionError'
  | 'ExpressionSyntaxError'
  | 'ExpressionEvaluationError'
  | 'ExpressionSecurityError'
  | 'UnknownMappingError'
  | 'MappingRecursionError';

export class ExpressionError extends Error {
  static readonly errorType: ExpressionErrorType = 'ExpressionError';
  readonly type: ExpressionErrorType;
  readonly details: ExpressionErrorDetails;

  constructor(message: string, details: ExpressionErrorDetails = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    // Read from the concrete class so `type` and `name` stay stable even if a bundler renames classes.
    this.type = (new.target as typeof ExpressionError).errorType;
    this.name = this.type;
    this.details = details;
  }
}

/** The expression (or a mapping leaf) cannot be parsed, or names an unknown function. */
export class ExpressionSyntaxError extends ExpressionError {
  static override readonly errorType: ExpressionErrorType = 'ExpressionSyntaxError';
}

/** Evaluation failed on the data: null access, wrong operand types, bad arguments. */
export class ExpressionEvaluationError extends ExpressionError {
  static override readonly errorType: ExpressionErrorType = 'ExpressionEvaluationError';
}

/** The expression tried to reach the JavaScript runtime (constructor, prototype, methods on data). */
export class ExpressionSecurityError extends ExpressionError {
  static override readonly errorType: ExpressionErrorType = 'ExpressionSecurityError';
}

/** `mapper.map(x, 'name')` named a mapping that does not exist. */
export class UnknownMappingError extends ExpressionError {
  static override readonly errorType: ExpressionErrorType = 'UnknownMappingError';
}

/** Mappings calling each other too deeply (almost always a mapping that maps itself). */
export class MappingRecursionError extends ExpressionError {
  static override readonly errorType: ExpressionErrorType = 'MappingRecursionError';
}

type ErrorClass = new (message: string, details?: ExpressionErrorDetails, cause?: unknown) => ExpressionError;

/** Re-creates an expression error of the same class with a prefixed message and extra details. */
export function rewrapExpressionError(
  error: ExpressionError,
  prefix: string,
  extra: ExpressionErrorDetails,
): ExpressionError {
  const Ctor = error.constructor as ErrorClass;
  return new Ctor(`${prefix}${error.message}`, { ...error.details, ...extra }, error);
}
