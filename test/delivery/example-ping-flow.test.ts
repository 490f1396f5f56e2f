import fs from 'node:fs';
import path from 'node:path';
import { startEsbStack, EsbStack } from '../harness/esb-stack';
import { startFakeRemote, FakeRemote } from '../harness/fake-remote';
import { waitFor } from '../harness/processes';

jest.setTimeout(60_000);

/** The shipped example flows, read from flows/ as they are. */
function exampleFlows(): Record<string, string> {
  const root = path.resolve(__dirname, '../../flows');
  const files: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry.name)) files[path.relative(root, full)] = fs.readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return files;
}

describe('the example ping flow', () => {
  let remote: FakeRemote;
  let esb: EsbStack;

  beforeAll(async () => {
    remote = await startFakeRemote();
    esb = await startEsbStack(exampleFlows(), { env: { REMOTE_BASE_URI: remote.url } });
  });

  afterAll(async () => {
    await esb?.stop();
    await remote?.close();
  });

  it('delivers the mapped ping and calls back with a positive outcome', async () => {
    remote.script('POST', '/smartesb-skeleton/web/remote/pong', [{ status: 200, body: { pong: 'Ping' } }]);
    const accepted = await esb.send('ping', { message: 'Ping', timestamp: 1700000000 });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ flow: 'ping', status: 'accepted' });
    const messageId = accepted.body.messageId as string;

    const [ping] = await remote.waitForRequests('/smartesb-skeleton/web/remote/pong', 1, 20_000);
    expect(ping.body).toEqual({ message: 'Ping', time: 1700000000 });
    expect(ping.headers['idempotency-key']).toBe(`${messageId}:sendPingMessage`);
    expect(ping.headers['x-transaction-id']).toBe(messageId);

    const [callback] = await remote.waitForRequests('/smartbox-skeleton/web/remote/callback', 1, 20_000);
    expect(callback.body).toMatchObject({ message_id: messageId, flow: 'ping', status: 'delivered', attempts: 1, response: { pong: 'Ping' } });

    const status = await waitFor(
      'the callback to be reported delivered',
      async () => {
        const res = await esb.get(`/api/v1/messages/${messageId}`);
        const cbs = res.body.callbacks as Array<{ status: string }>;
        return res.body.status === 'delivered' && cbs[0]?.status === 'delivered' ? res : undefined;
      },
      20_000,
    );
    expect(status.body).toMatchObject({ messageId, flow: 'ping', status: 'delivered', attempts: 1, response: { body: { pong: 'Ping' } } });
  });
});
