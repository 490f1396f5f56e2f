/** The bench's side of the fast fake remote (bench/fast-remote.ts, a child process). */
import path from 'node:path';
import { Child, spawnTs } from '../../scripts/lib/processes';
import type { RemoteRecords, RemoteReply, RemoteRequest } from '../fast-remote';

export interface Remote {
  url: string;
  child: Child;
  /** Callbacks and pong requests received since the last take(). */
  count(): Promise<{ callbacks: number; pongs: number }>;
  /** Everything recorded since the last take(), then cleared. */
  take(): Promise<RemoteRecords>;
}

export async function startRemote(): Promise<Remote> {
  const child = spawnTs('fast remote', path.join(__dirname, '..', 'fast-remote.ts'), [], { ipc: true });
  const pending = new Map<number, (reply: RemoteReply) => void>();
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    child.proc.once('exit', () => reject(new Error(`fast remote exited:\n${child.tail()}`)));
    child.proc.on('message', (msg: RemoteReply) => {
      if (msg.type === 'ready') resolve(msg.port);
      else pending.get(msg.id)?.(msg);
    });
  });
  const ask = (type: RemoteRequest['type']): Promise<RemoteReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error('fast remote did not answer'));
      }, 10_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(r);
      });
      child.proc.send({ id, type } satisfies RemoteRequest);
    });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async count() {
      const r = await ask('count');
      return r.type === 'count' ? { callbacks: r.callbacks, pongs: r.pongs } : { callbacks: 0, pongs: 0 };
    },
    async take() {
      const r = await ask('take');
      if (r.type !== 'records') throw new Error('fast remote: unexpected reply');
      return r.records;
    },
  };
}
