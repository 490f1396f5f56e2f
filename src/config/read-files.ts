import { readdirSync, readFileSync, statSync } from 'fs';
import { join, relative } from 'path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { recursiveAlias } from './recursive-alias';
import type { ConfigProblem } from './types';

/** One parsed YAML file, kept with its nodes so any problem can be located. */
export interface SourceFile {
  /** Absolute path. */
  path: string;
  /** Path relative to the cwd, as shown in messages. */
  display: string;
  doc: Document;
  lines: LineCounter;
  /** The document as plain data (null for an empty file). */
  data: unknown;
}

export interface ReadResult {
  sources: SourceFile[];
  problems: ConfigProblem[];
  warnings: ConfigProblem[];
}

export function displayPath(path: string): string {
  return relative(process.cwd(), path) || '.';
}

/** Every `*.yml`/`*.yaml` under `dir`, recursively, sorted so merging is deterministic. */
export function listConfigFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Hidden entries (.git, editor swap dirs) are never configuration.
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...listConfigFiles(full));
    else if (/\.ya?ml$/i.test(entry.name) && statSync(full).isFile()) found.push(full);
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function readConfigFiles(dir: string): ReadResult {
  const result: ReadResult = { sources: [], problems: [], warnings: [] };
  const shownDir = displayPath(dir);
  const dirProblem = (message: string): ReadResult => ({
    ...result,
    problems: [{ file: shownDir, line: 1, column: 1, path: '', message }],
  });
  let files: string[];
  try {
    if (!statSync(dir).isDirectory()) return dirProblem('not a directory');
    files = listConfigFiles(dir);
  } catch (err) {
    return dirProblem(`cannot read the flows directory: ${(err as Error).message}`);
  }
  if (files.length === 0) return dirProblem('no *.yml or *.yaml files found');
  for (const file of files) readOne(file, result);
  return result;
}

function readOne(file: string, result: ReadResult): void {
  const display = displayPath(file);
  const lines = new LineCounter();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    result.problems.push({ file: display, line: 1, column: 1, path: '', message: `cannot read: ${(err as Error).message}` });
    return;
  }
  // merge: Symfony's YAML understands `<<: *anchor`, so SmartESB configs may use it.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, merge: true, uniqueKeys: true });
  const at = (offset: number, message: string): ConfigProblem => {
    const { line, col } = lines.linePos(offset);
    return { file: display, line, column: col, path: '', message };
  };
  for (const warning of doc.warnings) result.warnings.push(at(warning.pos[0], yamlMessage(warning.message)));
  if (doc.errors.length > 0) {
    for (const error of doc.errors) result.problems.push(at(error.pos[0], `YAML syntax: ${yamlMessage(error.message)}`));
    return;
  }
  const loop = recursiveAlias(doc);
  if (loop) {
    result.problems.push(at(loop.offset, `YAML: alias *${loop.name} refers to a node that contains it (an infinite structure)`));
    return;
  }
  try {
    result.sources.push({ path: file, display, doc, lines, data: doc.toJS({ maxAliasCount: 1000 }) });
  } catch (err) {
    // Unresolvable aliases and alias bombs surface only when converting.
    result.problems.push(at(0, `YAML: ${(err as Error).message}`));
  }
}

function yamlMessage(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}
