import { resolve } from 'path';
import { ConfigError, sortProblems } from './errors';
import { buildFlow, type KnownMethods } from './flows';
import { brokenPredicate, emptyRegistry, register, warnPhpKeys, type Registry } from './merge';
import { resolveTree, type Env, type PlaceholderContext, type TreePath } from './placeholders';
import { isPlainObject, setOwn } from './plain';
import { Reporter, WRAPPER } from './problems';
import { buildProducer } from './producers';
import { readConfigFiles, type SourceFile } from './read-files';
import { validateStructure } from './schema';
import { isSecretPath } from './secrets';
import { checkExpressions } from './semantic-checks';
import type { EsbConfig, FlowDefinition, LoadedConfig, ProducerDefinition } from './types';

export interface LoadOptions {
  /** Environment for placeholders; defaults to `process.env`. */
  env?: Env;
}

/**
 * Loads and checks the whole flows directory, in the order zigflow uses:
 * parse, resolve placeholders, JSON Schema, typed model, cross-references and
 * expressions. Every problem is collected; any error throws one `ConfigError`.
 */
export function loadConfig(dir: string, opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? process.env;
  const read = readConfigFiles(resolve(dir));
  const reporter = new Reporter(read.problems, read.warnings);
  const registry = emptyRegistry();
  // Parameters first: every other file's placeholders may use any of them.
  for (const src of read.sources) register(registry, 'parameters', src, src.data, reporter);
  const parameters = Object.fromEntries([...registry.parameters].map(([name, entry]) => [name, entry.value]));
  const ctx: PlaceholderContext = { parameters, env };
  for (const src of read.sources) loadFile(src, ctx, registry, reporter);
  const config = buildModel(registry, ctx, reporter);
  checkExpressions(registry, reporter);
  if (reporter.errors.length > 0) throw new ConfigError(reporter.errors, reporter.warnings);
  return { config, warnings: sortProblems(reporter.warnings) };
}

function loadFile(src: SourceFile, ctx: PlaceholderContext, registry: Registry, reporter: Reporter): void {
  warnPhpKeys(src, reporter);
  const site = { src, path: [] };
  const resolved = resolveTree(src.data, ctx, [], (path, message) => reporter.error(site, path, message), keepRaw);
  const structural = validateStructure(resolved);
  for (const problem of structural) reporter.error(site, problem.path, problem.message, problem.anchor);
  const isBroken = brokenPredicate(structural.map((p) => p.path));
  for (const section of ['producers', 'mappings', 'flows'] as const) {
    register(registry, section, src, resolved, reporter, isBroken);
  }
}

/** Subtrees whose placeholders are not resolved at load time. */
function keepRaw(path: TreePath): boolean {
  const logical = path[0] === WRAPPER ? path.slice(1) : path;
  const [section] = logical;
  if (logical.length === 1 && (section === 'services' || section === 'parameters')) return true;
  if (section === 'producers' && logical.length > 2) return isSecretPath(logical.slice(2));
  return false;
}

function buildModel(registry: Registry, ctx: PlaceholderContext, reporter: Reporter): EsbConfig {
  const config: EsbConfig = { producers: {}, mappings: {}, flows: {}, parameters: ctx.parameters };
  const known: KnownMethods = new Map();
  for (const [name, entry] of registry.producers) {
    const methods = isPlainObject(entry.value) && isPlainObject(entry.value.methods) ? Object.keys(entry.value.methods) : null;
    known.set(name, methods);
    if (entry.broken) continue;
    setOwn<ProducerDefinition>(config.producers, name, buildProducer(entry, { reporter, parameters: ctx.parameters, env: ctx.env }));
  }
  for (const [name, entry] of registry.mappings) setOwn(config.mappings, name, entry.value);
  for (const [name, entry] of registry.flows) {
    if (!entry.broken) setOwn<FlowDefinition>(config.flows, name, buildFlow(entry, known, reporter));
  }
  return config;
}
