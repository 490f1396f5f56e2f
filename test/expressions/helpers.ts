// Shared test scope: a step scope over a typical JSON message, with one mapping.
import { buildStepScope, createMapper, evaluateExpression, type ExpressionScope, type Mapper } from '../../src/expressions';

export const context = {
  messageId: 'msg-1',
  transactionId: 'tx-1',
  flow: 'ping',
  timestamp: '2024-03-05T10:20:30.000Z',
  attempt: 2,
  version: 'v3',
};

export function testMapper(): Mapper {
  return createMapper({ pingToRemoteApi: { message: 'obj.getMessage()', time: 'obj.getTimestamp()' } });
}

export function testScope(body: unknown = defaultBody(), extra: Partial<Parameters<typeof buildStepScope>[0]> = {}): ExpressionScope {
  return buildStepScope({
    body,
    headers: { 'content-type': 'application/json' },
    context,
    vars: { Answer: 42 },
    responses: { callback: { statusCode: 200, body: { ok: true }, headers: {} } },
    options: { base_uri: 'http://remote.example' },
    mapper: testMapper(),
    ...extra,
  });
}

export function defaultBody(): Record<string, unknown> {
  return {
    id: 7,
    name: 'Ada',
    message: 'ping',
    timestamp: '2024-03-05T10:20:30Z',
    tags: ['a', 'b', 'c'],
    nested: { deep: { value: 'x' }, nothing: null },
    zero: 0,
    zeroString: '0',
    empty: [],
    emptyMap: {},
    price: '12.50',
  };
}

export const evaluate = (source: string, scope: ExpressionScope = testScope()): unknown => evaluateExpression(source, scope);
