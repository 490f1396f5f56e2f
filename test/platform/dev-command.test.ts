import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../harness/ports';
import { temporalAddress } from '../harness/temporal';
import { childPids, commandOf, getJson, isAlive, spawnEsb, waitFor } from '../harness/processes';

jest.setTimeout(120_000);

async function healthyApi(port: number, describe: () => string): Promise<Record<string, unknown>> {
  return waitFor(
    'GET /healthz to report Temporal connected',
    async () => {
      const { status, body } = await getJson(`http://127.0.0.1:${port}/healthz`);
      return status === 200 && body.temporal === 'ok' ? body : undefined;
    },
    90_000,
    describe,
  );
}

describe('esb dev (npm start)', () => {
  it('starts the embedded server, worker and API, and Ctrl-C leaves no child process behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-dev-'));
    const [port, temporalPort, uiPort] = [await freePort(), await freePort(), await freePort()];
    const esb = spawnEsb(['dev', '--port', String(port), '--temporal-port', String(temporalPort), '--ui-port', String(uiPort), '--data-dir', dataDir], {
      TEMPORAL_ADDRESS: '',
    });
    try {
      await healthyApi(port, esb.output);
      const children = childPids(esb.child.pid!).map((pid) => ({ pid, cmd: commandOf(pid) }));
      expect(children.some(({ cmd }) => cmd.includes('server start-dev'))).toBe(true);
      expect(esb.output()).toContain(`http://localhost:${uiPort}`);
      expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);

      // The README's one curl: a ping is delivered to the demo remote, which then receives the callback.
      const sent = await fetch(`http://127.0.0.1:${port}/api/v1/flows/ping/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Ping', timestamp: 1700000000 }),
      });
      expect(sent.status).toBe(202);
      const { messageId } = (await sent.json()) as { messageId: string };
      const received = await waitFor(
        'the demo remote to receive the callback',
        async () => {
          const { body } = await getJson(`http://127.0.0.1:${port}/remote/callbacks`);
          const callbacks = body.callbacks as Array<{ body: { message_id?: string; status?: string } }>;
          return callbacks.find((c) => c.body.message_id === messageId);
        },
        30_000,
        esb.output,
      );
      expect(received.body.status).toBe('delivered');

      esb.child.kill('SIGINT');
      expect(await esb.exited).toBe(0);
      // tsx's esbuild helper exits on its own when its stdin closes, a moment after node.
      const survivors = await waitFor(
        'every child process to exit',
        async () => (children.some(({ pid }) => isAlive(pid)) ? undefined : []),
        5000,
        () => children.filter(({ pid }) => isAlive(pid)).map(({ pid, cmd }) => `${pid} ${cmd}`).join('\n'),
      );
      expect(survivors).toEqual([]);
    } finally {
      esb.child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('connects to TEMPORAL_ADDRESS and starts no server of its own', async () => {
    const port = await freePort();
    const esb = spawnEsb(['dev', '--port', String(port)], { TEMPORAL_ADDRESS: temporalAddress() });
    try {
      const health = await healthyApi(port, esb.output);
      expect(health).toMatchObject({ temporal: 'ok', namespace: 'default' });
      expect(childPids(esb.child.pid!).map(commandOf).filter((cmd) => cmd.includes('temporal'))).toEqual([]);
      expect(esb.output()).toContain('existing cluster (TEMPORAL_ADDRESS)');
      esb.child.kill('SIGTERM');
      expect(await esb.exited).toBe(0);
    } finally {
      esb.child.kill('SIGKILL');
    }
  });
});
