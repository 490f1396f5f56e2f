import { compileExpression, compileMappings, forEachExpression, forEachMappingExpression, mappingNamesReferenced } from '../expressions';
import type { Entry, Registry } from './merge';
import { isPlainObject } from './plain';
import type { DocPath } from './positions';
import { knownList, type Reporter } from './problems';
import { isSecretPath } from './secrets';

/**
 * Checks that need the whole merged configuration: every expression parses, and
 * every mapping named statically in `mapper.map(x, 'name')` exists. Runs on the
 * YAML-shaped entries (not the camelCased model) so paths point into the files.
 */
export function checkExpressions(registry: Registry, reporter: Reporter): void {
  const mappingNames = [...registry.mappings.keys()];
  for (const entry of registry.producers.values()) checkProducer(entry, mappingNames, reporter);
  let mappingsOk = true;
  for (const entry of registry.mappings.values()) {
    mappingsOk = checkMapping(entry, mappingNames, reporter) && mappingsOk;
  }
  if (mappingsOk) compileAllMappings(registry, reporter);
}

function checkProducer(entry: Entry, mappingNames: string[], reporter: Reporter): void {
  if (!isPlainObject(entry.value)) return;
  for (const key of ['options', 'methods']) {
    forEachExpression(entry.value[key], (source, relative) => {
      const path = [key, ...relative];
      // Secrets stay raw until send time; they are not expressions.
      if (isSecretPath(path)) return;
      checkSource(entry, path, source, mappingNames, reporter);
    });
  }
}

/** Mapping values are bare expressions (no `eval:`); the expression module walks them its way. */
function checkMapping(entry: Entry, mappingNames: string[], reporter: Reporter): boolean {
  let ok = true;
  forEachMappingExpression({ [entry.name]: entry.value }, (source, path) => {
    ok = checkSource(entry, path.slice(1), source, mappingNames, reporter) && ok;
  });
  return ok;
}

function checkSource(entry: Entry, path: DocPath, source: string, mappingNames: string[], reporter: Reporter): boolean {
  try {
    compileExpression(source);
  } catch (err) {
    reporter.error(entry, path, (err as Error).message);
    return false;
  }
  let ok = true;
  for (const name of mappingNamesReferenced(source)) {
    if (mappingNames.includes(name)) continue;
    reporter.error(entry, path, `unknown mapping '${name}' (${knownList(mappingNames)})`);
    ok = false;
  }
  return ok;
}

/**
 * The expression module's own whole-mapping compile, as a last check (it may
 * know rules beyond syntax). Its error names the mapping; place it there.
 */
function compileAllMappings(registry: Registry, reporter: Reporter): void {
  const all = Object.fromEntries([...registry.mappings].map(([name, entry]) => [name, entry.value]));
  try {
    compileMappings(all);
  } catch (err) {
    const message = (err as Error).message;
    const entry = [...registry.mappings.values()].find((e) => message.includes(`'${e.name}'`)) ?? [...registry.mappings.values()][0];
    if (entry) reporter.error(entry, [], message, 'key');
  }
}
