/**
 * The OpenAPI 3.1 document of the REST API, served at `/api/v1/openapi.json`.
 * Written by hand to describe the routes exactly as implemented; the tests walk
 * the Express router against `paths` and validate real answers against the
 * response schemas, so a route or field that drifts fails CI. Response schemas
 * are closed (`additionalProperties`/`unevaluatedProperties: false`) so that an
 * undocumented field is caught too.
 */

import { componentSchemas } from './openapi-schemas';

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref('Error')) });

/** Every route can fail on Temporal (503) or on a bug (500). */
const temporalErrors = {
  '500': error('Unexpected server error.'),
  '503': error('Temporal is unreachable or did not answer in time; try again. At ingress, `details.retryWithIdempotencyKey` is the message id to send again as Idempotency-Key, which makes the retry safe.'),
} as const;

/** Answered before the route runs when ingress authentication is on (see securitySchemes). */
const authErrors = {
  '401': {
    description: 'No API key, or an unknown one. Nothing was done.',
    headers: { 'WWW-Authenticate': { description: 'Bearer realm="temporal-esb"', schema: { type: 'string' } } },
    content: json(ref('Error')),
  },
  '403': error('The API key is restricted to other flows (or, on message routes, the flow was not named with ?flow=). Nothing was done.'),
} as const;

/** The public operations: no key needed. */
const open = [] as const;

const messageIdParam = {
  name: 'messageId',
  in: 'path',
  required: true,
  description: 'The message id (the Idempotency-Key it was sent with, or the generated UUID).',
  schema: ref('MessageId'),
} as const;

const flowQuery = (description: string) =>
  ({ name: 'flow', in: 'query', required: false, description, schema: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' } }) as const;

const flowFilterDoc = 'The flow of the message: finds its workflow directly. Without it the message is looked up by its EsbMessageId search attribute (eventually consistent).';

export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'temporal-esb REST API',
    version: '1.0.0',
    description:
      'Send messages into flows and follow their delivery. Every error answer is `{error, details?}` (schema Error); ' +
      'a path or method not listed here answers 404 with that body (401 first when authentication is on). ' +
      'Authentication: an API key as `Authorization: Bearer <key>` or `X-Api-Key: <key>` on every route but /healthz and this document ' +
      '(on unless the server runs with ESB_AUTH=off or is `esb dev` without keys).',
  },
  security: [{ bearerAuth: [] }, { apiKeyHeader: [] }],
  paths: {
    '/api/v1/flows/{flow}/messages': {
      post: {
        operationId: 'sendMessage',
        summary: 'Send a message into a flow',
        description:
          'Validates the body against the flow input_schema and starts its delivery. Async flows answer 202 once Temporal has recorded the start. ' +
          'Sync flows (flow mode sync, or ?mode=sync) wait for the outcome: 200 with the method response, 502 on failure, 202 if the wait bound passes first. ' +
          'A repeated Idempotency-Key never delivers twice: it answers 200 with the existing message.',
        parameters: [
          { name: 'flow', in: 'path', required: true, description: 'Flow name, as in the YAML.', schema: { type: 'string' } },
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            description: 'Becomes the message id; the same key sent again answers with the existing message. Default: a new UUID.',
            schema: ref('MessageId'),
          },
          {
            name: 'mode',
            in: 'query',
            required: false,
            description: '`sync` makes an async flow wait for the outcome like a sync flow. Other values are ignored.',
            schema: { type: 'string', enum: ['sync'] },
          },
        ],
        requestBody: {
          required: true,
          description: 'Any JSON value (checked against the flow input_schema if it has one). Content-Type application/json or application/*+json.',
          content: { 'application/json': { schema: {} } },
        },
        responses: {
          '200': {
            description:
              'Either a duplicate Idempotency-Key (Duplicate: the existing message and its current status) or, for a sync delivery that succeeded, ' +
              "the method's response body as is (any JSON), with the method's response headers and X-Message-Id.",
            headers: { 'X-Message-Id': { description: 'Sync success only: the message id.', schema: { type: 'string' } } },
            content: json({ anyOf: [ref('Duplicate'), { description: 'Sync success: the response body of the method (any JSON).' }] }),
          },
          '202': { description: 'Accepted: Temporal recorded the start (or, sync, the outcome did not come within the wait bound).', content: json(ref('Accepted')) },
          '400': error('Malformed JSON body, JSON nested deeper than 512 levels, or an invalid Idempotency-Key (1-128 of A-Z a-z 0-9 . _ : -).'),
          '404': error('Unknown flow (details.known lists the flows).'),
          '413': error('Body over the size limit, as received or once decoded and re-encoded (details.limitBytes).'),
          '415': error('Content-Type is not JSON, or an unsupported charset or encoding.'),
          '422': error('The body violates the flow input_schema; details lists `{path, message}` per failure.'),
          '502': { description: 'Sync delivery failed.', content: json(ref('SyncFailure')) },
          ...authErrors,
          ...temporalErrors,
        },
      },
    },
    '/api/v1/messages': {
      get: {
        operationId: 'listMessages',
        summary: 'List messages (the failed-message store with status=failed), newest first, from Temporal visibility',
        parameters: [
          flowQuery('Only messages of this flow.'),
          {
            name: 'status',
            in: 'query',
            required: false,
            description:
              'Only messages in this state, as recorded in the EsbStatus search attribute. That attribute changes when the workflow sees a change: ' +
              'while Temporal retries an activity it still reads `delivering` (GET /api/v1/messages/{messageId} reports `retrying`).',
            schema: ref('DeliveryState'),
          },
          { name: 'limit', in: 'query', required: false, description: 'Page size (default 50).', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
          { name: 'pageToken', in: 'query', required: false, description: 'nextPageToken of the previous page.', schema: { type: 'string' } },
        ],
        responses: {
          '200': { description: 'One page of messages.', content: json(ref('MessageList')) },
          '400': error('Invalid flow, status or limit.'),
          ...authErrors,
          ...temporalErrors,
        },
      },
    },
    '/api/v1/messages/{messageId}': {
      get: {
        operationId: 'getMessage',
        summary: 'Status of one message: delivery state, attempts, last error, response, callbacks',
        parameters: [messageIdParam, flowQuery(flowFilterDoc)],
        responses: {
          '200': { description: 'The delivery status.', content: json(ref('MessageStatus')) },
          '400': error('Invalid message id or flow.'),
          '404': error('Unknown message.'),
          ...authErrors,
          ...temporalErrors,
        },
      },
    },
    '/api/v1/messages/{messageId}/retry': {
      post: {
        operationId: 'retryMessage',
        summary: 'Re-run a failed delivery from the start with the same message (and, unless config=current, the same flow snapshot)',
        parameters: [
          messageIdParam,
          flowQuery(flowFilterDoc),
          {
            name: 'config',
            in: 'query',
            required: false,
            description: '`original` (default): the flow definitions the message was accepted with. `current`: the flow as it is configured now (after fixing a producer, say).',
            schema: { type: 'string', enum: ['original', 'current'] },
          },
        ],
        responses: {
          '202': { description: 'The delivery started again.', content: json(ref('RetryAccepted')) },
          '400': error('Invalid message id, flow or config.'),
          '404': error('Unknown message, or (config=current) its flow is no longer configured.'),
          '409': error('The message is not in a failed state.'),
          ...authErrors,
          ...temporalErrors,
        },
      },
    },
    '/healthz': {
      get: {
        operationId: 'health',
        summary: 'Liveness and Temporal reachability (for load balancers)',
        security: open,
        responses: {
          '200': { description: 'Temporal answers.', content: json(ref('Health')) },
          '503': { description: 'Temporal is unreachable.', content: json(ref('Health')) },
        },
      },
    },
    '/api/v1/openapi.json': {
      get: {
        operationId: 'openApi',
        summary: 'This document',
        security: open,
        responses: {
          '200': {
            description: 'The OpenAPI 3.1 document.',
            content: json({
              type: 'object',
              required: ['openapi', 'info', 'paths'],
              properties: { openapi: { const: '3.1.0' }, info: { type: 'object' }, paths: { type: 'object' }, components: { type: 'object' } },
            }),
          },
        },
      },
    },
  },
  components: {
    schemas: componentSchemas,
    securitySchemes: {
      bearerAuth: { type: 'http', scheme: 'bearer', description: 'An ingress API key (`npx esb apikey NAME` creates one).' },
      apiKeyHeader: { type: 'apiKey', in: 'header', name: 'X-Api-Key', description: 'The same API key, in a header of its own.' },
    },
  },
} as const;
