import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../src/api/openapi';

/**
 * Checks real API answers against the served OpenAPI document, so the document
 * cannot drift from the code: every end-to-end test that calls the API can
 * assert `expectConformsToOpenApi(method, path, status, body)`.
 */

type Json = Record<string, unknown>;
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
}

const DOC_ID = 'esb-openapi';
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const doc = openApiDocument as unknown as { paths: Record<string, Record<string, Operation>> };

let ajv: Ajv2020 | undefined;
const compiled = new Map<string, ValidateFunction>();

/**
 * The whole document is registered as one schema, so a response schema is
 * compiled by JSON pointer and its `#/components/schemas/...` refs resolve
 * against the document root, as OpenAPI defines them.
 */
function validator(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  // The top-level OpenAPI fields are not JSON Schema keywords; declaring them keeps strict mode on for the schemas themselves.
  ajv.addVocabulary(['openapi', 'info', 'paths', 'components', 'servers', 'tags', 'webhooks', 'security', 'externalDocs', 'jsonSchemaDialect']);
  ajv.addSchema(openApiDocument as unknown as Json, DOC_ID);
  return ajv;
}

const pointerPart = (s: string): string => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'));

function compile(pointer: string): ValidateFunction {
  let fn = compiled.get(pointer);
  if (!fn) {
    fn = validator().compile({ $ref: `${DOC_ID}#${pointer}` });
    compiled.set(pointer, fn);
  }
  return fn;
}

const templateRegex = (template: string): RegExp =>
  new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);

/** The path template a concrete path (query string allowed) matches; literal templates win over parameterised ones. */
export function matchPathTemplate(concretePath: string): string | undefined {
  // A full URL is accepted too, so callers can pass what they fetched.
  const path = (/^https?:/.test(concretePath) ? new URL(concretePath).pathname : concretePath).split('?')[0];
  const templates = Object.keys(doc.paths).sort((a, b) => (a.match(/\{/g)?.length ?? 0) - (b.match(/\{/g)?.length ?? 0));
  return templates.find((t) => templateRegex(t).test(path));
}

function formatErrors(fn: ValidateFunction): string {
  return (fn.errors ?? []).map((e) => `  ${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)} (schema ${e.schemaPath})`).join('\n');
}

/** Throws unless `body` is what the document promises for `method path` answering `status`. */
export function expectConformsToOpenApi(method: string, path: string, status: number, body: unknown): void {
  const template = matchPathTemplate(path);
  if (!template) throw new Error(`OpenAPI: no path template matches ${path} (documented: ${Object.keys(doc.paths).join(', ')})`);
  const verb = method.toLowerCase();
  const operation = doc.paths[template][verb];
  if (!operation) throw new Error(`OpenAPI: ${method.toUpperCase()} ${template} is not documented`);
  // OpenAPI lets a response be keyed by its code, its range (4XX) or `default`.
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => operation.responses[k]);
  if (!key) {
    throw new Error(`OpenAPI: ${method.toUpperCase()} ${template} does not document status ${status} (documented: ${Object.keys(operation.responses).join(', ')})`);
  }
  const content = operation.responses[key].content;
  if (!content) {
    if (body !== undefined && body !== '') throw new Error(`OpenAPI: ${method.toUpperCase()} ${template} ${key} documents no body, got ${JSON.stringify(body)}`);
    return;
  }
  if (!content['application/json']) throw new Error(`OpenAPI: ${method.toUpperCase()} ${template} ${key} documents no application/json body`);
  const pointer = ['paths', template, verb, 'responses', key, 'content', 'application/json', 'schema'].map(pointerPart).join('/');
  const fn = compile(`/${pointer}`);
  if (!fn(body)) {
    throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} ${status} body does not match the document:\n${formatErrors(fn)}\nbody: ${JSON.stringify(body)}`);
  }
}

/** Compiles every component schema and every response schema (strict mode catches typos in the document); returns how many. */
export function compileDocumentSchemas(): number {
  const pointers = Object.keys((openApiDocument.components.schemas as Record<string, unknown>)).map((name) => `/components/schemas/${pointerPart(name)}`);
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [verb, op] of Object.entries(item)) {
      for (const [code, response] of Object.entries(op.responses ?? {})) {
        for (const type of Object.keys(response.content ?? {})) {
          pointers.push(`/${['paths', template, verb, 'responses', code, 'content', type, 'schema'].map(pointerPart).join('/')}`);
        }
      }
    }
  }
  for (const p of pointers) compile(p);
  return pointers.length;
}

/** For answers outside any operation (the 404 of an unknown route): checks `body` against `components.schemas[name]`. */
export function expectMatchesSchema(name: string, body: unknown): void {
  const fn = compile(`/components/schemas/${pointerPart(name)}`);
  if (!fn(body)) throw new Error(`OpenAPI: body does not match schema ${name}:\n${formatErrors(fn)}\nbody: ${JSON.stringify(body)}`);
}
