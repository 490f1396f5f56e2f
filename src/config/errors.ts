import type { ConfigProblem } from './types';

export type Severity = 'error' | 'warning';

/** `flows/ping.yml:12:9 flows.ping.deliver.to: message` (the compiler-style line editors link). */
export function formatProblem(problem: ConfigProblem, severity: Severity = 'error'): string {
  const where = `${problem.file}:${problem.line}:${problem.column}`;
  const path = problem.path ? ` ${problem.path}:` : '';
  const prefix = severity === 'warning' ? ' warning:' : '';
  return `${where}${path}${prefix} ${problem.message}`;
}

/** Problems in reading order: by file, then line, then column. */
export function sortProblems(problems: ConfigProblem[]): ConfigProblem[] {
  return [...problems].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

/**
 * Thrown by `loadConfig` when anything is wrong. It carries every problem found,
 * not just the first, so one `esb validate` run shows the operator all of them.
 */
export class ConfigError extends Error {
  readonly type = 'ConfigError';
  readonly problems: ConfigProblem[];
  readonly warnings: ConfigProblem[];

  constructor(problems: ConfigProblem[], warnings: ConfigProblem[] = []) {
    const count = problems.length;
    super(`invalid configuration: ${count} problem${count === 1 ? '' : 's'}\n${formatAll(problems)}`);
    this.name = 'ConfigError';
    this.problems = sortProblems(problems);
    this.warnings = sortProblems(warnings);
  }

  /** One line per problem, in the `file:line:column path: message` format. */
  format(): string {
    return formatAll(this.problems);
  }
}

function formatAll(problems: ConfigProblem[]): string {
  return sortProblems(problems).map((p) => formatProblem(p)).join('\n');
}
