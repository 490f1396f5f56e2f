/**
 * Payload encryption (ESB_PAYLOAD_KEYS): the codec itself, then real
 * deliveries whose raw history, read without the key, holds only ciphertext,
 * and a key rotation with a message in flight.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { DataConverter, Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { startDelivery } from '../../src/api/ingress';
import { AesGcmPayloadCodec, dataConverterFromEnv, parsePayloadKeys, PayloadKeyError } from '../../src/temporal/codec';
import { findTemporalCli } from '../../src/temporal/cli-binary';
import { startEsbStack, type EsbStack } from '../harness/esb-stack';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';
import { waitFor } from '../harness/processes';
import { connectClient, temporalAddress } from '../harness/temporal';
import { ACCEPTED, ORDER, shopFlows } from '../delivery/shop-flows';

jest.setTimeout(60_000);

const K1 = randomBytes(32).toString('base64');
const K2 = randomBytes(32).toString('base64');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString('utf8');
const plain = (value: unknown): Payload => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });

describe('the AES-256-GCM payload codec', () => {
  const codec = new AesGcmPayloadCodec(parsePayloadKeys(`k1:${K1}`));

  it('encrypts a payload to binary/encrypted with its key id, and restores it exactly', async () => {
    const original = plain({ secret: 'plaintext-body' });
    const [encrypted] = await codec.encode([original]);
    expect(text(encrypted.metadata?.encoding)).toBe('binary/encrypted');
    expect(text(encrypted.metadata?.['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(encrypted.data!).includes('plaintext-body')).toBe(false);
    const [decoded] = await codec.decode([encrypted]);
    expect(temporal.api.common.v1.Payload.encode(decoded).finish()).toEqual(temporal.api.common.v1.Payload.encode(original).finish());
  });

  it('uses a fresh IV each time, passes unencrypted payloads through, and rejects tampering', async () => {
    const [a, b] = await codec.encode([plain('same'), plain('same')]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
    const untouched = plain('old history, written before encryption was on');
    expect(await codec.decode([untouched])).toEqual([untouched]);
    const tampered = { ...a, data: Buffer.from(a.data!).map((byte, i) => (i === 20 ? byte ^ 1 : byte)) };
    await expect(codec.decode([tampered])).rejects.toThrow();
    const relabelled = { ...a, metadata: { ...a.metadata, 'encryption-key-id': Buffer.from('k2') } };
    await expect(new AesGcmPayloadCodec(parsePayloadKeys(`k2:${K1}`)).decode([relabelled])).rejects.toThrow();
  });

  it('decrypts with any listed key and encrypts with the first or ESB_PAYLOAD_KEY_ID (rotation)', async () => {
    const [old] = await codec.encode([plain('before rotation')]);
    const rotated = new AesGcmPayloadCodec(parsePayloadKeys(`k2:${K2},k1:${K1}`));
    expect(text((await rotated.decode([old]))[0].data)).toBe('"before rotation"');
    expect(text((await rotated.encode([plain('after')]))[0].metadata?.['encryption-key-id'])).toBe('k2');
    const pinned = new AesGcmPayloadCodec(parsePayloadKeys(`k2:${K2},k1:${K1}`, 'k1'));
    expect(text((await pinned.encode([plain('x')]))[0].metadata?.['encryption-key-id'])).toBe('k1');
    await expect(new AesGcmPayloadCodec(parsePayloadKeys(`k2:${K2}`)).decode([old])).rejects.toThrow("payload encrypted with key 'k1', which is not in ESB_PAYLOAD_KEYS");
  });

  it('is off unless ESB_PAYLOAD_KEYS is set, and refuses bad keys without showing them', () => {
    expect(dataConverterFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({ ESB_PAYLOAD_KEYS: ' ' })).toBeUndefined();
    expect(dataConverterFromEnv({ ESB_PAYLOAD_KEYS: `k1:${K1}` })?.payloadCodecs).toHaveLength(1);
    const short = randomBytes(16).toString('base64');
    const cases: Array<[Record<string, string>, string]> = [
      [{ ESB_PAYLOAD_KEYS: `k1:${short}` }, "ESB_PAYLOAD_KEYS entry 1 ('k1'): the key must be the base64 of 32 random bytes"],
      [{ ESB_PAYLOAD_KEYS: K1 }, 'ESB_PAYLOAD_KEYS entry 1: expected keyId:base64key'],
      [{ ESB_PAYLOAD_KEYS: `k1:${K1},k1:${K2}` }, "key id 'k1' appears twice"],
      [{ ESB_PAYLOAD_KEYS: `k1:${K1}`, ESB_PAYLOAD_KEY_ID: 'k9' }, "ESB_PAYLOAD_KEY_ID 'k9' is not one of the ids in ESB_PAYLOAD_KEYS (k1)"],
    ];
    for (const [env, message] of cases) {
      let error: Error | undefined;
      try {
        dataConverterFromEnv(env);
      } catch (err) {
        error = err as Error;
      }
      expect(error).toBeInstanceOf(PayloadKeyError);
      expect(error!.message).toContain(message);
      for (const key of [K1, K2, short]) expect(error!.message).not.toContain(key);
    }
  });
});

/** Every payload of a history, with where it sits (search attributes are indexed by the server, never encoded). */
function payloadsOf(value: unknown, path = ''): Array<{ path: string; payload: temporal.api.common.v1.IPayload }> {
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  const candidate = value as temporal.api.common.v1.IPayload;
  if (candidate.metadata && typeof candidate.metadata === 'object' && ArrayBuffer.isView(candidate.data)) return [{ path, payload: candidate }];
  return Object.entries(value).flatMap(([k, v]) => payloadsOf(v, `${path}.${k}`));
}

async function rawHistory(plainClient: Client, workflowId: string) {
  const { history } = await plainClient.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
  return history!;
}

function temporalCli(args: string[]): string {
  return execFileSync(findTemporalCli()!, [...args, '--address', temporalAddress(), '--namespace', 'default'], { encoding: 'utf8' });
}

describe('deliveries with payload encryption on', () => {
  const converter = dataConverterFromEnv({ ESB_PAYLOAD_KEYS: `k1:${K1}` }) as DataConverter;
  let remote: FakeRemote;
  let esb: EsbStack;
  let withoutKey: Client;

  beforeAll(async () => {
    remote = await startFakeRemote();
    esb = await startEsbStack(shopFlows(remote.url), { dataConverter: converter });
    withoutKey = await connectClient();
  });
  afterAll(async () => {
    await esb?.stop();
    await withoutKey?.connection.close();
    await remote?.close();
  });

  it('delivers the message in clear to the remote, while the raw history holds only ciphertext', async () => {
    const marker = `plaintext-marker-${randomUUID()}`;
    remote.script('POST', '/orders', [ACCEPTED]);
    const { body } = await esb.send('orders', { ...ORDER, note: marker });
    const workflowId = body.workflowId as string;
    await esb.client.workflow.getHandle(workflowId).result();
    expect(remote.requests('/orders').at(-1)?.rawBody).toContain(marker);
    expect((await esb.get(`/api/v1/messages/${String(body.messageId)}?flow=orders`)).body).toMatchObject({ status: 'delivered' });

    const history = await rawHistory(withoutKey, workflowId);
    const all = payloadsOf(history);
    const encoded = all.filter((p) => !p.path.includes('searchAttributes'));
    // The message body travels in the workflow input, the activity input and the child (callback) input.
    expect(encoded.map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '.events.0.workflowExecutionStartedEventAttributes.input.payloads.0',
        expect.stringMatching(/activityTaskScheduledEventAttributes\.input\.payloads\.0$/),
        expect.stringMatching(/activityTaskCompletedEventAttributes\.result\.payloads\.0$/),
        expect.stringMatching(/startChildWorkflowExecutionInitiatedEventAttributes\.input\.payloads\.0$/),
        expect.stringMatching(/userMetadata\.summary$/),
      ]),
    );
    for (const { path, payload } of encoded) {
      expect({ path, encoding: text(payload.metadata?.encoding), keyId: text(payload.metadata?.['encryption-key-id']) }).toEqual({ path, encoding: 'binary/encrypted', keyId: 'k1' });
    }
    for (const { payload } of all) expect(Buffer.from(payload.data ?? []).includes(marker)).toBe(false);
    const shown = temporalCli(['workflow', 'show', '--workflow-id', workflowId, '-o', 'json']);
    expect(shown).not.toContain(marker);
    expect(shown).toMatch(/binary\/encrypted|YmluYXJ5L2VuY3J5cHRlZA==/);
  });

  it('reports a retrying delivery with its last error, read from encrypted failure details', async () => {
    remote.script('POST', '/orders', [{ status: 500 }, { status: 500, delayMs: 900 }, { status: 500, delayMs: 900 }]);
    const { body } = await esb.send('orders', ORDER);
    const retrying = await waitFor('the status to say retrying', async () => {
      const status = (await esb.get(`/api/v1/messages/${String(body.messageId)}?flow=orders`)).body;
      return status.status === 'retrying' ? status : undefined;
    }, 10_000);
    expect(retrying.lastError).toMatchObject({ type: 'RemoteServerError', statusCode: 500, recoverable: true });
    await esb.client.workflow.getHandle(body.workflowId as string).result().catch(() => undefined);
  });

  it('re-runs a failed encrypted delivery with the retry route (which reads the history through the codec)', async () => {
    remote.script('POST', '/orders', [{ status: 409 }]);
    const { body } = await esb.send('orders', ORDER);
    const messageId = String(body.messageId);
    await esb.client.workflow.getHandle(body.workflowId as string).result().catch(() => undefined);
    remote.script('POST', '/orders', [ACCEPTED]);
    const retry = await esb.post(`/api/v1/messages/${messageId}/retry?flow=orders`);
    expect(retry.status).toBe(202);
    await esb.client.workflow.getHandle(body.workflowId as string).result();
    expect((await esb.get(`/api/v1/messages/${messageId}?flow=orders`)).body).toMatchObject({ status: 'delivered' });
  });
});

describe('rotating the payload key', () => {
  const before = dataConverterFromEnv({ ESB_PAYLOAD_KEYS: `k1:${K1}` }) as DataConverter;
  const after = dataConverterFromEnv({ ESB_PAYLOAD_KEYS: `k2:${K2},k1:${K1}` }) as DataConverter;
  let remote: FakeRemote;
  let esb: EsbStack;
  let oldApi: Client;
  let withoutKey: Client;

  beforeAll(async () => {
    remote = await startFakeRemote();
    esb = await startEsbStack(shopFlows(remote.url), { dataConverter: after });
    oldApi = await connectClient(before);
    withoutKey = await connectClient();
  });
  afterAll(async () => {
    await esb?.stop();
    await Promise.all([oldApi?.connection.close(), withoutKey?.connection.close()]);
    await remote?.close();
  });

  it('delivers a message encrypted with the old key once the workers list both keys, and writes new payloads with the new one', async () => {
    remote.script('POST', '/orders', [ACCEPTED]);
    // Accepted by an API instance that still runs with the old key only.
    const started = await startDelivery({ client: oldApi, taskQueue: esb.taskQueue, getConfig: () => esb.config, startTimeoutMs: 5000 }, esb.config.flows.orders, randomUUID(), ORDER, {});
    const result = (await esb.client.workflow.getHandle(started.workflowId).result()) as { status: string };
    expect(result.status).toBe('delivered');

    const events = (await rawHistory(withoutKey, started.workflowId)).events ?? [];
    const keyIdOf = (payload: temporal.api.common.v1.IPayload | null | undefined) => text(payload?.metadata?.['encryption-key-id']);
    expect(keyIdOf(events[0].workflowExecutionStartedEventAttributes?.input?.payloads?.[0])).toBe('k1');
    const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
    expect(keyIdOf(completed?.result?.payloads?.[0])).toBe('k2');
    await expect(oldApi.workflow.getHandle(started.workflowId).result()).rejects.toThrow("payload encrypted with key 'k2'");
  });
});
