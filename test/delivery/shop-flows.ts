/**
 * Flows for the delivery tests: a `shop` producer pointing at the scripted
 * fake remote, with fast retries so failure paths run in a second or two.
 */
export const FAST_RETRY = '{ max_attempts: 3, initial_interval: 100ms, backoff: 1, max_interval: 100ms }';

export function shopFlows(remoteUrl: string, opts: { ordersUri?: string; bearerFromEnv?: string } = {}): Record<string, string> {
  const auth = opts.bearerFromEnv ? `authentication: bearer, token: '%env(${opts.bearerFromEnv})%'` : 'authentication: none';
  return {
    'producers/shop.yml': `
producers:
  shop:
    description: The shop's order API
    options: { base_uri: '${remoteUrl}', encoding: json, ${auth}, timeout: 1, connect_timeout: 1 }
    methods:
      createOrder:
        description: Create an order
        steps:
          - define: { Order: "eval: body" }
          - request:
              name: createOrder
              http_method: POST
              uri: ${opts.ordersUri ?? '/orders'}
              body: "eval: Order"
              validations:
                - rule: "eval: responses['createOrder']['body']['accepted'] == true"
                  message: "eval: 'order refused: ' ~ responses['createOrder']['body']['reason']"
                  recoverable: false
                  display_message: true
        response:
          body: "eval: responses['createOrder']['body']"
          headers: { X-Order-Id: "eval: responses['createOrder']['body']['id']" }
      createOrderQuietly:
        description: Create an order; refusals are retried and not shown to callers
        steps:
          - request:
              name: create
              http_method: POST
              uri: /orders
              body: "eval: body"
              validations:
                - rule: "eval: responses['create']['body']['accepted'] == true"
                  message: "eval: 'order not accepted yet: ' ~ responses['create']['body']['reason']"
                  recoverable: true
                  display_message: false
        response:
          body: "eval: responses['create']['body']"
      checkedOrder:
        description: Refuses orders without lines before calling anyone
        steps:
          - validate: { rule: "eval: count(body['lines']) > 0", message: "eval: 'order ' ~ body['id'] ~ ' has no lines'", display_message: true }
          - request: { name: create, http_method: POST, uri: /orders, body: "eval: body" }
      notify:
        description: Tell the shop how delivery went
        steps:
          - request: { name: notify, http_method: POST, uri: /notify, body: "eval: body" }
      audit:
        description: Write the outcome to the audit log
        steps:
          - request: { name: audit, http_method: POST, uri: /audit, body: "eval: body" }
`,
    'flows.yml': `
flows:
  orders:
    deliver: { to: shop.createOrder, retry: ${FAST_RETRY}, timeout: 30s }
    callback: { to: shop.notify, mode: async, when: always }
  orders_sync_callback:
    deliver: { to: shop.createOrder, retry: ${FAST_RETRY}, timeout: 30s }
    callback: { to: shop.notify, mode: sync, when: always }
  orders_broadcast:
    deliver: { to: shop.createOrder, retry: ${FAST_RETRY}, timeout: 30s }
    callback: { to: [shop.notify, shop.audit], mode: sync, when: always }
  orders_on_failure:
    deliver: { to: shop.createOrder, retry: ${FAST_RETRY}, timeout: 30s }
    callback: { to: shop.notify, mode: sync, when: failure }
  orders_sync:
    mode: sync
    deliver: { to: shop.createOrder, retry: ${FAST_RETRY}, timeout: 30s }
  orders_quiet:
    mode: sync
    deliver: { to: shop.createOrderQuietly, retry: ${FAST_RETRY}, timeout: 30s }
  orders_checked:
    mode: sync
    deliver: { to: shop.checkedOrder, retry: ${FAST_RETRY}, timeout: 30s }
  orders_validated:
    input_schema:
      type: object
      required: [id, lines]
      properties:
        id: { type: string }
        lines: { type: array, items: { type: object, required: [sku], properties: { sku: { type: string } } } }
    deliver: { to: shop.createOrder, retry: ${FAST_RETRY}, timeout: 30s }
`,
  };
}

export const ORDER = { id: 'A-1', lines: [{ sku: 'tea', qty: 2 }] };
export const ACCEPTED = { status: 200, body: { accepted: true, id: 'order-77' } };
