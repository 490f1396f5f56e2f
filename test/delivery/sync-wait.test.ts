import { startEsbStack, EsbStack } from '../harness/esb-stack';
import { startFakeRemote, FakeRemote } from '../harness/fake-remote';
import { waitFor } from '../harness/processes';
import { expectConformsToOpenApi } from '../harness/openapi';
import { ACCEPTED, ORDER, shopFlows } from './shop-flows';

jest.setTimeout(60_000);

let remote: FakeRemote;
let esb: EsbStack;

beforeAll(async () => {
  remote = await startFakeRemote();
  esb = await startEsbStack(shopFlows(remote.url), { limits: { syncWaitMs: 300 } });
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
});

describe('a sync caller whose delivery outlives the wait bound', () => {
  it('gets 202 with the status link, and the delivery goes on', async () => {
    remote.script('POST', '/orders', [{ ...ACCEPTED, delayMs: 800 }]);
    const res = await esb.send('orders_sync', ORDER);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'delivering', flow: 'orders_sync' });
    expectConformsToOpenApi('POST', '/api/v1/flows/orders_sync/messages', 202, res.body);
    const link = (res.body.links as { status: string }).status;
    const done = await waitFor(
      'the delivery to finish',
      async () => {
        const s = await esb.get(link);
        return s.body.status === 'delivered' ? s.body : undefined;
      },
      20_000,
    );
    expect(done).toMatchObject({ response: { body: ACCEPTED.body } });
  });
});
