/**
 * Sizes, content types and headers at the ingress (issue 6, bad input): huge
 * strings and arrays around the body limit, bodies far over it (a 3 MiB body,
 * over Temporal's 2 MiB payload limit, is refused at once with 413, never a
 * stuck workflow), non-JSON content types, oversized headers (Node's 16 KiB
 * limit answers 431) and hostile Idempotency-Keys.
 */
import zlib from 'node:zlib';
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '../../src/api/app';
import { waitFor } from '../harness/processes';
import { MESSAGE_ID_PATTERN } from '../../src/api/links';
import { expectClearRefusal, expectHealthy, expectNoPollution, fuzzParams, prototypeSnapshot, startFuzzStack, type FuzzStack } from './support/fuzz-stack';

jest.setTimeout(60_000);

const INGRESS = '/api/v1/flows/sink/messages';
const LIMIT = DEFAULT_LIMITS.bodyLimitBytes;
const MiB = 1024 * 1024;
let stack: FuzzStack;
let prototypes: Record<string, string[]>;
let accepted = 0;
let started = 0;

beforeAll(async () => {
  prototypes = prototypeSnapshot();
  stack = await startFuzzStack();
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(async () => {
  accepted = 0;
  started = await stack.workflowCount();
});
afterEach(async () => {
  await expectHealthy(stack);
  expectNoPollution(prototypes);
});

describe('the body size limit (default 256 KiB, far under Temporal 2 MiB payloads)', () => {
  const hugeBody = fc.oneof(
    fc.integer({ min: 0, max: 2 * LIMIT }).map((n) => JSON.stringify({ blob: 'x'.repeat(n) })),
    fc.tuple(fc.integer({ min: 0, max: Math.floor(LIMIT / 2) }), fc.constantFrom(0, 7, 1234567)).map(([n, v]) => JSON.stringify({ list: new Array<number>(n).fill(v) })),
    fc.integer({ min: 0, max: Math.floor(LIMIT / 3) }).map((n) => JSON.stringify({ emoji: '😀'.repeat(n) })),
  );

  it('accepts huge strings and arrays up to the limit and refuses larger ones with 413 {error, details.limitBytes}', async () => {
    await fc.assert(
      fc.asyncProperty(hugeBody, async (text) => {
        const answer = await stack.post('sink', text);
        if (Buffer.byteLength(text) <= LIMIT) {
          expect(answer.status).toBe(202);
          accepted += 1;
        } else {
          expectClearRefusal(answer, INGRESS, [413]);
          expect(answer.json?.details).toEqual({ limitBytes: LIMIT });
        }
      }),
      fuzzParams(30),
    );
    await stack.expectWorkflowCount(started + accepted);
  });

  it('delivers a body just under the limit (never a workflow stuck on payload limits)', async () => {
    const text = JSON.stringify({ ref: 'near-limit', blob: 'n'.repeat(LIMIT - 64) });
    const answer = await stack.post('sink', text);
    expect(answer.status).toBe(202);
    const status = await waitFor(
      'the near-limit message to settle',
      async () => {
        const res = await stack.raw({ method: 'GET', path: `/api/v1/messages/${answer.json?.messageId as string}?flow=sink` });
        return res.json?.status === 'delivered' || res.json?.status === 'failed' ? res.json.status : undefined;
      },
      20_000,
    );
    expect(status).toBe('delivered');
  });

  it.each([
    ['with a Content-Length', false],
    ['chunked, without a Content-Length', true],
  ])('refuses a 3 MiB body at once with 413 (%s) and starts nothing', async (_name, chunked) => {
    const answer = await stack.post('sink', JSON.stringify({ blob: 'y'.repeat(3 * MiB) }), undefined, { chunked });
    expectClearRefusal(answer, INGRESS, [413]);
    expect(answer.elapsedMs).toBeLessThan(2000);
    await stack.expectWorkflowCount(started);
  });

  it('refuses with 413 a body under the limit in bytes that grows past it once decoded (invalid UTF-8 becomes U+FFFD)', async () => {
    // 200 KiB of 0xFF: each byte decodes to U+FFFD, 3 bytes in every payload the workflow carries.
    const body = Buffer.concat([Buffer.from('{"text":"'), Buffer.alloc(200 * 1024, 0xff), Buffer.from('"}')]);
    const answer = await stack.post('sink', body);
    expectClearRefusal(answer, INGRESS, [413]);
    await stack.expectWorkflowCount(started);
  });
});

describe('content types', () => {
  const notJson = fc.oneof(
    fc.constantFrom('text/plain', 'text/html', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'application/json-seq', 'json', 'application', '*/*', 'application/octet-stream', 'image/png'),
    fc.tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z.-]{1,12}$/)).filter(([, sub]) => !sub.includes('json')).map(([type, sub]) => `${type}/${sub}`),
  );

  it('answers 415 {error} for anything but application/json or application/*+json, and starts nothing', async () => {
    await fc.assert(
      fc.asyncProperty(notJson, fc.constantFrom('{"a":1}', 'a=1', '<a/>', ''), async (type, body) => {
        const answer = await stack.post('sink', body, { 'content-type': type });
        expectClearRefusal(answer, INGRESS, [415]);
        expect(String(answer.json?.error)).toContain('Content-Type must be application/json');
      }),
      fuzzParams(60),
    );
    const missing = await stack.post('sink', '{"a":1}', {});
    expectClearRefusal(missing, INGRESS, [415]);
    await stack.expectWorkflowCount(started);
  });

  it.each([
    ['an unsupported charset', { 'content-type': 'application/json; charset=latin-9000' }, 415],
    ['a content encoding it cannot decode', { 'content-type': 'application/json', 'content-encoding': 'br, x-unknown' }, 415],
    ['a gzip encoding over garbage', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, 400],
  ] as Array<[string, Record<string, string>, number]>)('answers %s with a clear 4xx and starts nothing', async (_name, headers, status) => {
    const answer = await stack.post('sink', '{"a":1}', headers);
    expectClearRefusal(answer, INGRESS, [status]);
    await stack.expectWorkflowCount(started);
  });
});

describe('compressed bodies', () => {
  const gzipHeaders = { 'content-type': 'application/json', 'content-encoding': 'gzip' };

  it('accepts a gzip body that inflates within the limit', async () => {
    const answer = await stack.post('sink', zlib.gzipSync(JSON.stringify({ zipped: true })), gzipHeaders);
    expect(answer.status).toBe(202);
    await stack.expectWorkflowCount(started + 1);
  });

  it('refuses with 413 a small gzip body that inflates past the limit (a zip bomb)', async () => {
    const bomb = zlib.gzipSync(JSON.stringify({ blob: '0'.repeat(3 * MiB) }));
    expect(bomb.length).toBeLessThan(16 * 1024);
    const answer = await stack.post('sink', bomb, gzipHeaders);
    expectClearRefusal(answer, INGRESS, [413]);
    await stack.expectWorkflowCount(started);
  });
});

describe('headers', () => {
  it("answers 431 to headers over Node's 16 KiB limit, and keeps serving", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 17 * 1024, max: 96 * 1024 }), fc.constantFrom('one', 'many'), async (size, shape) => {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (shape === 'one') headers['x-padding'] = 'p'.repeat(size);
        else for (let i = 0; i * 1024 < size; i += 1) headers[`x-pad-${i}`] = 'p'.repeat(1000);
        const answer = await stack.post('sink', '{"a":1}', headers);
        expect(answer.status).toBe(431);
        await expectHealthy(stack);
      }),
      fuzzParams(15),
    );
    await stack.expectWorkflowCount(started);
  });

  // Header values a client can put on the wire: printable ASCII and Latin-1, no CR/LF.
  const headerValue = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff })).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 200 });

  it('accepts an Idempotency-Key exactly when it is 1-128 of A-Z a-z 0-9 . _ : -, else answers 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(headerValue, fc.stringMatching(/^[A-Za-z0-9._:-]{1,140}$/), fc.constantFrom('__proto__', 'constructor', '..', ':::')), async (raw) => {
        const key = raw.trim();
        fc.pre(key !== '');
        // A random key must not collide with an earlier one, or the answer is a 200 duplicate.
        const unique = MESSAGE_ID_PATTERN.test(key) && key.length <= 100 ? `${key}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` : key;
        const answer = await stack.post('sink', '{"a":1}', { 'content-type': 'application/json', 'idempotency-key': Buffer.from(unique, 'latin1').toString('latin1') });
        if (MESSAGE_ID_PATTERN.test(unique)) {
          expect(answer.status).toBe(202);
          expect(answer.json?.messageId).toBe(unique);
          accepted += 1;
        } else {
          expectClearRefusal(answer, INGRESS, [400]);
        }
      }),
      fuzzParams(60),
    );
    await stack.expectWorkflowCount(started + accepted);
  });
});

describe('routes and methods', () => {
  it('answers unknown paths and methods with 404 {error}, never a 5xx', async () => {
    const segment = fc.oneof(fc.constantFrom('api', 'v1', 'flows', 'messages', 'sink', '__proto__', 'constructor', '..', '%2e%2e', '%00', '%ff', '~'), fc.stringMatching(/^[A-Za-z0-9%._~-]{0,12}$/));
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 6 }), fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'POST'), async (segments, method) => {
        const path = `/${segments.join('/')}`;
        const answer = await stack.raw({ method, path, headers: { 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}' });
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) expect(typeof answer.json?.error).toBe('string');
        if (answer.status === 202) accepted += 1;
      }),
      fuzzParams(100),
    );
    await stack.expectWorkflowCount(started + accepted);
  });
});
