import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * The one Ajv set-up for flows' `input_schema`: the loader compiles each schema
 * with it (an invalid schema is a load error) and the API validates messages
 * with it, so "valid at load" and "applied at ingress" mean the same thing.
 * Draft-07 with formats; not strict, because operators' schemas commonly carry
 * extra annotations (`example`, vendor keys) that are harmless.
 */
let shared: Ajv | undefined;

function ajv(): Ajv {
  if (!shared) {
    shared = new Ajv({ allErrors: true, strict: false });
    addFormats(shared);
  }
  return shared;
}

/** Compiles a flow's input schema; throws with Ajv's explanation when invalid. */
export function compileInputSchema(schema: Record<string, unknown> | boolean): ValidateFunction {
  // Ajv caches schemas by their serialisation; $id clashes between flows would
  // throw, so each flow's schema is compiled without registering it globally.
  const copy = typeof schema === 'boolean' ? schema : stripId(schema);
  return ajv().compile(copy);
}

function stripId(schema: Record<string, unknown>): Record<string, unknown> {
  const { $id: _ignored, ...rest } = schema;
  return rest;
}
