import { knownList } from './problems';
import type { EsbConfig, FlowDefinition, MethodDefinition, MethodRef, ProducerDefinition } from './types';

/**
 * Run-time look-ups by name (a flow named in a URL, a method named by a ref),
 * failing with the same "known: ..." sentence the loader uses.
 */
export class UnknownReferenceError extends Error {
  override name = 'UnknownReferenceError';
  readonly type = 'UnknownReferenceError';
}

function own<T>(record: Record<string, T>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

export function flowNamed(config: EsbConfig, name: string): FlowDefinition {
  const flow = own(config.flows, name);
  if (!flow) throw new UnknownReferenceError(`unknown flow '${name}' (${knownList(Object.keys(config.flows))})`);
  return flow;
}

export function methodNamed(config: EsbConfig, ref: MethodRef): { producer: ProducerDefinition; method: MethodDefinition } {
  const producer = own(config.producers, ref.producer);
  if (!producer) {
    throw new UnknownReferenceError(`unknown producer '${ref.producer}' (${knownList(Object.keys(config.producers))})`);
  }
  const method = own(producer.methods, ref.method);
  if (!method) {
    throw new UnknownReferenceError(
      `unknown method '${ref.method}' of producer '${ref.producer}' (${knownList(Object.keys(producer.methods))})`,
    );
  }
  return { producer, method };
}
