/**
 * Temporal history events per delivery, from a sample of finished messages:
 * the parent workflow plus every child it started (the callback). Counted
 * after the fact, so it does not disturb the measured window.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const CLOSED = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

export interface HistoryFigures {
  sampled: number;
  /** Parent + children events per delivery. */
  perDelivery: { mean: number; min: number; max: number };
  /** Encoded size of those events (protobuf bytes) per delivery, mean: what the server stores and ships. */
  bytesPerDelivery: number;
  /** One delivery's events by type, in the order they first occur. */
  example: { parent: Record<string, number>; children: Record<string, number> };
}

function typeName(e: HistoryEvent): string {
  return (EventType[e.eventType ?? 0] ?? String(e.eventType)).replace(/^EVENT_TYPE_/, '');
}

function byType(events: HistoryEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) out[typeName(e)] = (out[typeName(e)] ?? 0) + 1;
  return out;
}

/** The history once the workflow has closed (a callback child may still be finishing its last task). */
async function closedHistory(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
    const last = events[events.length - 1];
    if ((last && CLOSED.has(last.eventType ?? 0)) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 300));
  }
}

function encodedBytes(events: HistoryEvent[]): number {
  return events.reduce((sum, e) => sum + temporal.api.history.v1.HistoryEvent.encode(e).finish().length, 0);
}

function childIds(events: HistoryEvent[]): string[] {
  return events.map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId).filter((id): id is string => typeof id === 'string');
}

/** Evenly spaced over the run, so early and late messages are both in. */
function pick<T>(items: T[], n: number): T[] {
  if (items.length <= n) return items;
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]);
}

export async function sampleHistories(client: Client, workflowIds: string[], size = 20): Promise<HistoryFigures | undefined> {
  const totals: number[] = [];
  let bytes = 0;
  let example: HistoryFigures['example'] | undefined;
  for (const id of pick(workflowIds, size)) {
    const parent = await closedHistory(client, id);
    const children = (await Promise.all(childIds(parent).map((c) => closedHistory(client, c)))).flat();
    totals.push(parent.length + children.length);
    bytes += encodedBytes(parent) + encodedBytes(children);
    example ??= { parent: byType(parent), children: byType(children) };
  }
  if (!example) return undefined;
  return {
    sampled: totals.length,
    perDelivery: { mean: totals.reduce((s, n) => s + n, 0) / totals.length, min: Math.min(...totals), max: Math.max(...totals) },
    bytesPerDelivery: bytes / totals.length,
    example,
  };
}
