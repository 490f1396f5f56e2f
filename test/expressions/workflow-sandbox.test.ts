import type { Logger } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker, bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Both steps run offline: bundling is webpack, replay runs the sandbox with no server.
describe('expressions inside Temporal workflow code', () => {
  const messages: string[] = [];
  const record = (level: string) => (message: string) => {
    messages.push(`${level}: ${message}`);
  };
  const logger: Logger = {
    log: (level, message) => record(level)(message),
    trace: record('TRACE'),
    debug: record('DEBUG'),
    info: record('INFO'),
    warn: record('WARN'),
    error: record('ERROR'),
  };
  let bundle: WorkflowBundleWithSourceMap;

  beforeAll(async () => {
    bundle = await bundleWorkflowCode({
      workflowsPath: require.resolve('./fixtures/expressions-workflow'),
      logger,
    });
  }, 120_000);

  it('bundles a workflow importing src/expressions with no webpack warnings or errors', () => {
    const output = messages.join('\n');
    expect(output).toContain('compiled successfully');
    expect(output).not.toMatch(/WARNING|ERROR|disallowed/i);
    expect(bundle.code).toContain('ExpressionSecurityError');
  });

  it('keeps the unsafe evaluator and the PHP-function providers of expression-language out of the bundle', () => {
    expect(bundle.code).not.toContain('node_modules/locutus');
    expect(bundle.code).not.toContain('expression-language/lib/ExpressionLanguage.js');
    expect(bundle.code).not.toContain('expression-language/dist/');
  });

  it('evaluates expressions and mappings in the sandbox exactly as the recorded run did', async () => {
    // Recorded by fixtures/record-expressions-history.ts. The workflow fails itself on any
    // unexpected value, and the history says it completed, so a wrong value fails the replay.
    const history = temporal.api.history.v1.History.decode(readFileSync(join(__dirname, 'fixtures/expressions-workflow.history.bin')));
    await expect(Worker.runReplayHistory({ workflowBundle: bundle }, history)).resolves.toBeUndefined();
  }, 60_000);
});
