/**
 * The typed configuration model. Everything here is plain JSON data (no
 * classes, no functions, no undefined-only fields that matter) because parts of
 * it are snapshotted into Temporal workflow inputs, which are serialised as JSON
 * and kept in the workflow history.
 */

/** A `producer.method` reference, already checked to exist. */
export interface MethodRef {
  producer: string;
  method: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ValidationDefinition {
  /** An `eval:` expression (or a literal, which SmartESB also accepts). */
  rule: string;
  message?: string;
  recoverable: boolean;
  displayMessage: boolean;
}

export interface DefineStep {
  type: 'define';
  /** Variable name -> value (`eval:` strings resolved at run time). */
  variables: Record<string, unknown>;
}

export interface RequestStep {
  type: 'request';
  name: string;
  httpMethod: HttpMethod;
  uri: string;
  /** Required in SmartESB; `null` when written `~`. */
  body: unknown;
  query?: unknown;
  /** Non-secret headers only; secret ones live in `ProducerSecrets.requestHeaders`. */
  headers?: Record<string, unknown> | string;
  baseUri?: string;
  validations: ValidationDefinition[];
  timeoutMs?: number;
}

export interface ValidateStep extends ValidationDefinition {
  type: 'validate';
}

export type StepDefinition = DefineStep | RequestStep | ValidateStep;

export interface MethodDefinition {
  name: string;
  description: string;
  steps: StepDefinition[];
  validations: ValidationDefinition[];
  response?: { body?: unknown; headers?: unknown };
}

export type Authentication = 'none' | 'basic' | 'bearer';

/** Producer options with placeholders resolved and secrets removed. */
export interface ProducerOptions {
  baseUri: string;
  encoding: 'json';
  authentication: Authentication;
  username?: string;
  /** Non-secret default headers; secret ones live in `ProducerSecrets.headers`. */
  headers: Record<string, unknown>;
  timeoutMs: number;
  connectTimeoutMs: number;
  /** Hosts besides base_uri's that a request (or a followed redirect) may go to. */
  allowedHosts?: string[];
  /** Follow at most 5 redirects, each checked like the first URL; off unless configured. */
  followRedirects?: boolean;
  /** Sign every request (Standard Webhooks); the secret is in `ProducerSecrets.signingSecret`. */
  signing?: { scheme: 'standard-webhooks' };
}

/**
 * Secret values exactly as written in the YAML (e.g. `%env(API_TOKEN)%`), never
 * resolved at load time: `resolveProducerSecrets` resolves them in the activity
 * at send time, so the values never reach workflow inputs or history.
 */
export interface ProducerSecrets {
  password?: string;
  token?: string;
  /** Producer-level headers written `{ secret: ... }`. */
  headers: Record<string, string>;
  /** method name -> request step name -> header -> raw value. */
  requestHeaders: Record<string, Record<string, Record<string, string>>>;
  /** `options.signing.secret`: `whsec_...` secrets, whitespace-separated during a rotation. */
  signingSecret?: string;
}

export interface ProducerDefinition {
  name: string;
  description?: string;
  options: ProducerOptions;
  secrets: ProducerSecrets;
  methods: Record<string, MethodDefinition>;
}

export interface RetrySettings {
  /** Total attempts including the first (Temporal's `maximumAttempts`). */
  maxAttempts: number;
  initialIntervalMs: number;
  /** Multiplier applied to the delay after each attempt; 1 = fixed delay. */
  backoff: number;
  maxIntervalMs: number;
}

export type FlowMode = 'async' | 'sync';
export type CallbackWhen = 'always' | 'success' | 'failure';

export interface FlowDefinition {
  name: string;
  description?: string;
  mode: FlowMode;
  /** A JSON Schema, already compiled once at load time to prove it is valid. */
  inputSchema?: Record<string, unknown> | boolean;
  deliver: { to: MethodRef; retry: RetrySettings; timeoutMs: number };
  callback?: { to: MethodRef[]; mode: FlowMode; when: CallbackWhen };
}

export interface EsbConfig {
  producers: Record<string, ProducerDefinition>;
  mappings: Record<string, unknown>;
  flows: Record<string, FlowDefinition>;
  /**
   * The raw parameter bag (placeholders inside unresolved). It is what
   * `resolveProducerSecrets` needs at send time and may hold secrets an operator
   * wrote there: keep it in the worker process, never in workflow inputs.
   */
  parameters: Record<string, unknown>;
}

/** One error or warning, located in a file. `file` is relative to the cwd. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path in the logical document, e.g. `flows.ping.deliver.to`. */
  path: string;
  message: string;
}

export interface LoadedConfig {
  config: EsbConfig;
  warnings: ConfigProblem[];
}
