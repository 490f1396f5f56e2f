/**
 * A request step's own validations, run in the activity right after a
 * successful response so that a failed one is retried by the same retry
 * policy as the request itself (SmartESB retries the whole request step).
 */
import { buildStepScope, createMapper, resolveValue, type Mapper } from '../expressions';
import type { HttpRequestInput, HttpResponseData } from '../shared/delivery-types';
import { ExpressionFailedError, ValidationFailedError } from '../shared/errors';

export interface ValidationDeps {
  attempt: number;
  options: Record<string, unknown>;
  onMappingKeyError: (info: { mapping: string; key: string; error: Error }) => void;
}

/** PHP's `(bool)` cast, which SmartESB applies to a request validation's rule ("fails when falsy"). */
export function phpTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '' || value === '0') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

const EMPTY_MAPPER: Mapper = createMapper({});

function messageText(value: unknown): string {
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? '' : JSON.stringify(value);
}

/** Throws the first failing validation as a ValidationFailedError; returns when all pass. */
export function runRequestValidations(input: HttpRequestInput, response: HttpResponseData, deps: ValidationDeps): void {
  if (input.validations.length === 0) return;
  const { body, vars, responses, context } = input.validationScope;
  const mapper =
    input.mappings !== undefined ? createMapper(input.mappings, { onKeyError: deps.onMappingKeyError }) : EMPTY_MAPPER;
  const scope = buildStepScope({
    body,
    context: { ...context, attempt: deps.attempt },
    vars,
    responses: { ...responses, [input.stepName]: response },
    options: deps.options,
    mapper,
  });
  const where = `request '${input.stepName}' of ${input.target}`;
  const details = { statusCode: response.statusCode, target: input.target };

  for (const validation of input.validations) {
    let passed: boolean;
    try {
      passed = phpTruthy(resolveValue(validation.rule, scope));
    } catch (err) {
      throw new ExpressionFailedError(`${where}: validation rule '${validation.rule}' could not be evaluated: ${(err as Error).message}`, details);
    }
    if (passed) continue;
    let message: string;
    try {
      message = validation.message !== undefined ? messageText(resolveValue(validation.message, scope)) : '';
    } catch (err) {
      // The rule already failed; a broken message expression must not hide that.
      message = `(message could not be evaluated: ${(err as Error).message})`;
    }
    throw new ValidationFailedError(message || `${where}: validation '${validation.rule}' failed`, {
      ...details,
      recoverable: validation.recoverable,
      displayMessage: validation.displayMessage,
    });
  }
}
