/**
 * Component schemas of the OpenAPI document (see ./openapi.ts). They mirror
 * `src/shared/delivery-types.ts` and the bodies the routes build; response
 * objects are closed so an undocumented field fails the conformance tests.
 */

import { MESSAGE_ID_PATTERN } from './links';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Fields every answer about one message carries. */
const messageRefProps = {
  messageId: ref('MessageId'),
  workflowId: { type: 'string', description: 'delivery-{flow}-{messageId}' },
  flow: { type: 'string' },
  links: ref('Links'),
} as const;

export const componentSchemas = {
  // The very pattern the routes check ids and Idempotency-Keys with.
  MessageId: { type: 'string', pattern: MESSAGE_ID_PATTERN.source },
  DeliveryState: { type: 'string', enum: ['accepted', 'delivering', 'retrying', 'delivered', 'failed'] },
  Error: {
    type: 'object',
    required: ['error'],
    properties: { error: { type: 'string' }, details: { description: 'Structured detail; its shape depends on the error.' } },
    additionalProperties: false,
  },
  Links: {
    type: 'object',
    required: ['status'],
    properties: {
      status: { type: 'string', format: 'uri-reference', description: 'GET this (relative to the API) for the status.' },
      ui: { type: 'string', format: 'uri', description: 'The workflow in the Temporal Web UI, when its URL is configured.' },
    },
    additionalProperties: false,
  },
  Accepted: {
    type: 'object',
    required: ['messageId', 'workflowId', 'flow', 'status', 'links'],
    properties: {
      ...messageRefProps,
      status: { type: 'string', enum: ['accepted', 'delivering'], description: '`delivering` only for a sync request that outlived its wait bound.' },
      note: { type: 'string', description: 'Present with `delivering`: the delivery goes on.' },
    },
    additionalProperties: false,
  },
  Duplicate: {
    type: 'object',
    required: ['messageId', 'workflowId', 'flow', 'status', 'links', 'duplicate'],
    properties: { ...messageRefProps, status: ref('DeliveryState'), duplicate: { const: true } },
    additionalProperties: false,
  },
  SyncFailure: {
    type: 'object',
    required: ['error', 'messageId', 'workflowId', 'flow', 'status', 'links'],
    properties: {
      error: { type: 'string', description: "The validation's message when display_message is true, else 'target system X failed to process the request'." },
      ...messageRefProps,
      status: { const: 'failed' },
    },
    additionalProperties: false,
  },
  RetryAccepted: {
    type: 'object',
    required: ['messageId', 'workflowId', 'runId', 'flow', 'status', 'links'],
    properties: { ...messageRefProps, runId: { type: 'string' }, status: { const: 'accepted' } },
    additionalProperties: false,
  },
  ErrorInfo: {
    type: 'object',
    required: ['type', 'message', 'recoverable', 'displayMessage'],
    properties: {
      type: { type: 'string', description: 'Error class, e.g. RemoteServerError, ValidationFailedError.' },
      message: { type: 'string' },
      recoverable: { type: 'boolean' },
      displayMessage: { type: 'boolean', description: "SmartESB's display_message: whether a sync caller may see the message." },
      statusCode: { type: 'integer', description: 'HTTP status of the remote answer, if there was one.' },
      target: { type: 'string', description: 'The producer method that failed.' },
      attempt: { type: 'integer', minimum: 1, description: 'The attempt that failed, when read back from an activity failure.' },
    },
    additionalProperties: false,
  },
  CallbackStatus: {
    type: 'object',
    required: ['target', 'workflowId', 'status', 'attempts'],
    properties: {
      target: { type: 'string', description: 'producer.method' },
      workflowId: { type: 'string', description: 'callback-{flow}-{messageId}-{target}' },
      status: { type: 'string', enum: ['pending', 'running', 'retrying', 'delivered', 'failed'] },
      attempts: { type: 'integer', minimum: 0 },
      lastError: ref('ErrorInfo'),
    },
    additionalProperties: false,
  },
  DeliveryStatus: {
    type: 'object',
    description: 'What the delivery workflow reports (status query while running, result once closed).',
    required: ['messageId', 'flow', 'workflowId', 'status', 'attempts', 'callbacks', 'startedAt'],
    properties: {
      messageId: { type: 'string' },
      flow: { type: 'string' },
      workflowId: { type: 'string' },
      status: ref('DeliveryState'),
      attempts: { type: 'integer', minimum: 0 },
      lastError: ref('ErrorInfo'),
      response: {
        type: 'object',
        description: "The method's response section.",
        properties: { body: {}, headers: { type: 'object' } },
        additionalProperties: false,
      },
      callbacks: { type: 'array', items: ref('CallbackStatus') },
      callbackMode: { type: 'string', enum: ['sync', 'async'] },
      startedAt: { type: 'string', format: 'date-time' },
      completedAt: { type: 'string', format: 'date-time' },
    },
  },
  MessageStatus: {
    type: 'object',
    description: 'DeliveryStatus plus links.',
    allOf: [ref('DeliveryStatus')],
    required: ['links'],
    properties: { links: ref('Links') },
    unevaluatedProperties: false,
  },
  MessageSummary: {
    type: 'object',
    required: ['messageId', 'flow', 'workflowId', 'status', 'links'],
    properties: {
      ...messageRefProps,
      messageId: { type: 'string' },
      status: ref('DeliveryState'),
      startedAt: { type: 'string', format: 'date-time' },
      closedAt: { type: 'string', format: 'date-time' },
    },
    additionalProperties: false,
  },
  MessageList: {
    type: 'object',
    required: ['messages'],
    properties: {
      messages: { type: 'array', items: ref('MessageSummary') },
      nextPageToken: { type: 'string', description: 'Absent on the last page.' },
    },
    additionalProperties: false,
  },
  Health: {
    type: 'object',
    required: ['status', 'temporal', 'namespace', 'taskQueue', 'uptimeSeconds'],
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      temporal: { type: 'string', enum: ['ok', 'unreachable'] },
      error: { type: 'string', description: 'Why Temporal is unreachable (503 only).' },
      namespace: { type: 'string' },
      taskQueue: { type: 'string' },
      uptimeSeconds: { type: 'integer', minimum: 0 },
    },
    additionalProperties: false,
  },
} as const;
