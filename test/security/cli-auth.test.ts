/**
 * The commands as an operator runs them: `esb apikey` creates a key, `esb api`
 * refuses to start open unless told to, and serves with the key configured.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hashApiKey } from '../../src/security/api-keys';
import { freePort } from '../harness/ports';
import { ESB_BIN, spawnEsb, waitFor, type SpawnedEsb } from '../harness/processes';
import { temporalAddress } from '../harness/temporal';

jest.setTimeout(60_000);

const running: SpawnedEsb[] = [];
afterEach(async () => {
  for (const esb of running.splice(0)) {
    if (esb.child.exitCode === null) esb.child.kill('SIGINT');
    await esb.exited;
  }
});

function apikey(args: string[]): string {
  return execFileSync(process.execPath, [ESB_BIN, 'apikey', ...args], { encoding: 'utf8' });
}

/** `esb api` on a free port against the test server, with no keys unless given. */
async function startApi(env: Record<string, string>): Promise<{ esb: SpawnedEsb; port: number }> {
  const port = await freePort();
  const esb = spawnEsb(['api', '--port', String(port)], {
    TEMPORAL_ADDRESS: temporalAddress(),
    ESB_TASK_QUEUE: `cli-auth-${randomUUID()}`,
    ESB_API_KEYS: '',
    ESB_API_KEYS_FILE: '',
    ESB_AUTH: '',
    ESB_LOG_LEVEL: 'info',
    ...env,
  });
  running.push(esb);
  return { esb, port };
}

const listening = (esb: SpawnedEsb) => waitFor('the API to listen', async () => (esb.output().includes('API listening') ? true : undefined), 30_000, esb.output);

describe('esb apikey', () => {
  it('prints a new key once and the ESB_API_KEYS entry holding its SHA-256', () => {
    const out = apikey(['partner', '--flows', 'orders,ping']);
    const key = /^ {2}(esb_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
    expect(key).toBeDefined();
    expect(out).toContain(`ESB_API_KEYS='partner:${hashApiKey(key!)}:orders|ping'`);
    expect(out.split(key!)).toHaveLength(2);
    expect(apikey(['partner'])).not.toContain(key!);
  });
});

describe('esb api and ingress authentication', () => {
  it('refuses to start without API keys, with a message saying what to do', async () => {
    const { esb } = await startApi({});
    expect(await esb.exited).toBe(1);
    expect(esb.output()).toContain('esb api: ingress authentication is on but no API key is configured');
    expect(esb.output()).toContain('npx esb apikey NAME');
  });

  it('starts open with ESB_AUTH=off, logging a warning', async () => {
    const { esb, port } = await startApi({ ESB_AUTH: 'off' });
    await listening(esb);
    expect(esb.output()).toContain('esb api: ingress authentication is OFF (ESB_AUTH=off)');
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/messages/${randomUUID()}?flow=ping`);
    expect(res.status).toBe(404);
  });

  it('requires the key the apikey command printed', async () => {
    const out = apikey(['ops']);
    const key = /^ {2}(esb_\S+)$/m.exec(out)![1];
    const entry = /ESB_API_KEYS='([^']+)'/.exec(out)![1];
    const { esb, port } = await startApi({ ESB_API_KEYS: entry });
    await listening(esb);
    const url = `http://127.0.0.1:${port}/api/v1/messages/${randomUUID()}?flow=ping`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);
    expect(esb.output()).not.toContain(key);
  });
});
