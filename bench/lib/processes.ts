/**
 * Child processes of the bench. Each runs in its own process group
 * (detached) so that stopping it also stops what it started itself (tsx's
 * esbuild helper), and every one is killed when the bench exits, whatever the
 * reason: a benchmark that leaves workers behind skews the next run.
 */
import { spawn, ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Child {
  name: string;
  pid: number;
  proc: ChildProcess;
  /** Last few KB of stdout+stderr, for error messages. */
  tail(): string;
  stop(): Promise<void>;
}

const live = new Set<Child>();
const emergencyKills: Array<() => void> = [];

function alive(proc: ChildProcess): boolean {
  return proc.exitCode === null && proc.signalCode === null;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Open an IPC channel (process.send in the child). */
  ipc?: boolean;
  /** Flags for node itself, before the script (spawnTs). */
  nodeArgs?: string[];
}

export function spawnChild(name: string, command: string, args: string[], opts: SpawnOptions = {}): Child {
  const proc = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...opts.env },
    detached: true,
    stdio: opts.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  if (proc.pid === undefined) throw new Error(`could not start ${name}`);
  const pid = proc.pid;
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString()).slice(-4000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const child: Child = {
    name,
    pid,
    proc,
    tail: () => out.trim(),
    async stop() {
      if (alive(proc)) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // Whatever the leader left in its group (esbuild helper) goes too.
      killGroup(pid, 'SIGKILL');
      // Only now: until it is gone, a second Ctrl-C must still find it to SIGKILL it.
      live.delete(child);
    },
  };
  live.add(child);
  return child;
}

/** A node child running a TypeScript file through tsx, the way bin/esb.js runs the CLI. */
export function spawnTs(name: string, file: string, args: string[], opts: SpawnOptions = {}): Child {
  return spawnChild(name, process.execPath, [...(opts.nodeArgs ?? []), '--require', 'tsx/cjs', file, ...args], opts);
}

/** Synchronous last-resort cleanup if the bench dies (the dev server is not in a group of ours; its temp dir). */
export function onEmergency(kill: () => void): void {
  emergencyKills.push(kill);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}

function killAllNow(): void {
  for (const child of live) killGroup(child.pid, 'SIGKILL');
  live.clear();
  for (const kill of emergencyKills) kill();
}

/**
 * Ctrl-C, kill, an uncaught error: stop the children first. The 'exit'
 * handler is the last resort (synchronous SIGKILLs only).
 */
export function installCleanup(cleanup: () => Promise<void>): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt !== undefined) {
      // Ctrl-C reaches npm, tsx and this process, and tsx relays it once more:
      // a repeat within a second is the same Ctrl-C, not an impatient second one.
      if (Date.now() - firstAt < 1000) return;
      killAllNow();
      process.exit(130);
    }
    firstAt = Date.now();
    process.stderr.write(`\n${signal}: stopping the bench's processes\n`);
    void cleanup().finally(() => process.exit(130));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  process.on('exit', killAllNow);
}

/** Throws with the child's output if it is no longer running. */
export function assertRunning(child: Child): void {
  if (!alive(child.proc)) throw new Error(`${child.name} exited (code ${child.proc.exitCode ?? child.proc.signalCode}):\n${child.tail()}`);
}

/** A port the OS just handed out (loopback). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, check?: () => void): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    check?.();
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
