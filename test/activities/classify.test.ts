import { classifyNoResponse, classifyResponse, describeUrl, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/activities/classify';
import { buildQueryString } from '../../src/activities/request-build';

const label = { method: 'POST', url: 'http://remote.example/pong', target: 'remote.send' };
const NOW = Date.parse('2024-05-01T12:00:00Z');

describe('classifyResponse (SmartESB: status >= 400 is an error before validations)', () => {
  const table: Array<{ status: number; retryAfter?: string; type: string | null; recoverable?: boolean; delayMs?: number }> = [
    { status: 200, type: null },
    { status: 201, type: null },
    { status: 204, type: null },
    { status: 302, type: null },
    { status: 304, type: null },
    { status: 400, type: 'RemoteClientError', recoverable: false },
    { status: 401, type: 'RemoteClientError', recoverable: false },
    { status: 404, type: 'RemoteClientError', recoverable: false },
    { status: 409, type: 'RemoteClientError', recoverable: false },
    { status: 422, type: 'RemoteClientError', recoverable: false },
    { status: 408, type: 'RemoteClientError', recoverable: true },
    { status: 429, type: 'RemoteClientError', recoverable: true },
    { status: 429, retryAfter: '7', type: 'RemoteClientError', recoverable: true, delayMs: 7000 },
    { status: 500, type: 'RemoteServerError', recoverable: true },
    { status: 502, type: 'RemoteServerError', recoverable: true },
    { status: 503, type: 'RemoteServerError', recoverable: true },
    { status: 503, retryAfter: 'Wed, 01 May 2024 12:00:30 GMT', type: 'RemoteServerError', recoverable: true, delayMs: 30_000 },
    { status: 503, retryAfter: '999999', type: 'RemoteServerError', recoverable: true, delayMs: MAX_RETRY_AFTER_MS },
    // Retry-After only means "come back then" on 429 and 503.
    { status: 500, retryAfter: '7', type: 'RemoteServerError', recoverable: true },
    { status: 404, retryAfter: '7', type: 'RemoteClientError', recoverable: false },
  ];

  it.each(table)('classifies $status (Retry-After $retryAfter) as $type', ({ status, retryAfter, type, recoverable, delayMs }) => {
    const headers: Record<string, string> = retryAfter === undefined ? {} : { 'retry-after': retryAfter };
    const result = classifyResponse({ ...label, statusCode: status, headers }, NOW);
    if (type === null) {
      expect(result).toBeNull();
      return;
    }
    expect(result?.error.type).toBe(type);
    expect(result?.error.recoverable).toBe(recoverable);
    expect(result?.error.statusCode).toBe(status);
    expect(result?.error.target).toBe('remote.send');
    expect(result?.nextRetryDelayMs).toBe(delayMs);
  });

  it('names the method, URL, status and reason in the message', () => {
    expect(classifyResponse({ ...label, statusCode: 503, headers: {} }, NOW)?.error.message).toBe(
      'POST http://remote.example/pong answered 503 Service Unavailable',
    );
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['120', 120_000],
    [' 5 ', 5000],
    ['Wed, 01 May 2024 12:01:00 GMT', 60_000],
  ])('reads %p as %p ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([[undefined], ['soon'], ['-5'], ['1.5'], ['Wed, 01 May 2024 11:00:00 GMT']])(
    'ignores %p (unparseable or in the past), leaving the retry policy its own delay',
    (value) => {
      expect(parseRetryAfter(value, NOW)).toBeUndefined();
    },
  );
});

describe('classifyNoResponse', () => {
  it('is a recoverable RemoteUnavailableError without a status code', () => {
    const { error } = classifyNoResponse(label, 'connection refused');
    expect(error).toMatchObject({ type: 'RemoteUnavailableError', recoverable: true, target: 'remote.send' });
    expect(error.statusCode).toBeUndefined();
    expect(error.message).toBe('POST http://remote.example/pong got no response: connection refused');
  });
});

describe('describeUrl', () => {
  it('drops credentials embedded in a URL', () => {
    expect(describeUrl(new URL('http://user:s3cret@remote.example:8080/a?b=1'))).toBe('http://remote.example:8080/a?b=1');
  });
});

describe('buildQueryString (PHP http_build_query, as Guzzle sends `query`)', () => {
  it.each<[unknown, string]>([
    [undefined, ''],
    [null, ''],
    [{}, ''],
    ['?a=1&b=2', 'a=1&b=2'],
    [{ a: 1, b: 'two words' }, 'a=1&b=two%20words'],
    [{ flag: true, off: false, gone: null }, 'flag=1&off=0'],
    [{ list: ['x', 'y'] }, 'list%5B0%5D=x&list%5B1%5D=y'],
    [{ filter: { status: 'open' } }, 'filter%5Bstatus%5D=open'],
    [{ 'a&b': 'c=d' }, 'a%26b=c%3Dd'],
  ])('encodes %j as %p', (query, expected) => {
    expect(buildQueryString(query)).toBe(expected);
  });
});
