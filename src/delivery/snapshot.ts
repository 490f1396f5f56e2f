import { createHash } from 'node:crypto';
import type { EsbConfig, FlowDefinition, MethodRef } from '../config/types';
import { forEachExpression, mappingNamesReferenced } from '../expressions';
import type { FlowSnapshot, TargetSnapshot } from '../shared/delivery-types';

function target(config: EsbConfig, ref: MethodRef): TargetSnapshot {
  const producer = config.producers[ref.producer];
  const method = producer?.methods[ref.method];
  if (!producer || !method) throw new Error(`unknown target ${ref.producer}.${ref.method}`);
  // options carry no secrets by construction (ProducerDefinition.secrets holds them apart).
  return { ref, name: `${ref.producer}.${ref.method}`, method, options: producer.options };
}

/** Mappings reachable from the targets: statically named ones, and those they name in turn. */
function reachableMappings(config: EsbConfig, targets: TargetSnapshot[]): Record<string, unknown> {
  const pending: string[] = [];
  const visit = (value: unknown): void => forEachExpression(value, (source) => pending.push(...mappingNamesReferenced(source)));
  for (const t of targets) visit(t.method);
  const out: Record<string, unknown> = {};
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name in out || !(name in config.mappings)) continue;
    out[name] = config.mappings[name];
    forEachLeafString(out[name], (source) => pending.push(...mappingNamesReferenced(source)));
  }
  return out;
}

/** Mapping leaves are bare expressions (no eval: prefix), so walk every string. */
function forEachLeafString(value: unknown, visit: (s: string) => void): void {
  if (typeof value === 'string') visit(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) forEachLeafString(v, visit);
}

function versionOf(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

/**
 * The flow's definitions as they are now, copied into the workflow input, so
 * an in-flight message keeps the config it started with after the YAML changes
 * (SmartESB's flow versioning). Secrets are not part of it.
 */
export function buildSnapshot(config: EsbConfig, flow: FlowDefinition): FlowSnapshot {
  // Taken for every message at ingress, but it only changes with the config:
  // a reload creates new flow objects, so keying on the flow object is exact.
  let snapshot = snapshots.get(flow);
  if (!snapshot) snapshots.set(flow, (snapshot = takeSnapshot(config, flow)));
  return snapshot;
}

const snapshots = new WeakMap<FlowDefinition, FlowSnapshot>();

function takeSnapshot(config: EsbConfig, flow: FlowDefinition): FlowSnapshot {
  const deliverTarget = target(config, flow.deliver.to);
  const callbackTargets = flow.callback ? flow.callback.to.map((ref) => target(config, ref)) : [];
  const body = {
    flow: flow.name,
    mode: flow.mode,
    deliver: { target: deliverTarget, retry: flow.deliver.retry, timeoutMs: flow.deliver.timeoutMs },
    callback: flow.callback
      ? { targets: callbackTargets, mode: flow.callback.mode, when: flow.callback.when, retry: flow.deliver.retry, timeoutMs: flow.deliver.timeoutMs }
      : undefined,
    mappings: reachableMappings(config, [deliverTarget, ...callbackTargets]),
  };
  return { ...body, version: versionOf(body) };
}
