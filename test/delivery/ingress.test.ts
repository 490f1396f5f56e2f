import { startEsbStack, EsbStack } from '../harness/esb-stack';
import { startFakeRemote, FakeRemote } from '../harness/fake-remote';
import { waitFor } from '../harness/processes';
import { ACCEPTED, ORDER, shopFlows } from './shop-flows';

jest.setTimeout(60_000);

let remote: FakeRemote;
let esb: EsbStack;

beforeAll(async () => {
  remote = await startFakeRemote();
  esb = await startEsbStack(shopFlows(remote.url), { limits: { bodyLimitBytes: 4096, syncWaitMs: 10_000 } });
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
});
beforeEach(() => remote.reset());

async function settled(messageId: string, flow: string): Promise<Record<string, unknown>> {
  return waitFor(
    `message ${messageId} to settle`,
    async () => {
      const res = await esb.get(`/api/v1/messages/${messageId}?flow=${flow}`);
      return res.body.status === 'delivered' || res.body.status === 'failed' ? res.body : undefined;
    },
    30_000,
  );
}

async function workflowsOfQueue(): Promise<number> {
  let n = 0;
  for await (const _ of esb.client.workflow.list({ query: `TaskQueue = '${esb.taskQueue}'` })) n += 1;
  return n;
}

describe('sync ingress', () => {
  it("answers 200 with the method's response body and headers", async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const res = await esb.send('orders_sync', ORDER);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(ACCEPTED.body);
    expect(res.headers.get('x-order-id')).toBe('order-77');
  });

  it('answers 502 with the validation message when display_message is true', async () => {
    remote.script('POST', '/orders', [{ status: 200, body: { accepted: false, reason: 'closed today' } }]);
    const res = await esb.send('orders_sync', ORDER);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'order refused: closed today', status: 'failed' });
  });

  it('answers 502 with a generic message when display_message is false', async () => {
    remote.script('POST', '/orders', [{ status: 200, body: { accepted: false, reason: 'secret internals' } }]);
    const res = await esb.send('orders_quiet', ORDER);
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('target system shop.createOrderQuietly failed to process the request');
  });

  it('fails a validate step in the workflow before any request is made', async () => {
    const res = await esb.send('orders_checked', { id: 'B-2', lines: [] });
    expect(res.status).toBe(502);
    expect(res.body.error).toBe('order B-2 has no lines');
    expect(remote.requests('/orders')).toHaveLength(0);
  });

  it('turns an async flow sync with ?mode=sync', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const res = await esb.send('orders', ORDER, { query: 'mode=sync' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(ACCEPTED.body);
  });
});

describe('idempotency', () => {
  it('delivers a message once however often its Idempotency-Key is sent', async () => {
    remote.script('POST', '/orders', [{ ...ACCEPTED, delayMs: 300 }]);
    const key = `order-${Date.now()}`;
    const first = await esb.send('orders', ORDER, { key });
    const again = await esb.send('orders', ORDER, { key });
    expect(first.status).toBe(202);
    expect(first.body.messageId).toBe(key);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ messageId: key, duplicate: true });
    await settled(key, 'orders');
    const late = await esb.send('orders', ORDER, { key });
    expect(late.body).toMatchObject({ messageId: key, status: 'delivered', duplicate: true });
    expect(remote.requests('/orders')).toHaveLength(1);
  });
});

describe('rejections start nothing', () => {
  const cases: Array<[string, () => Promise<{ status: number; body: Record<string, unknown> }>, number, RegExp]> = [
    ['an unknown flow', () => esb.send('nope', ORDER), 404, /unknown flow 'nope'/],
    ['malformed JSON', () => esb.send('orders', '{"id": '), 400, /malformed JSON/],
    ['a wrong content type', () => esb.send('orders', 'id=1', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, /Content-Type must be application\/json/],
    ['a body over the limit', () => esb.send('orders', { blob: 'x'.repeat(8000) }), 413, /size limit/],
    ['an input_schema violation', () => esb.send('orders_validated', { id: 7 }), 422, /input schema/],
    ['a malformed Idempotency-Key', () => esb.send('orders', ORDER, { key: 'spaces are not allowed' }), 400, /Idempotency-Key/],
  ];

  it.each(cases)('answers %s with a clear error', async (_name, request, status, message) => {
    const before = await workflowsOfQueue();
    const res = await request();
    expect(res.status).toBe(status);
    expect(res.body.error).toMatch(message);
    expect(await workflowsOfQueue()).toBe(before);
  });

  it('names the failing paths of an input_schema violation', async () => {
    const res = await esb.send('orders_validated', { id: 'C-3', lines: [{ qty: 1 }] });
    expect(res.status).toBe(422);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/lines/0' })]));
  });

  it('answers 404 for an unknown message id', async () => {
    const res = await esb.get('/api/v1/messages/does-not-exist?flow=orders');
    expect(res.status).toBe(404);
  });
});

describe('the failed-message store', () => {
  it('lists failed messages and re-delivers one on retry with the same message', async () => {
    remote.script('POST', '/orders', [{ status: 422, body: { error: 'bad address' } }]);
    const { body } = await esb.send('orders', { ...ORDER, id: 'F-1' });
    const messageId = body.messageId as string;
    await settled(messageId, 'orders');

    const listed = await waitFor(
      'the message to show in the failed list',
      async () => {
        const res = await esb.get('/api/v1/messages?status=failed&flow=orders&limit=100');
        const found = (res.body.messages as Array<Record<string, unknown>>).find((m) => m.messageId === messageId);
        return found;
      },
      10_000,
    );
    expect(listed).toMatchObject({ flow: 'orders', status: 'failed' });

    remote.script('POST', '/orders', [ACCEPTED]);
    const retried = await esb.post(`/api/v1/messages/${messageId}/retry`);
    expect(retried.status).toBe(202);
    expect(await settled(messageId, 'orders')).toMatchObject({ status: 'delivered' });
    const orders = remote.requests('/orders').filter((r) => (r.body as { id?: string }).id === 'F-1');
    expect(orders).toHaveLength(2);
    expect(orders[1].body).toEqual(orders[0].body);

    const again = await esb.post(`/api/v1/messages/${messageId}/retry`);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/not in a failed state \(status: delivered\)/);
  });

  it('pages through the list with nextPageToken and refuses a token it did not issue', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    await esb.send('orders_sync', ORDER);
    await esb.send('orders_sync', ORDER);
    const first = await waitFor('two listed messages', async () => {
      const page = await esb.get('/api/v1/messages?flow=orders_sync&limit=1');
      return page.body.nextPageToken ? page : undefined;
    }, 10_000);
    expect(first.status).toBe(200);
    expect(first.body.messages).toHaveLength(1);
    const token = first.body.nextPageToken as string;
    expect(typeof token).toBe('string');
    const second = await esb.get(`/api/v1/messages?flow=orders_sync&limit=1&pageToken=${token}`);
    expect(second.status).toBe(200);
    expect((second.body.messages as Array<{ workflowId: string }>)[0].workflowId).not.toBe((first.body.messages as Array<{ workflowId: string }>)[0].workflowId);
    const garbage = await esb.get('/api/v1/messages?pageToken=garbage');
    expect(garbage.status).toBe(400);
    expect(garbage.body.error).toMatch(/invalid pageToken/);
  });

  it('finds a message by id alone', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    await settled(body.messageId as string, 'orders');
    const res = await waitFor('lookup by id', async () => {
      const r = await esb.get(`/api/v1/messages/${body.messageId}`);
      return r.status === 200 ? r : undefined;
    }, 10_000);
    expect(res.body).toMatchObject({ messageId: body.messageId, flow: 'orders', status: 'delivered' });
  });
});

describe('flow versioning', () => {
  it('keeps the config a message started with while it retries after the YAML changes', async () => {
    remote.script('POST', '/orders', [{ status: 503 }, { status: 503 }, ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    await remote.waitForRequests('/orders', 1);
    esb.reload(shopFlows(remote.url, { ordersUri: '/orders-v2' }));
    expect(await settled(body.messageId as string, 'orders')).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(remote.requests('/orders')).toHaveLength(3);
    expect(remote.requests('/orders-v2')).toHaveLength(0);

    const next = await esb.send('orders', ORDER);
    await settled(next.body.messageId as string, 'orders');
    expect(remote.requests('/orders-v2')).toHaveLength(1);
    esb.reload(shopFlows(remote.url));
  });

  it('retries a failed message against the current config when asked (config=current)', async () => {
    remote.script('POST', '/orders', [{ status: 404 }]);
    const { body } = await esb.send('orders', { ...ORDER, id: 'V-9' });
    const messageId = body.messageId as string;
    expect(await settled(messageId, 'orders')).toMatchObject({ status: 'failed' });
    esb.reload(shopFlows(remote.url, { ordersUri: '/orders-fixed' }));
    try {
      remote.script('POST', '/orders-fixed', [ACCEPTED]);
      expect((await esb.post(`/api/v1/messages/${messageId}/retry?config=sideways`)).status).toBe(400);
      expect((await esb.post(`/api/v1/messages/${messageId}/retry?config=current`)).status).toBe(202);
      expect(await settled(messageId, 'orders')).toMatchObject({ status: 'delivered' });
      expect(remote.requests('/orders-fixed').map((r) => r.body)).toEqual([{ ...ORDER, id: 'V-9' }]);
    } finally {
      esb.reload(shopFlows(remote.url));
    }
  });
});
