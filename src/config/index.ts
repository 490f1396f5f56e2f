/**
 * The flow language loader: SmartESB-compatible producers and mappings plus
 * temporal-esb flows, read from a directory of YAML files into a typed,
 * JSON-serialisable model. Import from here only.
 */
export type {
  Authentication,
  CallbackWhen,
  ConfigProblem,
  DefineStep,
  EsbConfig,
  FlowDefinition,
  FlowMode,
  HttpMethod,
  LoadedConfig,
  MethodDefinition,
  MethodRef,
  ProducerDefinition,
  ProducerOptions,
  ProducerSecrets,
  RequestStep,
  RetrySettings,
  StepDefinition,
  ValidateStep,
  ValidationDefinition,
} from './types';
export { loadConfig, type LoadOptions } from './load';
export { ConfigError, formatProblem, sortProblems, type Severity } from './errors';
export { resolveProducerSecrets, SecretResolutionError, type ResolvedSecrets } from './secrets';
export { parseDuration, formatDuration } from './durations';
export { parseMethodRef, DEFAULT_RETRY, DEFAULT_DELIVERY_TIMEOUT_MS } from './flows';
export { DEFAULT_TIMEOUT_MS, DEFAULT_CONNECT_TIMEOUT_MS } from './producers';
export { compileInputSchema } from './input-schema';
export { SCHEMA_PATH, loadSchema } from './schema';
export { flowNamed, methodNamed, UnknownReferenceError } from './lookup';
