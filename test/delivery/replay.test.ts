import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from '../harness/temporal';

const DIR = path.resolve(__dirname, '../fixtures/histories');

/**
 * Histories of representative runs (recorded by `npm run fixtures:histories`)
 * must replay on the current workflow code: a change that would break
 * determinism for in-flight deliveries fails here, not in production.
 */
describe('replaying recorded histories', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

  it('has fixtures to replay', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
  });

  it.each(files)('replays %s without non-determinism', async (file) => {
    const { workflowId, history } = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as { workflowId: string; history: string };
    const decoded = temporal.api.history.v1.History.decode(Buffer.from(history, 'base64'));
    const results = Worker.runReplayHistories({ workflowBundle: workflowBundle('workflows') }, [{ workflowId, history: decoded }]);
    for await (const result of results) {
      expect(result.error).toBeUndefined();
    }
  });
});
