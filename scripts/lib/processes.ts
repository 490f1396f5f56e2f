/**
 * Child processes of the bench and the chaos run. Each runs in its own
 * process group (detached), so a kill reaches what it started itself (tsx's
 * esbuild helper) and a SIGKILL is a whole-process crash, as on a real
 * machine. Every child still alive when the run ends, whatever the reason, is
 * killed: a leftover worker skews the next benchmark, and CI must find no
 * process left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export interface Child {
  name: string;
  pid: number;
  proc: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<string>;
  alive(): boolean;
  /** Last few KB of its output, for error messages. */
  tail(): string;
  /** SIGKILL to the whole group, now: a crash. */
  crash(): Promise<void>;
  /** SIGTERM (the graceful path), SIGKILL after 5 s. */
  stop(): Promise<void>;
}

const live = new Set<Child>();
const emergencyKills: Array<() => void> = [];

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
  /** Also append the output to this file (kept for a failed run). */
  logFile?: string;
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
  const log = opts.logFile ? fs.createWriteStream(opts.logFile, { flags: 'a' }) : undefined;
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString()).slice(-6000);
    log?.write(chunk);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<string>((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const alive = (): boolean => proc.exitCode === null && proc.signalCode === null;
  const child: Child = {
    name,
    pid,
    proc,
    exited,
    alive,
    tail: () => out.trim(),
    async crash() {
      killGroup(pid, 'SIGKILL');
      await exited;
      live.delete(child);
      log?.end();
    },
    async stop() {
      if (alive()) {
        killGroup(pid, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      // Whatever the leader left in its group (the esbuild helper) goes too.
      killGroup(pid, 'SIGKILL');
      live.delete(child);
      log?.end();
    },
  };
  live.add(child);
  return child;
}

/** A node child running a TypeScript file through tsx, the way bin/esb.js runs the CLI. */
export function spawnTs(name: string, file: string, args: string[], opts: SpawnOptions = {}): Child {
  return spawnChild(name, process.execPath, [...(opts.nodeArgs ?? []), '--require', 'tsx/cjs', file, ...args], opts);
}

/** Synchronous last-resort cleanup for what is not a group of ours (the dev server). */
export function onEmergency(kill: () => void): void {
  emergencyKills.push(kill);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((c) => c.stop()));
}

/** Pids of the children still running (for the final "nothing left behind" check). */
export function livePids(): number[] {
  return [...live].filter((c) => c.alive()).map((c) => c.pid);
}

function killAllNow(): void {
  for (const child of live) killGroup(child.pid, 'SIGKILL');
  live.clear();
  for (const kill of emergencyKills) kill();
}

/**
 * Ctrl-C, a kill, an uncaught error: stop the children first. The 'exit'
 * handler is the last resort (synchronous SIGKILLs only).
 */
export function installCleanup(cleanup: () => Promise<void>, label = 'child processes'): void {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstAt !== undefined) {
      // Ctrl-C reaches npm, tsx and this process: a repeat within a second is the same one.
      if (Date.now() - firstAt < 1000) return;
      killAllNow();
      process.exit(130);
    }
    firstAt = Date.now();
    process.stderr.write(`\n${signal}: stopping the ${label}\n`);
    void cleanup().finally(() => process.exit(130));
  };
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(s, onSignal);
  process.on('exit', killAllNow);
}

/** Throws with the child's output if it is no longer running. */
export function assertRunning(child: Child): void {
  if (!child.alive()) throw new Error(`${child.name} exited (code ${child.proc.exitCode ?? child.proc.signalCode}):\n${child.tail()}`);
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

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `probe` returns a value; `check` may throw to give up early (a child died). */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, check?: () => void, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    check?.();
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
