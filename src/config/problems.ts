import { locate, type Anchor, type DocPath } from './positions';
import type { SourceFile } from './read-files';
import type { ConfigProblem } from './types';

/** SmartESB's bundle key; what is under it is shown without it in paths. */
export const WRAPPER = 'smartbox_integration_framework';

/** `['flows', 'ping', 'deliver', 'to']` -> `flows.ping.deliver.to`; indices as `[0]`. */
export function formatPath(path: DocPath): string {
  const logical = path[0] === WRAPPER && path.length > 1 ? path.slice(1) : path;
  let out = '';
  for (const seg of logical) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Where a named definition (a producer, flow, ...) sits: its file and its path there. */
export interface Site {
  src: SourceFile;
  path: DocPath;
}

/** Collects every error and warning with its location, so the loader never stops at the first. */
export class Reporter {
  constructor(
    readonly errors: ConfigProblem[] = [],
    readonly warnings: ConfigProblem[] = [],
  ) {}

  problem(site: Site, subPath: DocPath, message: string, anchor: Anchor = 'value'): ConfigProblem {
    const path = [...site.path, ...subPath];
    const { line, column } = locate(site.src.doc, site.src.lines, path, anchor);
    return { file: site.src.display, line, column, path: formatPath(path), message };
  }

  error(site: Site, subPath: DocPath, message: string, anchor: Anchor = 'value'): void {
    this.errors.push(this.problem(site, subPath, message, anchor));
  }

  warn(site: Site, subPath: DocPath, message: string, anchor: Anchor = 'value'): void {
    this.warnings.push(this.problem(site, subPath, message, anchor));
  }

  /** `file:line:column` of a site, for messages that name two places. */
  where(site: Site, anchor: Anchor = 'key'): string {
    const p = this.problem(site, [], '', anchor);
    return `${p.file}:${p.line}:${p.column}`;
  }
}

/** Names for messages: "unknown producer 'x' (known: a, b)". */
export function knownList(names: Iterable<string>): string {
  const list = [...names];
  return list.length > 0 ? `known: ${list.join(', ')}` : 'none are defined';
}
