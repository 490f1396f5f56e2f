import { startEsbStack, EsbStack } from '../harness/esb-stack';
import { startFakeRemote, FakeRemote } from '../harness/fake-remote';
import { waitFor } from '../harness/processes';
import { ACCEPTED, ORDER, shopFlows } from './shop-flows';

jest.setTimeout(60_000);

let remote: FakeRemote;
let esb: EsbStack;

beforeAll(async () => {
  remote = await startFakeRemote();
  esb = await startEsbStack(shopFlows(remote.url));
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
});
beforeEach(() => remote.reset());

async function finalStatus(messageId: string, flow: string): Promise<Record<string, unknown>> {
  return waitFor(
    `message ${messageId} to finish`,
    async () => {
      const res = await esb.get(`/api/v1/messages/${messageId}?flow=${flow}`);
      const callbacksDone = (res.body.callbacks as Array<{ status: string }> | undefined)?.every((c) => c.status === 'delivered' || c.status === 'failed');
      return (res.body.status === 'delivered' || res.body.status === 'failed') && callbacksDone ? res.body : undefined;
    },
    30_000,
  );
}

describe('delivery outcomes', () => {
  it('delivers and reports a positive async callback', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    const [notify] = await remote.waitForRequests('/notify', 1, 20_000);
    expect(notify.body).toMatchObject({ messageId: body.messageId, flow: 'orders', status: 'delivered', attempts: 1, response: ACCEPTED.body });
    expect(notify.headers['idempotency-key']).toBe(`${body.messageId}:callback:notify`);
    expect(await finalStatus(body.messageId as string, 'orders')).toMatchObject({ status: 'delivered', attempts: 1 });
  });

  it('waits for a sync callback and includes its outcome in the status', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const { body } = await esb.send('orders_sync_callback', ORDER);
    const status = await finalStatus(body.messageId as string, 'orders_sync_callback');
    expect(status).toMatchObject({ status: 'delivered', callbackMode: 'sync', callbacks: [{ target: 'shop.notify', status: 'delivered', attempts: 1 }] });
    expect(remote.requests('/notify')).toHaveLength(1);
  });

  it('retries a recoverable failure twice, then delivers on the third attempt and says so in the callback', async () => {
    remote.script('POST', '/orders', [{ status: 503 }, { status: 500 }, ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    const [notify] = await remote.waitForRequests('/notify', 1, 20_000);
    expect(notify.body).toMatchObject({ status: 'delivered', attempts: 3 });
    const orders = remote.requests('/orders');
    expect(orders).toHaveLength(3);
    // Every repeat carries the same idempotency key, so the remote can de-duplicate.
    expect(new Set(orders.map((r) => r.headers['idempotency-key']))).toEqual(new Set([`${body.messageId}:createOrder`]));
  });

  it('marks the delivery failed without retrying on HTTP 404 and sends a negative callback carrying the message', async () => {
    remote.script('POST', '/orders', [{ status: 404, body: { error: 'no such shop' } }]);
    const { body } = await esb.send('orders', ORDER);
    const [notify] = await remote.waitForRequests('/notify', 1, 20_000);
    expect(notify.body).toMatchObject({ messageId: body.messageId, status: 'failed', attempts: 1, error: { recoverable: false, statusCode: 404 } });
    expect((notify.body as { error: { message: string } }).error.message).toMatch(/404/);
    expect(remote.requests('/orders')).toHaveLength(1);
    const status = await finalStatus(body.messageId as string, 'orders');
    expect(status).toMatchObject({ status: 'failed', attempts: 1, lastError: { recoverable: false, statusCode: 404, type: 'RemoteClientError' } });
  });

  it('fails at once when an unrecoverable validation fails, with the evaluated message', async () => {
    remote.script('POST', '/orders', [{ status: 200, body: { accepted: false, reason: 'out of stock' } }]);
    const { body } = await esb.send('orders', ORDER);
    const status = await finalStatus(body.messageId as string, 'orders');
    expect(status).toMatchObject({ status: 'failed', attempts: 1, lastError: { message: 'order refused: out of stock', recoverable: false, type: 'ValidationFailedError' } });
    expect(remote.requests('/orders')).toHaveLength(1);
  });

  it('retries a recoverable validation failure until the remote accepts', async () => {
    remote.script('POST', '/orders', [{ status: 200, body: { accepted: false, reason: 'busy' } }, ACCEPTED]);
    const res = await esb.send('orders_quiet', ORDER);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(ACCEPTED.body);
    expect(remote.requests('/orders')).toHaveLength(2);
  });

  it('gives up after max_attempts and keeps the last error', async () => {
    remote.script('POST', '/orders', [{ status: 503, body: { error: 'down' } }]);
    const { body } = await esb.send('orders', ORDER);
    const status = await finalStatus(body.messageId as string, 'orders');
    expect(status).toMatchObject({ status: 'failed', attempts: 3, lastError: { recoverable: true, statusCode: 503, type: 'RemoteServerError' } });
    expect(remote.requests('/orders')).toHaveLength(3);
  });

  it('treats a remote slower than the timeout as recoverable and delivers on the next attempt', async () => {
    remote.script('POST', '/orders', [{ ...ACCEPTED, delayMs: 2500 }, ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    const status = await finalStatus(body.messageId as string, 'orders');
    expect(status).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('waits as long as Retry-After says before the next attempt', async () => {
    remote.script('POST', '/orders', [{ status: 503, headers: { 'retry-after': '2' } }, ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    const status = await finalStatus(body.messageId as string, 'orders');
    expect(status).toMatchObject({ status: 'delivered', attempts: 2 });
    const [first, second] = remote.requests('/orders');
    // The flow's own interval is 100 ms; only the header explains a gap this long.
    expect(second.at - first.at).toBeGreaterThanOrEqual(1500);
  });

  it('broadcasts to two targets in parallel and reports each on its own when one fails', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    remote.script('POST', '/audit', [{ status: 500 }]);
    const { body } = await esb.send('orders_broadcast', ORDER);
    const status = await finalStatus(body.messageId as string, 'orders_broadcast');
    expect(status.status).toBe('delivered');
    const callbacks = status.callbacks as Array<Record<string, unknown>>;
    expect(callbacks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ target: 'shop.notify', status: 'delivered', attempts: 1 }),
        expect.objectContaining({ target: 'shop.audit', status: 'failed', attempts: 3, lastError: expect.objectContaining({ statusCode: 500 }) }),
      ]),
    );
  });

  it('calls back only on failure when the flow says when: failure', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const ok = await esb.send('orders_on_failure', ORDER);
    await remote.waitForRequests('/orders', 1);
    expect(await finalStatus(ok.body.messageId as string, 'orders_on_failure')).toMatchObject({ status: 'delivered', callbacks: [] });
    remote.script('POST', '/orders', [{ status: 400 }]);
    const bad = await esb.send('orders_on_failure', ORDER);
    expect(await finalStatus(bad.body.messageId as string, 'orders_on_failure')).toMatchObject({ status: 'failed', callbacks: [{ status: 'delivered' }] });
    expect(remote.requests('/notify')).toHaveLength(1);
  });
});
