/**
 * Secrets never leave the worker's memory except on the wire to the remote:
 * a real delivery with basic auth, a secret producer header, a secret step
 * header, a bearer token and a signing secret, whose remote answers 500, is
 * checked in the workflow histories (as the temporal CLI shows them), in every
 * log line the process wrote, and in every error message a caller can see.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { logger, setLogDestination } from '../../src/shared/logger';
import { verifyWebhook } from '../../src/security/webhooks';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startEsbStack, type EsbStack } from '../harness/esb-stack';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { temporalAddress } from '../harness/temporal';

jest.setTimeout(60_000);

const SIGNING_KEY = randomBytes(32).toString('base64');
const SECRETS = {
  VAULT_PASSWORD: `pw-${randomUUID()}`,
  VAULT_API_KEY: `apikey-${randomUUID()}`,
  VAULT_STEP_TOKEN: `steptoken-${randomUUID()}`,
  NOTIFY_TOKEN: `bearer-${randomUUID()}`,
  SIGNING_SECRET: `whsec_${SIGNING_KEY}`,
};
const USER = 'esb-user';
/** Every value that must not appear: the secrets, and the forms they travel in. */
const FORBIDDEN = [...Object.values(SECRETS), SIGNING_KEY, Buffer.from(`${USER}:${SECRETS.VAULT_PASSWORD}`).toString('base64')];

const FLOWS = {
  'producers.yml': `
producers:
  vault:
    options:
      base_uri: '%env(REMOTE_URL)%'
      authentication: basic
      username: ${USER}
      password: '%env(VAULT_PASSWORD)%'
      headers: { X-Api-Key: { secret: '%env(VAULT_API_KEY)%' } }
      signing: { scheme: standard-webhooks, secret: '%env(SIGNING_SECRET)%' }
      timeout: 2
    methods:
      store:
        description: Store the message
        steps:
          - request:
              name: store
              http_method: POST
              uri: /store
              body: "eval: body"
              headers: { X-Step-Token: { secret: '%env(VAULT_STEP_TOKEN)%' } }
  notifier:
    options:
      base_uri: '%env(REMOTE_URL)%'
      authentication: bearer
      token: '%env(NOTIFY_TOKEN)%'
      signing: { scheme: standard-webhooks, secret: '%env(SIGNING_SECRET)%' }
    methods:
      notify:
        description: Tell how it went
        steps:
          - request: { name: notify, http_method: POST, uri: /notify, body: "eval: body" }
`,
  'flows.yml': `
flows:
  vaulted:
    deliver: { to: vault.store, retry: { max_attempts: 2, initial_interval: 100ms }, timeout: 20s }
    callback: { to: notifier.notify, mode: sync, when: always }
`,
};

let remote: FakeRemote;
let esb: EsbStack;
const logLines: string[] = [];
const restore: Array<() => void> = [];

beforeAll(async () => {
  remote = await startFakeRemote();
  remote.script('POST', '/store', [{ status: 500, body: { error: 'disk full' } }]);
  // Every line the process logs, at every level, from our logger and from the Temporal SDK's.
  const previousLevel = logger.level;
  logger.level = 'debug';
  restore.push(() => (logger.level = previousLevel));
  restore.push(setLogDestination({ write: (line: string) => logLines.push(line) }));
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    logLines.push(String(chunk));
    return true;
  });
  restore.push(() => stderr.mockRestore());
  esb = await startEsbStack(FLOWS, { env: { ...SECRETS, REMOTE_URL: remote.url } });
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
  for (const undo of restore.reverse()) undo();
});

function temporalCli(args: string[]): string {
  return execFileSync(findTemporalCli()!, [...args, '--address', temporalAddress(), '--namespace', 'default'], { encoding: 'utf8' });
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of FORBIDDEN) expect({ where, leaked: text.includes(secret) ? secret : undefined }).toEqual({ where, leaked: undefined });
}

describe('a failed delivery that carried every kind of secret', () => {
  let messageId: string;
  let workflowId: string;
  let failure: WorkflowFailedError;

  beforeAll(async () => {
    const { body } = await esb.send('vaulted', { order: 'A-1' });
    messageId = String(body.messageId);
    workflowId = String(body.workflowId);
    failure = await esb.client.workflow.getHandle(workflowId).result().then(
      () => {
        throw new Error('expected the delivery to fail');
      },
      (err: unknown) => err as WorkflowFailedError,
    );
  });

  it('sent each secret to the remote, where it belongs', () => {
    const [store] = remote.requests('/store');
    expect(store.headers).toMatchObject({
      authorization: `Basic ${Buffer.from(`${USER}:${SECRETS.VAULT_PASSWORD}`).toString('base64')}`,
      'x-api-key': SECRETS.VAULT_API_KEY,
      'x-step-token': SECRETS.VAULT_STEP_TOKEN,
    });
    expect(verifyWebhook(SECRETS.SIGNING_SECRET, store.headers, store.rawBody).id).toBe(`${messageId}:store`);
    const [notify] = remote.requests('/notify');
    expect(notify.headers.authorization).toBe(`Bearer ${SECRETS.NOTIFY_TOKEN}`);
    expect(verifyWebhook(SECRETS.SIGNING_SECRET, notify.headers, notify.rawBody).id).toBe(`${messageId}:callback:notify`);
    expect(remote.requests('/store')).toHaveLength(2);
  });

  it('left no secret in the delivery and callback histories, as the temporal CLI shows them', async () => {
    const callbackId = `callback-vaulted-${messageId}-notifier.notify`;
    for (const id of [workflowId, callbackId]) {
      const shown = temporalCli(['workflow', 'show', '--workflow-id', id, '-o', 'json']);
      expect(shown).toContain('"eventId"');
      expectNoSecret(`temporal workflow show ${id}`, shown);
      expectNoSecret(`history of ${id}`, JSON.stringify(await esb.client.workflow.getHandle(id).fetchHistory()));
    }
  });

  it('left no secret in the error a caller sees, through the API or the Temporal client', async () => {
    const status = await esb.get(`/api/v1/messages/${messageId}?flow=vaulted`);
    expect(status.body).toMatchObject({ status: 'failed', lastError: { type: 'RemoteServerError', statusCode: 500 } });
    expect(String((status.body.lastError as { message: string }).message)).toContain('answered 500');
    expectNoSecret('GET /api/v1/messages/{id}', JSON.stringify(status.body));
    const chain: unknown[] = [];
    for (let e: unknown = failure; e; e = (e as { cause?: unknown }).cause) chain.push({ message: (e as Error).message, details: (e as { details?: unknown }).details });
    expect(chain.length).toBeGreaterThan(1);
    expectNoSecret('WorkflowFailedError chain', JSON.stringify(chain));
  });

  it('left no secret in any line the process logged, though it logged the failure', () => {
    const logs = logLines.join('');
    expect(logs).toContain('answered 500');
    expect(logs).toContain('request delivered');
    expectNoSecret('process logs', logs);
  });
});
