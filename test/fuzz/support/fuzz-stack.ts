/**
 * The bus under attack: the real API and a worker on the harness's Temporal
 * server (startEsbStack), the fuzz flows, a fake remote, and the checks every
 * bad-input test makes afterwards: the API still answers, each refusal was a
 * clear 4xx, nothing was started for a refused request, no prototype changed.
 */
import fc from 'fast-check';
import { startEsbStack, type EsbStack } from '../../harness/esb-stack';
import { startFakeRemote, type FakeRemote } from '../../harness/fake-remote';
import { expectConformsToOpenApi } from '../../harness/openapi';
import { waitFor } from '../../harness/processes';
import type { ApiLimits } from '../../../src/api/app';
import { fuzzFlows } from './fuzz-flows';
import { rawRequest, type RawAnswer, type RawRequest } from './raw-http';

export interface FuzzStack {
  esb: EsbStack;
  remote: FakeRemote;
  /** POST raw bytes to a flow's ingress. */
  post(flow: string, body: Buffer | string, headers?: Record<string, string | number>, extra?: Partial<RawRequest>): Promise<RawAnswer>;
  raw(req: RawRequest): Promise<RawAnswer>;
  /** Workflows ever started on this stack's task queue, once visibility has stopped moving. */
  workflowCount(): Promise<number>;
  /** Waits until visibility shows exactly `expected` workflows, then checks it stays there a moment. */
  expectWorkflowCount(expected: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startFuzzStack(limits: Partial<ApiLimits> = {}): Promise<FuzzStack> {
  const remote = await startFakeRemote();
  const esb = await startEsbStack(fuzzFlows(remote.url), { limits });
  const raw = (req: RawRequest): Promise<RawAnswer> => rawRequest(esb.api, req);
  const countNow = async (): Promise<number> => (await esb.client.workflow.count(`TaskQueue = '${esb.taskQueue}'`)).count;
  const workflowCount = async (): Promise<number> => {
    // Visibility lags a start by a little: read until two reads 300 ms apart agree.
    let last = await countNow();
    for (;;) {
      await new Promise((r) => setTimeout(r, 300));
      const now = await countNow();
      if (now === last) return now;
      last = now;
    }
  };
  return {
    esb,
    remote,
    raw,
    post: (flow, body, headers = { 'content-type': 'application/json' }, extra = {}) => raw({ path: `/api/v1/flows/${encodeURIComponent(flow)}/messages`, body, headers, ...extra }),
    workflowCount,
    async expectWorkflowCount(expected) {
      // Too many is never explained by lag, so wait for "at least", then compare once settled.
      await waitFor(`${expected} workflows on the queue`, async () => ((await countNow()) >= expected ? true : undefined), 15_000).catch(() => undefined);
      expect(await workflowCount()).toBe(expected);
    },
    async stop() {
      await esb.stop();
      await remote.close();
    },
  };
}

/** A refusal as the API promises it: a 4xx with `{error}` (documented in the OpenAPI). */
export function expectClearRefusal(answer: RawAnswer, path: string, statuses: number[]): void {
  if (!statuses.includes(answer.status)) {
    throw new Error(`expected ${statuses.join(' or ')}, got ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  expect(typeof answer.json?.error).toBe('string');
  expect(String(answer.json?.error)).not.toBe('');
  expectConformsToOpenApi('post', path, answer.status, answer.json);
}

export async function expectHealthy(stack: FuzzStack): Promise<void> {
  const health = await stack.raw({ method: 'GET', path: '/healthz' });
  expect(health.status).toBe(200);
  expect(health.json).toMatchObject({ status: 'ok' });
}

/** Own property names of the built-in prototypes: a polluted prototype gains one. */
export function prototypeSnapshot(): Record<string, string[]> {
  const names = (o: object): string[] => Object.getOwnPropertyNames(o).sort();
  return {
    object: names(Object.prototype),
    array: names(Array.prototype),
    function: names(Function.prototype),
    string: names(String.prototype),
  };
}

export function expectNoPollution(before: Record<string, string[]>): void {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(([] as unknown as Record<string, unknown>).polluted).toBeUndefined();
  expect(prototypeSnapshot()).toEqual(before);
}

/**
 * fast-check settings for tests that talk to a real server: modest run counts,
 * a bound on shrinking time, and the seed on failure (fast-check prints it;
 * FUZZ_SEED and FUZZ_PATH replay one run).
 */
export function fuzzParams<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return {
    numRuns,
    interruptAfterTimeLimit: 40_000,
    markInterruptAsFailure: false,
    ...(seed === undefined ? {} : { seed, path: process.env.FUZZ_PATH }),
  };
}
