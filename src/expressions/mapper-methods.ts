/**
 * Every method an expression may call on `mapper`, with its arity: the single list both the
 * load-time checks (parser) and the run-time dispatch (mapper) use, so they cannot drift.
 */
import { MAPPER_HELPERS } from './mapper-helpers';

export interface Arity {
  readonly min: number;
  readonly max: number;
}

/** map(obj, name, context?), mapAll(list, name, context?, disassociate?), has(name). */
export const MAPPER_CORE_ARITY: ReadonlyMap<string, Arity> = new Map([
  ['map', { min: 2, max: 3 }],
  ['mapAll', { min: 2, max: 4 }],
  ['has', { min: 1, max: 1 }],
]);

export const MAPPER_METHOD_ARITY: ReadonlyMap<string, Arity> = new Map<string, Arity>([
  ...MAPPER_CORE_ARITY,
  ...[...MAPPER_HELPERS].map(([name, { min, max }]): [string, Arity] => [name, { min, max }]),
]);
