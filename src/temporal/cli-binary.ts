import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

/** Repository root (src/temporal/ -> ../..). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const PROJECT_CLI_PATH = path.join(PROJECT_ROOT, '.temporal', 'bin', 'temporal');

function runs(binary: string): boolean {
  return spawnSync(binary, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Finds the Temporal CLI installed by `scripts/install-temporal.js`, in the
 * same order it uses: TEMPORAL_CLI_PATH, the project-local install, PATH.
 */
export function findTemporalCli(env: Record<string, string | undefined> = process.env): string | undefined {
  const candidates = [env.TEMPORAL_CLI_PATH, PROJECT_CLI_PATH];
  for (const candidate of candidates) {
    if (candidate && fs.existsSync(candidate) && runs(candidate)) return candidate;
  }
  const found = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  const onPath = found.status === 0 ? found.stdout.trim() : '';
  return onPath && runs(onPath) ? onPath : undefined;
}
