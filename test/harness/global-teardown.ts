import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__ESB_TEST_SERVER__?.stop();
  if (globalThis.__ESB_TEST_DIR__) fs.rmSync(globalThis.__ESB_TEST_DIR__, { recursive: true, force: true });
}
