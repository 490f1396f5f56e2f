/**
 * The Standard Webhooks helper: the spec's published example, verification
 * rules (tolerance, several signatures, several secrets) and the secret format.
 */
import { randomBytes } from 'node:crypto';
import {
  parseWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookSecretError,
  webhookIdFor,
  WebhookVerificationError,
} from '../../src/security/webhooks';

// From the reference implementation's tests (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts).
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const AT_SPEC_TIME = { now: SPEC.timestamp * 1000 };

const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

function verificationError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof WebhookVerificationError) return err.message;
    throw err;
  }
  throw new Error('expected verification to fail');
}

describe('signWebhook', () => {
  it("produces the Standard Webhooks spec's example signature exactly", () => {
    expect(signWebhook(SPEC.secret, { id: SPEC.id, timestamp: SPEC.timestamp, body: SPEC.body })).toEqual({
      'webhook-id': SPEC.id,
      'webhook-timestamp': String(SPEC.timestamp),
      'webhook-signature': SPEC.signature,
    });
  });

  it('signs with every secret of a rotation, space-separated, in one header', () => {
    const [current, previous] = [newSecret(), newSecret()];
    const headers = signWebhook(`${current} ${previous}`, { id: 'msg-1', timestamp: 1_700_000_000, body: '{}' });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    const at = { now: 1_700_000_000_000 };
    expect(verifyWebhook(previous, headers, '{}', at).id).toBe('msg-1');
    expect(verifyWebhook(current, headers, '{}', at).id).toBe('msg-1');
  });

  it('refuses an id containing a dot, which would make the signed content ambiguous', () => {
    expect(() => signWebhook(SPEC.secret, { id: 'a.b', timestamp: 1, body: '' })).toThrow(WebhookSecretError);
  });
});

describe('verifyWebhook', () => {
  const headers = { 'webhook-id': SPEC.id, 'webhook-timestamp': String(SPEC.timestamp), 'webhook-signature': SPEC.signature };

  it("accepts the spec's example, with or without the whsec_ prefix, from a plain record or fetch Headers", () => {
    expect(verifyWebhook(SPEC.secret, headers, SPEC.body, AT_SPEC_TIME)).toEqual({ id: SPEC.id, timestamp: SPEC.timestamp });
    expect(verifyWebhook(SPEC.secret.slice('whsec_'.length), headers, Buffer.from(SPEC.body), AT_SPEC_TIME).id).toBe(SPEC.id);
    expect(verifyWebhook(SPEC.secret, new Headers(headers), SPEC.body, AT_SPEC_TIME).id).toBe(SPEC.id);
    const upper = { 'Webhook-Id': SPEC.id, 'Webhook-Timestamp': String(SPEC.timestamp), 'Webhook-Signature': SPEC.signature };
    expect(verifyWebhook(SPEC.secret, upper, SPEC.body, AT_SPEC_TIME).id).toBe(SPEC.id);
  });

  it('rejects a body, id or timestamp that differs from what was signed', () => {
    expect(verificationError(() => verifyWebhook(SPEC.secret, headers, '{"test":2432232314}', AT_SPEC_TIME))).toBe('no matching webhook signature');
    expect(verificationError(() => verifyWebhook(SPEC.secret, { ...headers, 'webhook-id': 'msg_other' }, SPEC.body, AT_SPEC_TIME))).toBe('no matching webhook signature');
    const later = { ...headers, 'webhook-timestamp': String(SPEC.timestamp + 1) };
    expect(verificationError(() => verifyWebhook(SPEC.secret, later, SPEC.body, AT_SPEC_TIME))).toBe('no matching webhook signature');
  });

  it('rejects a timestamp outside the tolerance either way (replay protection), default five minutes', () => {
    expect(verificationError(() => verifyWebhook(SPEC.secret, headers, SPEC.body, { now: (SPEC.timestamp + 301) * 1000 }))).toBe('webhook-timestamp is too old');
    expect(verificationError(() => verifyWebhook(SPEC.secret, headers, SPEC.body, { now: (SPEC.timestamp - 301) * 1000 }))).toBe('webhook-timestamp is in the future');
    expect(verifyWebhook(SPEC.secret, headers, SPEC.body, { now: (SPEC.timestamp + 3000) * 1000, toleranceSeconds: 3600 }).id).toBe(SPEC.id);
    expect(verificationError(() => verifyWebhook(SPEC.secret, headers, SPEC.body, { now: (SPEC.timestamp + 11) * 1000, toleranceSeconds: 10 }))).toBe('webhook-timestamp is too old');
  });

  it('accepts the webhook when any one of several signatures matches, ignoring other versions', () => {
    const many = { ...headers, 'webhook-signature': ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', 'v2,abc', SPEC.signature, 'v1a,xyz'].join(' ') };
    expect(verifyWebhook(SPEC.secret, many, SPEC.body, AT_SPEC_TIME).id).toBe(SPEC.id);
  });

  it('accepts the webhook when any one of several secrets signed it (receiver-side rotation)', () => {
    expect(verifyWebhook([newSecret(), SPEC.secret], headers, SPEC.body, AT_SPEC_TIME).id).toBe(SPEC.id);
    expect(verifyWebhook(`${newSecret()} ${SPEC.secret}`, headers, SPEC.body, AT_SPEC_TIME).id).toBe(SPEC.id);
    expect(verificationError(() => verifyWebhook([newSecret(), newSecret()], headers, SPEC.body, AT_SPEC_TIME))).toBe('no matching webhook signature');
  });

  it('rejects missing headers, a non-numeric timestamp and truncated or garbage signatures', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const partial: Record<string, string> = { ...headers };
      delete partial[name];
      expect(verificationError(() => verifyWebhook(SPEC.secret, partial, SPEC.body, AT_SPEC_TIME))).toContain('missing');
    }
    expect(verificationError(() => verifyWebhook(SPEC.secret, { ...headers, 'webhook-timestamp': 'hello' }, SPEC.body, AT_SPEC_TIME))).toContain('not a number');
    for (const signature of ['v1,', SPEC.signature.slice(0, 8), 'v1,dawfeoifkpqwoekfpqoekf', SPEC.signature.replace('v1,', 'v2,')]) {
      expect(verificationError(() => verifyWebhook(SPEC.secret, { ...headers, 'webhook-signature': signature }, SPEC.body, AT_SPEC_TIME))).toBe('no matching webhook signature');
    }
  });
});

describe('webhook secrets and ids', () => {
  it('refuses malformed or weak secrets with a message that does not contain them', () => {
    for (const secret of ['whsec_', 'whsec_not base64!', `whsec_${randomBytes(16).toString('base64')}`, `whsec_${randomBytes(65).toString('base64')}`, 'hunter2-hunter2-hunter2-hunter2']) {
      let message = '';
      try {
        parseWebhookSecret(secret);
      } catch (err) {
        expect(err).toBeInstanceOf(WebhookSecretError);
        message = (err as Error).message;
      }
      expect(message).toContain("'whsec_' followed by the base64 of 24 to 64 random bytes");
      expect(message).not.toContain(secret.slice('whsec_'.length) || '\u0000');
    }
  });

  it('derives a dot-free, injective webhook id from an idempotency key', () => {
    expect(webhookIdFor('5f3c-uuid:sendPing')).toBe('5f3c-uuid:sendPing');
    expect(webhookIdFor('order.42:create')).toBe('order%2E42:create');
    expect(webhookIdFor('order%2E42:create')).toBe('order%252E42:create');
    expect(webhookIdFor('order.42:create')).not.toBe(webhookIdFor('order%2E42:create'));
  });
});
