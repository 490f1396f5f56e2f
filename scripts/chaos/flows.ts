/**
 * The chaos flows: one producer on the chaos remote with a delivery and a
 * callback method. `steady` retries for minutes (every fault here is
 * temporary, so every message must arrive); `fragile` gives up after three
 * quick attempts (the failed store and its retry).
 */
import fs from 'node:fs';
import path from 'node:path';

export const DELIVER_PATH = '/deliver';
export const CALLBACK_PATH = '/callback';

export function writeChaosFlows(dir: string, remoteUrl: string): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'chaos.yml'),
    `# Written by scripts/chaos.ts for one run.
producers:
  target:
    description: The chaos remote system
    # 2 s per request: above the slow remote's delay; the activity's start-to-close is 5 s more,
    # which is how long a request lost with a killed worker waits before Temporal retries it.
    options: { base_uri: '${remoteUrl}', encoding: json, authentication: none, timeout: 2, connect_timeout: 1 }
    methods:
      deliver:
        description: Deliver the message as it came
        steps:
          - request: { name: deliver, http_method: POST, uri: ${DELIVER_PATH}, body: "eval: body" }
      callback:
        description: Report the outcome
        steps:
          - request: { name: callback, http_method: POST, uri: ${CALLBACK_PATH}, body: "eval: body" }
flows:
  steady:
    deliver:
      to: target.deliver
      retry: { max_attempts: 60, initial_interval: 500ms, backoff: 1.5, max_interval: 3s }
      timeout: 4m
    callback: { to: target.callback, mode: async, when: always }
  fragile:
    deliver:
      to: target.deliver
      retry: { max_attempts: 3, initial_interval: 200ms, backoff: 1, max_interval: 200ms }
      timeout: 30s
    callback: { to: target.callback, mode: async, when: always }
`,
  );
}
