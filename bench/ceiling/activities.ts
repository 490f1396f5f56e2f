/**
 * The ceiling's activities: `deliver` does nothing (the brief's no-op),
 * `callback` POSTs to the fast remote exactly as the ESB's callback does, so
 * the end-to-end finish line is the same one.
 */
import { request } from 'undici';
import type { CeilingInput } from './workflows';

export interface CeilingActivities {
  deliver(input: CeilingInput): Promise<void>;
  callback(input: CeilingInput): Promise<void>;
}

export function createCeilingActivities(remoteUrl: string): CeilingActivities {
  const callbackUrl = `${remoteUrl}/smartbox-skeleton/web/remote/callback`;
  return {
    async deliver() {
      // no-op: the work Temporal does around an activity is what is measured
    },
    async callback(input) {
      const body = JSON.stringify({ message_id: input.messageId, flow: 'ceiling', status: 'delivered', attempts: 1 });
      const res = await request(callbackUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.body.text();
      // A failed callback is retried by Temporal, as the ESB's is.
      if (res.statusCode !== 200) throw new Error(`callback: HTTP ${res.statusCode}`);
    },
  };
}
