/**
 * Ingress API keys. Only SHA-256 digests are configured (ESB_API_KEYS or the
 * ESB_API_KEYS_FILE secrets file), so a leaked environment or config dump
 * gives nobody a working key. A presented key is hashed and compared with
 * every digest in constant time. Keys are 32 random bytes, so a plain
 * SHA-256 (no salt, no slow hash) is enough: there is nothing to brute-force.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';

export interface ApiKey {
  name: string;
  /** SHA-256 of the key (32 bytes). */
  sha256: Buffer;
  /** Flows the key may use; absent = all flows. */
  flows?: string[];
}

/** Its messages name the source and entry, never a key or digest. */
export class ApiKeyConfigError extends Error {
  override name = 'ApiKeyConfigError';
}

const NAME = /^[A-Za-z0-9._-]{1,64}$/;
/** The flow names the API accepts (see routes/messages.ts). */
const FLOW = /^[A-Za-z0-9._-]{1,128}$/;
const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
const FORMAT_HINT = 'the SHA-256 hex digest that `npx esb apikey` prints, never the key itself';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `esb_` + 43 base64url characters (32 random bytes): recognisable in a leak scan, safe in headers. */
export function generateApiKey(): string {
  return `esb_${randomBytes(32).toString('base64url')}`;
}

export function checkKeyName(name: string): string {
  if (!NAME.test(name)) throw new ApiKeyConfigError(`API key name '${name.slice(0, 80)}' must be 1-64 of A-Z a-z 0-9 . _ -`);
  return name;
}

export function checkFlowNames(flows: string[], where: string): string[] {
  const bad = flows.find((f) => !FLOW.test(f));
  if (bad !== undefined) throw new ApiKeyConfigError(`${where}: '${bad.slice(0, 140)}' is not a flow name (1-128 of A-Z a-z 0-9 . _ -)`);
  return flows;
}

function toKey(name: unknown, sha256: unknown, flows: unknown, where: string): ApiKey {
  if (typeof name !== 'string') throw new ApiKeyConfigError(`${where}: name must be a string`);
  checkKeyName(name);
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) throw new ApiKeyConfigError(`${where} ('${name}'): sha256 must be ${FORMAT_HINT}`);
  const key: ApiKey = { name, sha256: Buffer.from(sha256, 'hex') };
  if (flows !== undefined) {
    if (!Array.isArray(flows) || flows.length === 0 || flows.some((f) => typeof f !== 'string')) {
      throw new ApiKeyConfigError(`${where} ('${name}'): flows must be a non-empty list of flow names`);
    }
    key.flows = checkFlowNames(flows as string[], `${where} ('${name}')`);
  }
  return key;
}

/** `name:sha256hex[:flow1|flow2]`, entries separated by commas. */
export function parseApiKeysEnv(value: string, source = 'ESB_API_KEYS'): ApiKey[] {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  return entries.map((entry, i) => {
    const parts = entry.split(':');
    const where = `${source} entry ${i + 1}`;
    if (parts.length < 2 || parts.length > 3) throw new ApiKeyConfigError(`${where}: expected name:sha256[:flow1|flow2], with sha256 ${FORMAT_HINT}`);
    const flows = parts[2] === undefined ? undefined : parts[2].split('|').map((f) => f.trim()).filter((f) => f !== '');
    return toKey(parts[0].trim(), parts[1].trim(), flows, where);
  });
}

/** A JSON or YAML list of `{name, sha256, flows?}` (or `{keys: [...]}`), as secret managers mount files. */
export function readApiKeysFile(file: string): ApiKey[] {
  let data: unknown;
  try {
    data = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ApiKeyConfigError(`ESB_API_KEYS_FILE ${file}: cannot be read as JSON or YAML (${(err as Error).message.split('\n')[0]})`);
  }
  const list = Array.isArray(data) ? data : (data as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new ApiKeyConfigError(`ESB_API_KEYS_FILE ${file}: expected a list of {name, sha256, flows?}`);
  return list.map((item, i) => {
    const where = `ESB_API_KEYS_FILE ${file} item ${i + 1}`;
    if (typeof item !== 'object' || item === null) throw new ApiKeyConfigError(`${where}: expected {name, sha256, flows?}`);
    const { name, sha256, flows, ...rest } = item as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw new ApiKeyConfigError(`${where}: unknown field '${extra[0]}' (expected name, sha256, flows)`);
    return toKey(name, sha256, flows, where);
  });
}

/** Every key from the environment and the secrets file; names must be unique (they appear in logs). */
export function loadApiKeys(env: Record<string, string | undefined>): ApiKey[] {
  const keys = [...parseApiKeysEnv(env.ESB_API_KEYS ?? '')];
  const file = env.ESB_API_KEYS_FILE?.trim();
  if (file) keys.push(...readApiKeysFile(file));
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.name)) throw new ApiKeyConfigError(`API key name '${key.name}' is configured twice`);
    seen.add(key.name);
  }
  return keys;
}

/**
 * The key whose digest matches. Every digest is compared, each in constant
 * time, so the answer's timing tells nothing about which keys exist.
 */
export function matchApiKey(keys: readonly ApiKey[], presented: string): ApiKey | undefined {
  const digest = createHash('sha256').update(presented, 'utf8').digest();
  let found: ApiKey | undefined;
  for (const key of keys) {
    if (timingSafeEqual(digest, key.sha256) && found === undefined) found = key;
  }
  return found;
}
