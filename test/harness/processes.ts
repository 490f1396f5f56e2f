import { spawn, ChildProcess, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const ESB_BIN = path.resolve(__dirname, '../../bin/esb.js');

export interface SpawnedEsb {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Runs `node bin/esb.js ...args` as a user would, capturing its output. */
export function spawnEsb(args: string[], env: Record<string, string | undefined> = {}): SpawnedEsb {
  const child = spawn(process.execPath, [ESB_BIN, ...args], {
    env: { ...process.env, ESB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/** Direct children of a process, by pid (Linux `ps`). */
export function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

export function commandOf(pid: number): string {
  try {
    return execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Alive = exists and is not a zombie waiting for a reaper (containers often lack one). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, describe?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${describe ? `:\n${describe()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function getJson(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
