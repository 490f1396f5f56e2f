import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../shared/definitions';
import { logger } from '../shared/logger';

/** `--search-attribute` flags for `temporal server start-dev`. */
export function searchAttributeFlags(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

const INDEXED_TYPE = temporal.api.enums.v1.IndexedValueType;

/**
 * Registers the project's search attributes on an existing cluster. Already
 * present ones are left alone; where the operator API is not allowed (Temporal
 * Cloud registers them per namespace in its console) this only warns.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(SEARCH_ATTRIBUTES).filter(([name]) => !known.has(name));
  if (missing.length === 0) return;
  const searchAttributes: Record<string, temporal.api.enums.v1.IndexedValueType> = {};
  for (const [name] of missing) searchAttributes[name] = INDEXED_TYPE.INDEXED_VALUE_TYPE_KEYWORD;
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
    logger.info({ added: Object.keys(searchAttributes) }, 'registered search attributes');
  } catch (err) {
    logger.warn(
      { err: (err as Error).message, missing: Object.keys(searchAttributes) },
      'could not register search attributes; create them on the cluster (e.g. `temporal operator search-attribute create`)',
    );
  }
}
