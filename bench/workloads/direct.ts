/**
 * direct: the same two HTTP calls the ping flow makes (pong, then the
 * callback), straight from this process with no durability: the physical
 * floor of the work.
 */
import { Pool } from 'undici';
import { nowMs } from '../stats';
import { measure } from './measure';
import type { BenchContext, WorkloadResult } from './types';

const PONG_BODY = JSON.stringify({ message: 'Ping', time: 1700000000 });

async function post(pool: Pool, path: string, body: string): Promise<void> {
  const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json' }, body });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
}

export async function runDirect(ctx: BenchContext): Promise<WorkloadResult> {
  const pool = new Pool(ctx.remote.url, { connections: ctx.opts.concurrency });
  try {
    const send = async (index: number, phase: string): Promise<string> => {
      const messageId = `direct-${ctx.runTag}-${phase}-${index}`;
      await post(pool, '/smartesb-skeleton/web/remote/pong', PONG_BODY);
      const callback = { message_id: messageId, flow: 'ping', status: 'delivered', attempts: 1, response: { ok: true }, completed_at: new Date(nowMs()).toISOString() };
      await post(pool, '/smartbox-skeleton/web/remote/callback', JSON.stringify(callback));
      return messageId;
    };
    const measured = await measure(ctx, {
      name: 'direct',
      send,
      hasIngress: false,
      assertAlive: () => undefined,
      watched: [...(ctx.serverPid ? [{ name: 'temporal', pid: ctx.serverPid }] : []), { name: 'fast remote', pid: ctx.remote.child.pid }],
    });
    return measured.result;
  } finally {
    await pool.close();
  }
}
