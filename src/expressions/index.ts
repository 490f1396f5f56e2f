/**
 * SmartESB-compatible expressions (Symfony ExpressionLanguage syntax) and mappings.
 * Pure and deterministic: safe to import from Temporal workflow code.
 */
export { EVAL_PREFIX_PATTERN, isEvalString, expressionOf, resolveValue, forEachExpression } from './eval-value';
export { compileExpression, evaluateExpression, type CompiledExpression } from './engine';
export type { ExpressionScope } from './evaluator';
export { buildStepScope, exceptionValue, type MessageContext, type StepScopeInput } from './scope';
export {
  createMapper,
  compileMappings,
  forEachMappingExpression,
  MAX_MAPPING_DEPTH,
  type Mapper,
  type MapperOptions,
} from './mapper';
export { mappingNamesReferenced } from './mapping-names';
export { EXPRESSION_FUNCTIONS, UNSUPPORTED_FUNCTIONS } from './functions';
export { MAPPER_METHOD_ARITY } from './mapper-methods';
export {
  ExpressionError,
  ExpressionSyntaxError,
  ExpressionEvaluationError,
  ExpressionSecurityError,
  UnknownMappingError,
  MappingRecursionError,
  type ExpressionErrorDetails,
  type ExpressionErrorType,
} from './errors';

/** A mapping: a (nested) map whose leaves are bare expressions (no `eval:`), or one bare expression. */
export type MappingDefinition = string | { readonly [key: string]: MappingDefinition } | readonly MappingDefinition[] | null;
