/**
 * Hostile remote answers through the whole bus (issue 6, bad input): what the
 * activity tests check on the HTTP activity alone (test/activities), here with
 * a real worker and Temporal: a body dripped one byte every 200 ms past the
 * timeout, 50 MiB streamed or declared, a cut-off body, non-JSON declared as
 * JSON, a body that fits the cap but not a Temporal payload. Each message
 * settles, classified; the worker keeps delivering afterwards.
 */
import { startEsbStack, type EsbStack } from '../harness/esb-stack';
import { waitFor } from '../harness/processes';
import { DRIP_EVERY_MS, hostileFlows, MiB, startHostileRemote, type HostileRemote } from './support/hostile-remote';

jest.setTimeout(60_000);

let remote: HostileRemote;
let esb: EsbStack;

beforeAll(async () => {
  remote = await startHostileRemote();
  esb = await startEsbStack(hostileFlows(remote.url));
});
afterAll(async () => {
  await esb?.stop();
  await remote?.close();
});

interface Status {
  status: string;
  attempts: number;
  lastError?: { type: string; message: string; recoverable: boolean };
  response?: { body?: unknown };
}

/** Sends a message and follows its status until it settles, recording every status seen on the way. */
async function deliver(flow: string, timeoutMs = 40_000): Promise<{ final: Status; seen: Set<string>; elapsedMs: number }> {
  const started = Date.now();
  const sent = await esb.send(flow, { probe: flow, padding: 'p'.repeat(40 * 1024) });
  expect(sent.status).toBe(202);
  const seen = new Set<string>();
  const final = await waitFor(
    `${flow} to settle`,
    async () => {
      const { body } = await esb.get(`/api/v1/messages/${sent.body.messageId as string}?flow=${flow}`);
      const status = body as unknown as Status;
      seen.add(status.status);
      return status.status === 'delivered' || status.status === 'failed' ? status : undefined;
    },
    timeoutMs,
  );
  return { final, seen, elapsedMs: Date.now() - started };
}

/** The worker still takes and completes work: a normal message is delivered. */
async function expectWorkerHealthy(): Promise<void> {
  const { final } = await deliver('ok');
  expect(final).toMatchObject({ status: 'delivered', response: { body: { ok: true } } });
}

describe('a remote that answers too slowly or too much', () => {
  it('stops a body dripped one byte every 200 ms at the 1 s timeout: retrying, then failed as RemoteUnavailableError', async () => {
    const { final, seen, elapsedMs } = await deliver('drip');
    expect(final.status).toBe('failed');
    expect(final.lastError).toMatchObject({ type: 'RemoteUnavailableError', recoverable: true });
    expect(final.lastError?.message).toMatch(/timed out after 1000 ms/);
    expect(seen).toContain('retrying');
    expect(remote.hits('/drip')).toBe(3);
    // Each attempt hung up near its deadline: about five drips each, not the whole stream.
    expect(remote.bytesWritten('/drip')).toBeLessThanOrEqual(3 * Math.ceil(2000 / DRIP_EVERY_MS));
    await waitFor('the drip sockets to be closed by the worker', async () => (remote.abandoned('/drip') === 3 ? true : undefined), 5000);
    expect(elapsedMs).toBeLessThan(15_000);
    await expectWorkerHealthy();
  });

  it('refuses a 50 MiB streamed response at the 1 MiB cap without retrying, having read only a little of it', async () => {
    const { final } = await deliver('huge');
    expect(final.status).toBe('failed');
    expect(final.lastError).toMatchObject({ type: 'ResponseTooLargeError', recoverable: false });
    expect(remote.hits('/huge')).toBe(1);
    await waitFor('the worker to hang up', async () => (remote.abandoned('/huge') === 1 ? true : undefined), 5000);
    // Socket buffers let some megabytes through before the hang-up is felt; never the 50.
    expect(remote.bytesWritten('/huge')).toBeLessThan(10 * MiB);
    await expectWorkerHealthy();
  });

  it('refuses a response declaring 50 MiB before reading its body', async () => {
    const { final } = await deliver('huge_declared');
    expect(final).toMatchObject({ status: 'failed', lastError: { type: 'ResponseTooLargeError', recoverable: false } });
    await waitFor('the worker to hang up', async () => (remote.abandoned('/huge-declared') === 1 ? true : undefined), 5000);
    expect(remote.bytesWritten('/huge-declared')).toBeLessThan(10 * MiB);
    await expectWorkerHealthy();
  });

  it('settles a response that fits the cap but not a Temporal payload once JSON-escaped (900 KiB of U+0001) as failed, never stuck', async () => {
    const { final } = await deliver('control_chars');
    expect(final.status).toBe('failed');
    // Today the SDK refuses the activity result (PayloadsTooLarge); a cap on the encoded size would say ResponseTooLargeError.
    expect(['PayloadsTooLarge', 'ResponseTooLargeError']).toContain(final.lastError?.type);
    await expectWorkerHealthy();
  });
});

describe('responses that add up past a Temporal payload', () => {
  // Found by this test: activity inputs used to carry every earlier response, so two ~1 MiB answers
  // made a 2+ MiB input that failed the workflow task forever. Inputs now carry only what the step's
  // validations read, and an input that would still be too large fails the delivery instead.
  it('settles a three-request method whose earlier answers add up past 2 MiB, never stuck', async () => {
    const { final } = await deliver('three_steps', 10_000);
    expect(['failed', 'delivered']).toContain(final.status);
  });
});

describe('a remote that answers wrongly', () => {
  it('retries a body cut off before its declared length, then fails as RemoteUnavailableError', async () => {
    const { final } = await deliver('truncated');
    expect(final).toMatchObject({ status: 'failed', lastError: { type: 'RemoteUnavailableError', recoverable: true } });
    expect(remote.hits('/truncated')).toBe(3);
    await expectWorkerHealthy();
  });

  it('delivers a non-JSON body declared as JSON, keeping it as text', async () => {
    const { final } = await deliver('not_json');
    expect(final.status).toBe('delivered');
    expect(final.response?.body).toBe('<html>\u0000 definitely not {json</html>');
    await expectWorkerHealthy();
  });
});
