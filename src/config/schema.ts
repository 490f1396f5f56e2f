import { readFileSync } from 'fs';
import { join } from 'path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Anchor, DocPath } from './positions';

/**
 * The editor schema in `schema/flows.schema.json` is loaded here at run time and
 * used as the loader's structural check, so the two can never drift apart.
 */
export const SCHEMA_PATH = join(__dirname, '..', '..', 'schema', 'flows.schema.json');

export interface StructuralProblem {
  path: DocPath;
  anchor: Anchor;
  message: string;
}

type SchemaNode = {
  title?: string;
  properties?: Record<string, unknown>;
  'x-name'?: string;
  'x-key-noun'?: string;
  'x-error'?: string;
  type?: string | string[];
};

let compiled: ValidateFunction | undefined;

export function loadSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
    // Annotations the error messages use; declared so strict mode accepts them.
    ajv.addKeyword('x-name');
    ajv.addKeyword('x-key-noun');
    ajv.addKeyword('x-error');
    compiled = ajv.compile(loadSchema());
  }
  return compiled;
}

/** Validates one file's document; every error comes back as a path and a sentence. */
export function validateStructure(data: unknown): StructuralProblem[] {
  const validate = validator();
  if (validate(data)) return [];
  return (validate.errors ?? []).map(toProblem);
}

function toProblem(error: ErrorObject): StructuralProblem {
  const path = pointerToPath(error.instancePath);
  const parent = (error.parentSchema ?? {}) as SchemaNode;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return { path: [...path, String(params.additionalProperty)], anchor: 'key', message: unknownKey(String(params.additionalProperty), parent) };
    case 'required':
      return { path, anchor: 'key', message: `missing required key '${String(params.missingProperty)}' in ${where(parent)}` };
    case 'maxProperties':
      return { path, anchor: 'key', message: tooManyKeys(parent, error.data) };
    default:
      return { path, anchor: 'value', message: valueMessage(error, parent) };
  }
}

function unknownKey(key: string, parent: SchemaNode): string {
  const allowed = Object.keys(parent.properties ?? {});
  const noun = parent['x-key-noun'];
  if (noun) return `unknown ${noun} '${key}' (known: ${allowed.join(', ')})`;
  const list = allowed.length > 0 ? `allowed: ${allowed.join(', ')}` : 'no keys are allowed here';
  return `unknown key '${key}' in ${where(parent)} (${list})`;
}

function tooManyKeys(parent: SchemaNode, data: unknown): string {
  const keys = Object.keys((data ?? {}) as object).join(', ');
  const allowed = Object.keys(parent.properties ?? {}).join(', ');
  return `a ${where(parent)} must have exactly one key (one of: ${allowed}); found: ${keys}`;
}

function valueMessage(error: ErrorObject, parent: SchemaNode): string {
  const params = error.params as Record<string, unknown>;
  const got = show(error.data);
  switch (error.keyword) {
    case 'type':
      return `expected ${describeTypes(params.type)}, got ${got}`;
    case 'enum':
      return `expected one of ${(params.allowedValues as unknown[]).map(show).join(', ')} (got ${got})`;
    case 'pattern':
      return `${got} ${parent['x-error'] ?? `does not match ${String(params.pattern)}`}`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `must be ${String(params.comparison)} ${String(params.limit)} (got ${got})`;
    case 'minItems':
    case 'minProperties':
      return Number(params.limit) === 1 ? 'must not be empty' : `must have at least ${String(params.limit)} entries`;
    default:
      return error.message ?? `is invalid (${error.keyword})`;
  }
}

function where(parent: SchemaNode): string {
  return parent['x-name'] ?? parent.title ?? 'this map';
}

const TYPE_NAMES: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  null: 'nothing (~)',
};

function describeTypes(types: unknown): string {
  const list = String(types).split(',');
  return list.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

/** A short rendering of a YAML value for messages. */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (~)';
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return String(value);
}

/** `/producers/a~1b/0` -> ['producers', 'a/b', 0]. Indices are numbers so YAML sequences resolve. */
export function pointerToPath(pointer: string): DocPath {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}
