/**
 * Fuzzed flow configurations (issue 6, bad input): the example flows,
 * damaged by random text and structure mutations, never crash the loader.
 * Each either loads or throws a ConfigError whose every problem says where
 * (file, line and column inside that file, path) and what.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../src/config';
import { displayPath, listConfigFiles } from '../../src/config/read-files';
import { expectNoPollution, fuzzParams, prototypeSnapshot } from './support/fuzz-stack';
import { applyMutation, mutation } from './support/yaml-mutations';

const CORPORA = {
  examples: path.join(__dirname, '..', '..', 'flows'),
  skeleton: path.join(__dirname, '..', 'fixtures', 'config', 'skeleton'),
};

/** relative path -> text, for every YAML file of a corpus. */
function readCorpus(dir: string): Record<string, string> {
  return Object.fromEntries(listConfigFiles(dir).map((file) => [path.relative(dir, file), fs.readFileSync(file, 'utf8')]));
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-config-fuzz-'));
let runs = 0;
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function writeCorpus(files: Record<string, string>): string {
  const dir = path.join(scratch, String(++runs));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The loader's verdict: loaded, or a ConfigError; anything else thrown fails the property. */
function verdict(dir: string): { loaded: true } | { loaded: false; error: ConfigError } {
  try {
    const { config } = loadConfig(dir, { env: {} });
    // The model is handed to workflows as JSON: it must serialise (no cycles from YAML aliases).
    JSON.stringify(config);
    return { loaded: true };
  } catch (err) {
    if (err instanceof ConfigError) return { loaded: false, error: err };
    throw new Error(`the loader crashed instead of reporting a ConfigError: ${(err as Error)?.stack ?? String(err)}`);
  }
}

function expectLocatedProblems(error: ConfigError, dir: string, files: Record<string, string>): void {
  expect(error.problems.length).toBeGreaterThan(0);
  const lineCounts = new Map(Object.entries(files).map(([name, text]) => [displayPath(path.join(dir, name)), text.split('\n').length]));
  for (const problem of error.problems) {
    expect(typeof problem.file).toBe('string');
    expect(problem.file).not.toBe('');
    expect(typeof problem.path).toBe('string');
    expect(typeof problem.message).toBe('string');
    expect(problem.message.trim()).not.toBe('');
    expect(Number.isInteger(problem.line) && problem.line >= 1).toBe(true);
    expect(Number.isInteger(problem.column) && problem.column >= 1).toBe(true);
    const count = lineCounts.get(problem.file);
    // A problem in a file points inside it (the directory-level problems name the directory).
    if (count !== undefined) expect(problem.line).toBeLessThanOrEqual(count + 1);
  }
  expect(error.format().split('\n')).toHaveLength(error.problems.length);
}

describe.each(Object.entries(CORPORA))('mutated %s flows', (_name, dir) => {
  const corpus = readCorpus(dir);
  const names = Object.keys(corpus);

  it('the unmutated corpus loads', () => {
    expect(verdict(writeCorpus(corpus))).toEqual({ loaded: true });
  });

  it('load or fail with located problems, never crash, whatever is damaged', () => {
    const prototypes = prototypeSnapshot();
    let failed = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 4 }), (mutations) => {
        const files = { ...corpus };
        for (const [which, m] of mutations) {
          const name = names[which % names.length];
          files[name] = applyMutation(files[name], m);
        }
        const dirOfRun = writeCorpus(files);
        const result = verdict(dirOfRun);
        if (!result.loaded) {
          failed += 1;
          expectLocatedProblems(result.error, dirOfRun, files);
        }
        expectNoPollution(prototypes);
      }),
      fuzzParams(Number(process.env.FUZZ_RUNS ?? 300)),
    );
    // Most mutations must break something, or the fuzzer is not reaching the checks.
    expect(failed).toBeGreaterThan(100);
  });
});
