import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { ConfigError, loadConfig, type ConfigProblem, type LoadOptions } from '../../src/config';

export const FIXTURES = join(__dirname, '..', 'fixtures', 'config');
export const EXAMPLE_FLOWS = join(__dirname, '..', '..', 'flows');

const created: string[] = [];

// Registered when a test file imports this module: its temporary dirs go with it.
afterAll(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path -> YAML text) into a fresh temporary directory. */
export function flowsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'esb-config-'));
  created.push(dir);
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
  return dir;
}

/** Loads a directory that must be invalid and returns its problems. */
export function problemsOf(dir: string, opts: LoadOptions = {}): ConfigProblem[] {
  try {
    loadConfig(dir, { env: {}, ...opts });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error(`expected ${dir} to be invalid`);
}

/** `file-basename:line:column path: message`, for compact assertions. */
export function brief(problem: ConfigProblem): string {
  const file = problem.file.split('/').pop();
  return `${file}:${problem.line}:${problem.column} ${problem.path}: ${problem.message}`;
}

/** A minimal valid producer (one method) for tests that need something to point at. */
export const PRODUCER = `producers:
  remote_system_api:
    options:
      base_uri: 'http://127.0.0.1:3000/remote'
    methods:
      sendPingMessage:
        description: Send ping
        steps:
          - request:
              name: sendPingMessage
              http_method: POST
              uri: /pong
              body: "eval: body"
      callback:
        description: Send callback
        steps:
          - request: { name: callback, http_method: POST, uri: /callback, body: "eval: body" }
`;

export const FLOW = `flows:
  ping:
    deliver:
      to: remote_system_api.sendPingMessage
`;
