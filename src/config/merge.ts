import { isPlainObject } from './plain';
import type { DocPath } from './positions';
import { formatPath, Reporter, WRAPPER, type Site } from './problems';
import type { SourceFile } from './read-files';

export const SECTIONS = ['producers', 'mappings', 'flows', 'parameters'] as const;
export type Section = (typeof SECTIONS)[number];

const SINGULAR: Record<Section, string> = {
  producers: 'producer',
  mappings: 'mapping',
  flows: 'flow',
  parameters: 'parameter',
};

/** One named definition, with the file and path it came from. */
export interface Entry extends Site {
  name: string;
  value: unknown;
  /** Its subtree failed the structural schema: known by name, not normalised. */
  broken: boolean;
}

export type Registry = Record<Section, Map<string, Entry>>;

export function emptyRegistry(): Registry {
  return { producers: new Map(), mappings: new Map(), flows: new Map(), parameters: new Map() };
}

/** The places a section may be written: at the top level and under SmartESB's bundle key. */
export function sectionSites(data: unknown, section: Section): { prefix: DocPath; value: Record<string, unknown> }[] {
  const found: { prefix: DocPath; value: Record<string, unknown> }[] = [];
  if (!isPlainObject(data)) return found;
  if (isPlainObject(data[section])) found.push({ prefix: [section], value: data[section] });
  const wrapped = data[WRAPPER];
  if (isPlainObject(wrapped) && isPlainObject(wrapped[section])) {
    found.push({ prefix: [WRAPPER, section], value: wrapped[section] });
  }
  return found;
}

/**
 * Adds every definition of `section` in `data` to the registry. A name defined
 * twice (in one file or two) is an error naming both places.
 */
export function register(
  registry: Registry,
  section: Section,
  src: SourceFile,
  data: unknown,
  reporter: Reporter,
  isBroken: (path: DocPath) => boolean = () => false,
): void {
  for (const { prefix, value } of sectionSites(data, section)) {
    if (isBroken(prefix)) continue;
    for (const [name, item] of Object.entries(value)) {
      const entry: Entry = { name, value: item, src, path: [...prefix, name], broken: isBroken([...prefix, name]) };
      const first = registry[section].get(name);
      if (first) {
        const what = `${SINGULAR[section]} '${name}'`;
        reporter.error(entry, [], `${what} is defined twice: ${reporter.where(first)} and ${reporter.where(entry)}`, 'key');
        continue;
      }
      registry[section].set(name, entry);
    }
  }
}

/** SmartESB's PHP wiring has no meaning here: accept it, say it is ignored. */
export function warnPhpKeys(src: SourceFile, reporter: Reporter): void {
  const data = src.data;
  if (!isPlainObject(data)) return;
  const file: Site = { src, path: [] };
  if ('services' in data) {
    reporter.warn(file, ['services'], "ignored PHP-only key 'services' (Symfony service definitions have no meaning here)", 'key');
  }
  for (const { prefix, value } of sectionSites(data, 'producers')) {
    for (const [name, producer] of Object.entries(value)) {
      if (!isPlainObject(producer)) continue;
      for (const key of ['class', 'calls']) {
        if (!(key in producer)) continue;
        const path = [...prefix, name, key];
        reporter.warn(file, path, `ignored PHP-only key '${key}' of producer '${name}' (temporal-esb runs REST producers itself)`, 'key');
      }
    }
  }
}

/**
 * Which definitions the structural problems touch. Paths are document paths;
 * a problem on a whole section (e.g. `flows: []`) breaks the section.
 */
export function brokenPredicate(problemPaths: DocPath[]): (path: DocPath) => boolean {
  const broken = new Set<string>();
  for (const path of problemPaths) {
    const depth = path[0] === WRAPPER ? 3 : 2;
    if (path.length >= depth - 1) broken.add(formatPath(path.slice(0, depth)));
  }
  return (path) => broken.has(formatPath(path));
}
