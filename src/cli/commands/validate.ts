import type { Command } from 'commander';
import { relative } from 'path';
import { ConfigError, formatProblem, loadConfig, type LoadedConfig, type LoadOptions } from '../../config';

/** Where the flows live: explicit argument, then `--flows`, then `ESB_FLOWS_DIR`, then `flows`. */
export function resolveFlowsDir(explicit?: string, env: Record<string, string | undefined> = process.env): string {
  return explicit || env.ESB_FLOWS_DIR || 'flows';
}

interface Writer {
  write(text: string): unknown;
}

export interface ExplainOptions extends LoadOptions {
  /** Where the report goes; stderr by default (the worker's stdout may be logs). */
  out?: Writer;
}

/** Thrown by `loadConfigOrExplain` after it printed the report. */
export class InvalidConfigError extends Error {
  override name = 'InvalidConfigError';
  constructor(
    readonly dir: string,
    readonly configError: ConfigError,
  ) {
    const n = configError.problems.length;
    super(`invalid configuration in ${shownDir(dir)}: ${n} problem${n === 1 ? '' : 's'} (listed above)`);
  }
}

/**
 * Loads the config or prints every problem and throws. The worker and `esb dev`
 * call this so they refuse to start on an invalid config with the very report
 * `esb validate` prints.
 */
export function loadConfigOrExplain(dir: string, opts: ExplainOptions = {}): LoadedConfig {
  const out = opts.out ?? process.stderr;
  try {
    const loaded = loadConfig(dir, opts);
    printWarnings(loaded.warnings, out);
    return loaded;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    out.write(report(err));
    throw new InvalidConfigError(dir, err);
  }
}

function report(err: ConfigError): string {
  const lines = [...err.problems.map((p) => formatProblem(p)), ...err.warnings.map((w) => formatProblem(w, 'warning'))];
  return `${lines.join('\n')}\n`;
}

function printWarnings(warnings: LoadedConfig['warnings'], out: Writer): void {
  for (const w of warnings) out.write(`${formatProblem(w, 'warning')}\n`);
}

function shownDir(dir: string): string {
  const rel = relative(process.cwd(), dir) || '.';
  return rel.endsWith('/') ? rel : `${rel}/`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `flows/: 3 producers, 2 mappings, 1 flow — OK` */
export function summary(dir: string, loaded: LoadedConfig): string {
  const { producers, mappings, flows } = loaded.config;
  const counts = [
    plural(Object.keys(producers).length, 'producer'),
    plural(Object.keys(mappings).length, 'mapping'),
    plural(Object.keys(flows).length, 'flow'),
  ].join(', ');
  const warned = loaded.warnings.length > 0 ? ` (${plural(loaded.warnings.length, 'warning')})` : '';
  return `${shownDir(dir)}: ${counts} — OK${warned}`;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .description('Load and check every producer, mapping and flow; print each problem with file:line:column')
    .argument('[dir]', 'flows directory (default: --flows, $ESB_FLOWS_DIR, or flows)')
    .option('--flows <dir>', 'flows directory')
    .action((dir: string | undefined, _options: unknown, command: Command) => {
      // optsWithGlobals: a program-wide --flows, if one is added, is honoured too.
      const flowsDir = resolveFlowsDir(dir ?? (command.optsWithGlobals() as { flows?: string }).flows);
      try {
        const loaded = loadConfigOrExplain(flowsDir, { out: process.stdout });
        process.stdout.write(`${summary(flowsDir, loaded)}\n`);
      } catch (err) {
        if (!(err instanceof InvalidConfigError)) throw err;
        process.stdout.write(`${err.message}\n`);
        process.exitCode = 1;
      }
    });
}
