import { execFileSync } from 'node:child_process';
import { startEsbStack, EsbStack } from '../harness/esb-stack';
import { startFakeRemote, FakeRemote } from '../harness/fake-remote';
import { waitFor } from '../harness/processes';
import { temporalAddress } from '../harness/temporal';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { ACCEPTED, ORDER, shopFlows } from './shop-flows';

jest.setTimeout(60_000);

const SECRET = 'tok-3f9a1c77-never-in-history';

let remote: FakeRemote;
let esb: EsbStack;

beforeAll(async () => {
  remote = await startFakeRemote();
  esb = await startEsbStack(shopFlows(remote.url, { bearerFromEnv: 'SHOP_TOKEN' }), { env: { SHOP_TOKEN: SECRET } });
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
});

function temporalCli(args: string[]): string {
  return execFileSync(findTemporalCli()!, [...args, '--address', temporalAddress(), '--namespace', 'default'], { encoding: 'utf8' });
}

describe('what the Web UI and the temporal CLI show', () => {
  it('finds failed deliveries with `temporal workflow list --query "EsbStatus=\'failed\'"`', async () => {
    remote.script('POST', '/orders', [{ status: 409 }]);
    const { body } = await esb.send('orders', ORDER);
    const workflowId = body.workflowId as string;
    const listed = await waitFor(
      'the CLI to list the failed delivery',
      async () => {
        const out = temporalCli(['workflow', 'list', '--query', `EsbStatus='failed' AND TaskQueue='${esb.taskQueue}'`, '-o', 'json']);
        return out.includes(workflowId) ? out : undefined;
      },
      20_000,
    );
    expect(listed).toContain('DeliveryWorkflow');
  });

  it('labels each workflow and activity with a summary, and sets the search attributes', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    const { body } = await esb.send('orders', ORDER);
    const messageId = body.messageId as string;
    await remote.waitForRequests('/notify', 1, 20_000);
    const handle = esb.client.workflow.getHandle(body.workflowId as string);
    await handle.result();
    const description = await handle.describe();
    expect(await description.staticSummary()).toBe(`orders ${messageId.slice(0, 8)} → shop.createOrder`);
    const attrs = Object.fromEntries(description.typedSearchAttributes.getAll().filter((p) => p.key.name.startsWith('Esb')).map((p) => [p.key.name, p.value]));
    expect(attrs).toEqual({ EsbFlow: 'orders', EsbMessageId: messageId, EsbStatus: 'delivered', EsbTarget: 'shop.createOrder' });

    const history = await handle.fetchHistory();
    const scheduled = history.events?.find((e) => e.activityTaskScheduledEventAttributes);
    expect(scheduled?.userMetadata?.summary).toBeTruthy();
    expect(Buffer.from(scheduled!.userMetadata!.summary!.data!).toString()).toContain('POST /orders');

    // The producer's bearer token is added by the activity at send time: the remote got it, the history never had it.
    expect(remote.requests('/orders').at(-1)?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(JSON.stringify(history)).not.toContain(SECRET);
    expect(temporalCli(['workflow', 'show', '--workflow-id', body.workflowId as string, '-o', 'json'])).not.toContain(SECRET);

    const callback = esb.client.workflow.getHandle(`callback-orders-${messageId}-shop.notify`);
    await callback.result();
    const cbAttrs = Object.fromEntries((await callback.describe()).typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    expect(cbAttrs).toMatchObject({ EsbFlow: 'orders', EsbMessageId: messageId, EsbTarget: 'shop.notify', EsbStatus: 'delivered' });
  });
});
