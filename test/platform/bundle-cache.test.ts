import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedWorkflowBundle } from '../../src/worker/bundle-cache';
import { WORKFLOWS_PATH } from '../../src/worker/create-worker';

describe('the workflow bundle cache', () => {
  it('builds the bundle once per code version and reuses it on the next worker start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-bundles-'));
    try {
      const first = await cachedWorkflowBundle(WORKFLOWS_PATH, dir);
      const files = fs.readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^workflow-bundle-[0-9a-f]{16}\.js$/);
      expect(first.code).toContain('DeliveryWorkflow');

      // A marker written into the cached file proves the second call read it instead of rebuilding.
      const cached = path.join(dir, files[0]);
      fs.appendFileSync(cached, '\n// cached\n');
      const second = await cachedWorkflowBundle(WORKFLOWS_PATH, dir);
      expect(second.code.endsWith('// cached\n')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
