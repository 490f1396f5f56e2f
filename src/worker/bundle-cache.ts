import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { logger } from '../shared/logger';

const SRC = path.resolve(__dirname, '..');
const ROOT = path.resolve(SRC, '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return /\.(ts|js|json)$/.test(e.name) ? [full] : [];
  });
}

/** Every source file and the lockfile: a bundle is reused only for exactly the same code. */
function codeHash(): string {
  const hash = crypto.createHash('sha256');
  for (const file of [...sourceFiles(SRC).sort(), path.join(ROOT, 'package-lock.json')]) {
    if (!fs.existsSync(file)) continue;
    hash.update(path.relative(ROOT, file)).update('\0').update(fs.readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The workflow bundle, built once per code version and kept on disk, so a
 * restarted worker (after a crash, a deploy of more workers) polls within a
 * second instead of spending seconds in webpack. A cache that cannot be
 * written only costs the rebuild.
 */
export async function cachedWorkflowBundle(workflowsPath: string, cacheDir: string): Promise<{ code: string }> {
  const file = path.join(cacheDir, `workflow-bundle-${codeHash()}.js`);
  try {
    return { code: fs.readFileSync(file, 'utf8') };
  } catch {
    // not built yet for this code
  }
  const { code } = await bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, file); // atomic: concurrent workers never read half a bundle
  } catch (err) {
    logger.warn({ err: (err as Error).message, cacheDir }, 'could not cache the workflow bundle');
  }
  return { code };
}

const noop = (): void => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => logger.error(m) };
