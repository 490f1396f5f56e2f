import { spawnSync } from 'child_process';
import { join } from 'path';
import { InvalidConfigError, loadConfigOrExplain, resolveFlowsDir } from '../../src/cli/commands/validate';
import { FIXTURES, flowsDir } from './helpers';

const ROOT = join(__dirname, '..', '..');

/** Runs the real binary, as an operator would, from the repository root. */
function esb(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['bin/esb.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ESB_FLOWS_DIR: '', REMOTE_BASE_URI: '', ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('esb validate', () => {
  it('exits 0 with a one-line summary for the example flows', () => {
    const run = esb(['validate', 'flows']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('flows/: 1 producer, 2 mappings, 1 flow — OK\n');
    expect(run.code).toBe(0);
  });

  it('validates the directory named by ESB_FLOWS_DIR, then flows/, when no directory is given', () => {
    expect(esb(['validate'], { ESB_FLOWS_DIR: 'test/fixtures/config/skeleton' }).stdout).toContain(
      'test/fixtures/config/skeleton/: 1 producer, 2 mappings, 0 flows — OK (3 warnings)',
    );
    expect(esb(['validate']).stdout).toBe('flows/: 1 producer, 2 mappings, 1 flow — OK\n');
  });

  it('prints warnings with their location and still exits 0', () => {
    const run = esb(['validate', '--flows', 'test/fixtures/config/skeleton']);
    expect(run.stdout.split('\n')).toContain(
      "test/fixtures/config/skeleton/remote_system_api.yml:21:13 producers.remote_system_api.class: warning: ignored PHP-only key 'class' of producer 'remote_system_api' (temporal-esb runs REST producers itself)",
    );
    expect(run.code).toBe(0);
  });

  it('prints every problem as file:line:column path: sentence and exits 1', () => {
    const run = esb(['validate', join('test', 'fixtures', 'config', 'invalid')]);
    const dir = 'test/fixtures/config/invalid';
    expect(run.stdout.split('\n')).toEqual([
      `${dir}/ping.yml:10:11 flows.ping.deliver.to: unknown method 'sendPong' of producer 'remote_system_api' (known: sendPingMessage, callback)`,
      `${dir}/ping.yml:13:40 flows.ping.callback.to[1]: unknown producer 'audit' (known: remote_system_api)`,
      `${dir}/producers.yml:6:16 producers.remote_system_api.options.timeout: '5 minutes' is not a duration: use a number of seconds or '500ms', '1s', '2m', '1h'`,
      `${dir}/producers.yml:11:13 producers.remote_system_api.methods.sendPingMessage.steps[0].request: missing required key 'http_method' in request step`,
      `${dir}/producers.yml:13:15 producers.remote_system_api.methods.sendPingMessage.steps[0].request.htp_method: unknown key 'htp_method' in request step (allowed: name, http_method, uri, body, query, headers, base_uri, validations, timeout)`,
      `${dir}/producers.yml:19:13 producers.remote_system_api.methods.callback.steps[0].debug: unknown step type 'debug' (known: define, request, validate)`,
      `invalid configuration in ${dir}/: 6 problems (listed above)`,
      '',
    ]);
    expect(run.code).toBe(1);
  });

  it('exits 1 for a directory that does not exist', () => {
    const run = esb(['validate', flowsDir({}) + '/missing']);
    expect(run.stdout).toMatch(/missing:1:1 cannot read the flows directory: ENOENT/);
    expect(run.code).toBe(1);
  });
});

describe('loadConfigOrExplain (used by the worker and esb dev)', () => {
  const capture = () => {
    const chunks: string[] = [];
    return { out: { write: (text: string) => chunks.push(text) }, text: () => chunks.join('') };
  };

  it('returns the loaded config and prints its warnings', () => {
    const sink = capture();
    const loaded = loadConfigOrExplain(join(FIXTURES, 'skeleton'), { env: {}, out: sink.out });
    expect(Object.keys(loaded.config.producers)).toEqual(['remote_system_api']);
    expect(sink.text().trim().split('\n')).toHaveLength(3);
    expect(sink.text()).toContain("warning: ignored PHP-only key 'services'");
  });

  it('prints the same report as esb validate, then refuses with an error', () => {
    const sink = capture();
    const load = () => loadConfigOrExplain(join(FIXTURES, 'invalid'), { env: {}, out: sink.out });
    expect(load).toThrow(InvalidConfigError);
    expect(load).toThrow(/^invalid configuration in .*invalid\/: 6 problems \(listed above\)$/);
    expect(sink.text()).toContain("flows.ping.deliver.to: unknown method 'sendPong' of producer 'remote_system_api'");
  });

  it('picks the directory: argument, then ESB_FLOWS_DIR, then flows', () => {
    expect(resolveFlowsDir(undefined, {})).toBe('flows');
    expect(resolveFlowsDir(undefined, { ESB_FLOWS_DIR: 'x' })).toBe('x');
    expect(resolveFlowsDir('y', { ESB_FLOWS_DIR: 'x' })).toBe('y');
  });
});
