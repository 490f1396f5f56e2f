/**
 * Optional encryption of everything the bus stores in Temporal (workflow
 * inputs and results, activity inputs and results, failure details, memos,
 * summaries), so message bodies in the history and the Web UI are ciphertext.
 * A Temporal PayloadCodec runs in the client and the worker, never in the
 * server or the workflow sandbox: the server only ever sees encrypted bytes.
 *
 * Keys: ESB_PAYLOAD_KEYS=`keyId:base64(32 bytes),...`; the first (or
 * ESB_PAYLOAD_KEY_ID) encrypts, every listed key decrypts, so a rotation is:
 * put the new key first, keep the old one until no open workflow needs it.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type DataConverter, type LoadedDataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { decodeOptionalSinglePayload } from '@temporalio/common/lib/internal-non-workflow';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Its messages name key ids and positions, never key material. */
export class PayloadKeyError extends Error {
  override name = 'PayloadKeyError';
}

export interface PayloadKeyring {
  activeKeyId: string;
  keys: Map<string, Buffer>;
}

export function parsePayloadKeys(value: string, activeKeyId?: string): PayloadKeyring {
  const keys = new Map<string, Buffer>();
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  entries.forEach((entry, i) => {
    const sep = entry.indexOf(':');
    const id = sep > 0 ? entry.slice(0, sep) : '';
    const where = `ESB_PAYLOAD_KEYS entry ${i + 1}`;
    if (!KEY_ID.test(id)) throw new PayloadKeyError(`${where}: expected keyId:base64key, the id being 1-64 of A-Z a-z 0-9 . _ -`);
    const material = entry.slice(sep + 1);
    const key = /^[A-Za-z0-9+/]+={0,2}$/.test(material) ? Buffer.from(material, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) throw new PayloadKeyError(`${where} ('${id}'): the key must be the base64 of 32 random bytes (AES-256), e.g. from \`openssl rand -base64 32\``);
    if (keys.has(id)) throw new PayloadKeyError(`${where}: key id '${id}' appears twice`);
    keys.set(id, key);
  });
  const first = keys.keys().next().value;
  if (first === undefined) throw new PayloadKeyError('ESB_PAYLOAD_KEYS holds no key');
  const active = activeKeyId?.trim() || first;
  if (!keys.has(active)) throw new PayloadKeyError(`ESB_PAYLOAD_KEY_ID '${active.slice(0, 64)}' is not one of the ids in ESB_PAYLOAD_KEYS (${[...keys.keys()].join(', ')})`);
  return { activeKeyId: active, keys };
}

const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined): string | undefined => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

/**
 * AES-256-GCM over the whole serialised payload (its metadata too, so the
 * original encoding is hidden and restored exactly). Data = iv | ciphertext |
 * tag; the key id is bound in as additional data, so relabelling fails.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly keyring: PayloadKeyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const keyId = this.keyring.activeKeyId;
    const key = this.keyring.keys.get(keyId)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(utf8(keyId));
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(keyId) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const keyId = text(payload.metadata?.[KEY_ID_METADATA]) ?? '';
      const key = this.keyring.keys.get(keyId);
      // Failing (rather than passing the payload on) makes Temporal retry the task, so nothing is lost once the key is back.
      if (!key) throw new PayloadKeyError(`payload encrypted with key '${keyId.slice(0, 64)}', which is not in ESB_PAYLOAD_KEYS`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadKeyError(`encrypted payload (key '${keyId}') is truncated`);
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(utf8(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/**
 * The one switch for client and worker alike: undefined (Temporal's default
 * converter, nothing encrypted) unless ESB_PAYLOAD_KEYS is set. Both sides
 * must agree, so both call this with the same environment.
 */
export function dataConverterFromEnv(env: Record<string, string | undefined>): DataConverter | undefined {
  const keys = env.ESB_PAYLOAD_KEYS?.trim();
  if (!keys) return undefined;
  return { payloadCodecs: [new AesGcmPayloadCodec(parsePayloadKeys(keys, env.ESB_PAYLOAD_KEY_ID))] };
}

/** For payloads read from raw history or describe() answers, which the SDK does not decode for us. */
export async function decodePayload<T>(converter: LoadedDataConverter, payload: Payload | null | undefined): Promise<T | undefined> {
  return (await decodeOptionalSinglePayload<T>(converter, payload)) ?? undefined;
}
