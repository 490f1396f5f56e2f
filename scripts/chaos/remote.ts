/** The chaos run's side of its remote system (scripts/chaos/remote-server.ts, a child process). */
import path from 'node:path';
import { spawnTs, type Child } from '../lib/processes';
import type { ReceivedRequest, RemoteCommand, RemoteMode, RemoteReply } from './remote-protocol';

export interface Remote {
  url: string;
  child: Child;
  setMode(mode: RemoteMode): Promise<void>;
  report(): Promise<{ requests: ReceivedRequest[]; inFlight: number }>;
  reset(): Promise<void>;
}

type Command = RemoteCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export async function startRemote(logFile: string): Promise<Remote> {
  const child = spawnTs('remote', path.join(__dirname, 'remote-server.ts'), [], { ipc: true, logFile });
  const pending = new Map<number, (reply: RemoteReply) => void>();
  let nextId = 1;
  const port = await new Promise<number>((resolve, reject) => {
    child.proc.once('exit', () => reject(new Error(`the remote exited:\n${child.tail()}`)));
    child.proc.on('message', (msg: RemoteReply) => {
      if (msg.type === 'ready') resolve(msg.port);
      else pending.get(msg.id)?.(msg);
    });
  });
  const ask = (command: Command): Promise<RemoteReply> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`the remote did not answer '${command.type}'`));
      }, 10_000);
      pending.set(id, (r) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(r);
      });
      child.proc.send({ ...command, id } as RemoteCommand);
    });
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async setMode(set) {
      await ask({ type: 'mode', set });
    },
    async report() {
      const r = await ask({ type: 'report' });
      if (r.type !== 'report') throw new Error('the remote answered a report with something else');
      return { requests: r.requests, inFlight: r.inFlight };
    },
    async reset() {
      await ask({ type: 'reset' });
    },
  };
}
