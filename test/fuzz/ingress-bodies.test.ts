/**
 * Hostile message bodies against the real ingress (issue 6, bad input):
 * malformed JSON, deep nesting, odd Unicode, invalid UTF-8, prototype keys.
 * Whatever comes in, the API answers 202 or a clear 4xx, starts a workflow
 * exactly for each 202, delivers what it accepted unchanged, and no
 * prototype of this process changes.
 */
import fc from 'fast-check';
import { waitFor } from '../harness/processes';
import { expectClearRefusal, expectHealthy, expectNoPollution, fuzzParams, prototypeSnapshot, startFuzzStack, type FuzzStack } from './support/fuzz-stack';
import { invalidUtf8, jsonTree, malformedJson, nestedJson, parses, toJsonText } from './support/json-arbitraries';

jest.setTimeout(60_000);

const INGRESS = '/api/v1/flows/sink/messages';
let stack: FuzzStack;
let prototypes: Record<string, string[]>;
/** 202s answered in the current test, and the workflow count when it began. */
let accepted = 0;
let started = 0;

beforeAll(async () => {
  prototypes = prototypeSnapshot();
  stack = await startFuzzStack();
});
beforeEach(async () => {
  accepted = 0;
  started = await stack.workflowCount();
});
afterAll(async () => {
  await stack?.stop();
});
afterEach(async () => {
  await expectHealthy(stack);
  expectNoPollution(prototypes);
});

/** Each 202 started exactly one workflow; each refusal none. */
async function expectStartedOnlyForAccepted(): Promise<void> {
  await stack.expectWorkflowCount(started + accepted);
}

let refCounter = 0;
const nextRef = (): string => `ref-${process.pid}-${++refCounter}`;

/** The body the remote received for a message, by the `ref` we wrapped it in. */
async function deliveredBody(ref: string): Promise<unknown> {
  return waitFor(`delivery of ${ref}`, async () => stack.remote.requests('/sink').find((r) => (r.body as { ref?: string } | null)?.ref === ref)?.body, 20_000);
}

describe('malformed JSON', () => {
  it('answers 400 {error} and starts nothing, whatever the damage', async () => {
    await fc.assert(
      fc.asyncProperty(malformedJson, async (text) => {
        fc.pre(!parses(text) && text.trim() !== '');
        const answer = await stack.post('sink', text);
        expectClearRefusal(answer, INGRESS, [400]);
        expect(answer.json?.error).toBe('malformed JSON body');
      }),
      fuzzParams(100),
    );
    await expectStartedOnlyForAccepted();
  });
});

describe('deep nesting', () => {
  it('accepts nesting up to 512 levels (PHP json_decode depth) and refuses deeper with 400, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 600, max: 20_000 })), fc.constantFrom('array' as const, 'object' as const), async (depth, kind) => {
        const answer = await stack.post('sink', nestedJson(depth, kind));
        if (depth <= 512) {
          expect(answer.status).toBe(202);
          accepted += 1;
        } else {
          expectClearRefusal(answer, INGRESS, [400]);
          expect(String(answer.json?.error)).toMatch(/nest/);
        }
      }),
      fuzzParams(40),
    );
    await expectStartedOnlyForAccepted();
  });

  it('refuses 10,000 levels with 400, not an internal error', async () => {
    const answer = await stack.post('sink', `{"ref":"deep","data":${nestedJson(10_000, 'array')}}`);
    expectClearRefusal(answer, INGRESS, [400]);
  });

  it('delivers a 512-level message unchanged through the workflow and the HTTP activity', async () => {
    const ref = nextRef();
    const text = `{"ref":"${ref}","data":${nestedJson(511, 'object')}}`;
    const answer = await stack.post('sink', text);
    expect(answer.status).toBe(202);
    accepted += 1;
    expect(JSON.stringify(await deliveredBody(ref))).toBe(JSON.stringify(JSON.parse(text)));
  });
});

describe('odd Unicode and hostile keys', () => {
  it('accepts any well-formed JSON with lone surrogates, NUL, RTL, emoji and __proto__ keys, and delivers it unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(jsonTree, fc.constantFrom('sink', 'mapped'), async (tree, flow) => {
        const ref = nextRef();
        const text = `{"ref":"${ref}","id":"${ref}","name":${toJsonText(tree)},"nested":${toJsonText(tree)},"data":${toJsonText(tree)}}`;
        const answer = await stack.post(flow, text);
        expect(answer.status).toBe(202);
        accepted += 1;
        expectNoPollution(prototypes);
        if (flow === 'sink') {
          expect(JSON.stringify(await deliveredBody(ref))).toBe(JSON.stringify(JSON.parse(text)));
        } else {
          // The mapper walks message data inside the workflow sandbox; it must survive hostile keys.
          const mapped = await waitFor(`mapped ${ref}`, async () => stack.remote.requests('/mapped').find((r) => (r.body as { id?: string } | null)?.id === ref), 20_000);
          expect((mapped.body as { id: string }).id).toBe(ref);
        }
        // The status route reads the workflow back (query or result) and answers JSON.
        const status = await stack.raw({ method: 'GET', path: `/api/v1/messages/${answer.json?.messageId as string}?flow=${flow}` });
        expect(status.status).toBe(200);
      }),
      fuzzParams(30),
    );
    await expectStartedOnlyForAccepted();
  });

  it('answers invalid UTF-8 inside a JSON string with 202 (replacement characters) or a clear 4xx, never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(invalidUtf8, async (bytes) => {
        const body = Buffer.concat([Buffer.from('{"ref":"utf8","text":"'), bytes, Buffer.from('"}')]);
        const answer = await stack.post('sink', body);
        if (answer.status === 202) accepted += 1;
        else expectClearRefusal(answer, INGRESS, [400, 415]);
      }),
      fuzzParams(50),
    );
    await expectStartedOnlyForAccepted();
  });
});

describe('classic prototype-pollution payloads', () => {
  const payloads = [
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"a":[{"__proto__":{"polluted":"yes"}}],"b":{"constructor":{"prototype":{"polluted":"yes"}}}}',
    '{"__proto__":{"__proto__":{"polluted":"yes"}},"prototype":{"polluted":"yes"}}',
  ];

  it.each(payloads)('delivers %s as plain data and pollutes nothing', async (payload) => {
    const ref = nextRef();
    const text = `{"ref":"${ref}","id":"${ref}","name":${payload},"nested":${payload},"data":${payload}}`;
    for (const flow of ['sink', 'mapped']) {
      const answer = await stack.post(flow, text);
      expect(answer.status).toBe(202);
    }
    expect(JSON.stringify(await deliveredBody(ref))).toBe(JSON.stringify(JSON.parse(text)));
    await waitFor(`mapped ${ref}`, async () => stack.remote.requests('/mapped').find((r) => (r.body as { id?: string } | null)?.id === ref), 20_000);
    expectNoPollution(prototypes);
  });
});

describe('prototype keys outside the body', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'])('answers 404 for a flow named %s', async (name) => {
    const answer = await stack.post(name, '{"a":1}');
    expectClearRefusal(answer, `/api/v1/flows/${name}/messages`, [404]);
  });

  it('ignores prototype paths in the query string', async () => {
    const query = '__proto__[polluted]=1&constructor[prototype][polluted]=1&__proto__.polluted=1&mode=__proto__';
    const answer = await stack.raw({ path: `${INGRESS}?${query}`, body: '{"ref":"query"}', headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(202);
    accepted += 1;
    const list = await stack.raw({ method: 'GET', path: `/api/v1/messages?${query}` });
    expect(list.status).toBeLessThan(500);
  });
});
