/**
 * The data that travels between the API, the workflows and the activities.
 * Pure types: safe to import from workflow code. Nothing here may hold a
 * secret: it is all stored in Temporal's history.
 */
import type { MessageContext as ExpressionMessageContext } from '../expressions';
import type { CallbackWhen, FlowMode, MethodDefinition, MethodRef, ProducerOptions, RetrySettings } from '../config/types';

/**
 * The message context expressions see (`context`/`msg`), defined once by the
 * expression engine; a delivered message always carries its flow version.
 */
export type MessageContext = ExpressionMessageContext & { version: string };

export interface InboundMessage {
  body: unknown;
  /** Selected inbound headers (lower-cased names), never credentials. */
  headers: Record<string, string>;
  context: MessageContext;
}

/** A producer method as the workflow needs it: its steps and the producer's non-secret options. */
export interface TargetSnapshot {
  ref: MethodRef;
  /** `producer.method`, used in ids and summaries. */
  name: string;
  method: MethodDefinition;
  options: ProducerOptions;
}

/** The flow's resolved definitions, taken at ingress: in-flight messages keep them. */
export interface FlowSnapshot {
  flow: string;
  version: string;
  mode: FlowMode;
  deliver: { target: TargetSnapshot; retry: RetrySettings; timeoutMs: number };
  callback?: { targets: TargetSnapshot[]; mode: FlowMode; when: CallbackWhen; retry: RetrySettings; timeoutMs: number };
  /** Only the mappings the targets' expressions can reach. */
  mappings: Record<string, unknown>;
}

export interface DeliveryInput {
  message: InboundMessage;
  snapshot: FlowSnapshot;
}

export type DeliveryState = 'accepted' | 'delivering' | 'retrying' | 'delivered' | 'failed';
export type CallbackState = 'pending' | 'running' | 'retrying' | 'delivered' | 'failed';

export interface ErrorInfo {
  message: string;
  recoverable: boolean;
  statusCode?: number;
  /** Error class, e.g. RemoteServerError, ValidationFailedError. */
  type: string;
  /** SmartESB's display_message: whether a sync caller may see `message`. */
  displayMessage: boolean;
  /** The producer method that failed (for the generic "target system X failed" text). */
  target?: string;
}

export interface HttpResponseData {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface MethodResponse {
  body?: unknown;
  headers?: Record<string, unknown>;
}

export interface CallbackStatus {
  target: string;
  workflowId: string;
  status: CallbackState;
  attempts: number;
  lastError?: ErrorInfo;
}

/** What the status query, the workflow result and the API all report. */
export interface DeliveryStatus {
  messageId: string;
  flow: string;
  workflowId: string;
  status: DeliveryState;
  attempts: number;
  lastError?: ErrorInfo;
  response?: MethodResponse;
  callbacks: CallbackStatus[];
  callbackMode?: FlowMode;
  startedAt: string;
  completedAt?: string;
}

/** The callback message body (SmartESB's callback: the outcome, positive or negative). */
export interface DeliveryOutcome {
  messageId: string;
  flow: string;
  status: 'delivered' | 'failed';
  attempts: number;
  error?: Pick<ErrorInfo, 'message' | 'recoverable' | 'statusCode'>;
  response?: unknown;
  acceptedAt: string;
  completedAt: string;
}

export interface CallbackInput {
  flow: string;
  messageId: string;
  target: TargetSnapshot;
  retry: RetrySettings;
  timeoutMs: number;
  outcome: DeliveryOutcome;
  context: MessageContext;
  mappings: Record<string, unknown>;
}

export interface CallbackResult {
  target: string;
  status: 'delivered' | 'failed';
  attempts: number;
  lastError?: ErrorInfo;
  response?: MethodResponse;
}

/** Input of the HTTP activity: one `request` step, fully resolved except for secrets. */
export interface HttpRequestInput {
  producer: string;
  target: string;
  stepName: string;
  httpMethod: string;
  baseUri: string;
  uri: string;
  query?: unknown;
  headers: Record<string, string>;
  body: unknown;
  timeoutMs: number;
  connectTimeoutMs: number;
  authentication: ProducerOptions['authentication'];
  username?: string;
  /** Transaction id and idempotency key headers so receivers can de-duplicate retried calls. */
  transactionId: string;
  idempotencyKey: string;
  validations: MethodDefinition['validations'];
  /** What the step's validation expressions may read besides `responses[name]`. */
  validationScope: { body?: unknown; vars: Record<string, unknown>; responses: Record<string, HttpResponseData>; context: MessageContext };
  /** Mappings, only when a validation calls the mapper. */
  mappings?: Record<string, unknown>;
}

export interface HttpRequestResult {
  response: HttpResponseData;
  attempt: number;
}
