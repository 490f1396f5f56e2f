import { request } from 'undici';
import { startFakeRemote, type FakeRemote } from '../harness/fake-remote';

let remote: FakeRemote;
beforeAll(async () => {
  remote = await startFakeRemote();
});
afterAll(() => remote.close());
beforeEach(() => remote.reset());

async function post(path: string, body: unknown): Promise<{ status: number; body: string }> {
  const res = await request(`${remote.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.statusCode, body: await res.body.text() };
}

describe('the fake remote test harness', () => {
  it('answers each request with the next scripted response, repeating the last', async () => {
    remote.script('POST', '/x', [{ status: 503 }, { status: 200, body: { n: 2 } }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/x', { i })).status);
    expect(statuses).toEqual([503, 200, 200]);
  });

  it('answers unscripted paths with 200 {ok: true} and records every request', async () => {
    expect(await post('/y?a=1&a=2', { hello: 1 })).toEqual({ status: 200, body: '{"ok":true}' });
    expect(remote.requests('/y')).toEqual([
      expect.objectContaining({ method: 'POST', path: '/y', query: { a: ['1', '2'] }, body: { hello: 1 }, at: expect.any(Number) }),
    ]);
  });

  it('waits for a number of requests, and times out naming what it saw', async () => {
    const waiting = remote.waitForRequests('/z', 2, 2000);
    await post('/z', 1);
    await post('/z', 2);
    expect(await waiting).toHaveLength(2);
    await expect(remote.waitForRequests('/z', 3, 50)).rejects.toThrow('2 of 3 requests to /z');
  });
});
