/**
 * API key configuration: only digests are configured, the file and
 * environment forms, errors that never echo a key, constant-time matching,
 * and when each command runs with authentication on.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ingressAuthFromEnv, AuthConfigError } from '../../src/api/auth';
import { describeNewKey, newApiKey } from '../../src/cli/commands/apikey';
import { ApiKeyConfigError, generateApiKey, hashApiKey, loadApiKeys, matchApiKey, parseApiKeysEnv, readApiKeysFile } from '../../src/security/api-keys';

const KEY_A = generateApiKey();
const KEY_B = generateApiKey();
const HASH_A = hashApiKey(KEY_A);
const HASH_B = hashApiKey(KEY_B);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'esb-keys-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (err instanceof ApiKeyConfigError || err instanceof AuthConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a configuration error');
}

describe('API keys in ESB_API_KEYS', () => {
  it('reads name:sha256[:flow1|flow2] entries separated by commas', () => {
    const keys = parseApiKeysEnv(` ops:${HASH_A} , partner:${HASH_B.toUpperCase()}:orders|ping `);
    expect(keys.map((k) => ({ name: k.name, sha256: k.sha256.toString('hex'), flows: k.flows }))).toEqual([
      { name: 'ops', sha256: HASH_A, flows: undefined },
      { name: 'partner', sha256: HASH_B, flows: ['orders', 'ping'] },
    ]);
  });

  it('refuses a plain key where the digest belongs, without repeating the key', () => {
    const message = configError(() => parseApiKeysEnv(`ops:${KEY_A}`));
    expect(message).toContain('sha256 must be the SHA-256 hex digest');
    expect(message).not.toContain(KEY_A);
    expect(configError(() => parseApiKeysEnv(KEY_A))).not.toContain(KEY_A);
  });

  it('refuses bad names, bad flow names and a name configured twice', () => {
    expect(configError(() => parseApiKeysEnv(`bad name:${HASH_A}`))).toContain("API key name 'bad name'");
    expect(configError(() => parseApiKeysEnv(`ops:${HASH_A}:orders|no/slash`))).toContain("'no/slash' is not a flow name");
    expect(configError(() => loadApiKeys({ ESB_API_KEYS: `ops:${HASH_A},ops:${HASH_B}` }))).toContain("'ops' is configured twice");
  });
});

describe('API keys in ESB_API_KEYS_FILE', () => {
  it('reads a YAML list, a JSON list or {keys: [...]}, merged with the environment', () => {
    const yaml = writeFile('keys.yml', `- { name: ops, sha256: ${HASH_A} }\n- name: partner\n  sha256: ${HASH_B}\n  flows: [orders]\n`);
    expect(readApiKeysFile(yaml).map((k) => [k.name, k.flows])).toEqual([['ops', undefined], ['partner', ['orders']]]);
    const json = writeFile('keys.json', JSON.stringify({ keys: [{ name: 'ops', sha256: HASH_A }] }));
    expect(readApiKeysFile(json).map((k) => k.name)).toEqual(['ops']);
    const merged = loadApiKeys({ ESB_API_KEYS: `partner:${HASH_B}`, ESB_API_KEYS_FILE: json });
    expect(merged.map((k) => k.name)).toEqual(['partner', 'ops']);
  });

  it('reports unknown fields, a missing list and unreadable files with the file and item', () => {
    const extra = writeFile('extra.yml', `- { name: ops, sha256: ${HASH_A}, key: ${KEY_A} }\n`);
    const message = configError(() => readApiKeysFile(extra));
    expect(message).toBe(`ESB_API_KEYS_FILE ${extra} item 1: unknown field 'key' (expected name, sha256, flows)`);
    expect(configError(() => readApiKeysFile(writeFile('map.yml', 'ops: 1\n')))).toContain('expected a list');
    expect(configError(() => readApiKeysFile(path.join(tmp, 'missing.yml')))).toContain('cannot be read');
  });
});

describe('matching a presented key', () => {
  const keys = parseApiKeysEnv(`ops:${HASH_A},partner:${HASH_B}:orders`);

  it('finds the key whose digest matches, and nothing for another or a near-miss key', () => {
    expect(matchApiKey(keys, KEY_A)?.name).toBe('ops');
    expect(matchApiKey(keys, KEY_B)?.name).toBe('partner');
    expect(matchApiKey(keys, generateApiKey())).toBeUndefined();
    expect(matchApiKey(keys, `${KEY_A} `)).toBeUndefined();
    expect(matchApiKey(keys, HASH_A)).toBeUndefined();
  });

  it('generates keys of 32 random bytes that are never the same twice', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^esb_[A-Za-z0-9_-]{43}$/);
    expect(new Set(Array.from({ length: 50 }, generateApiKey)).size).toBe(50);
  });
});

describe('esb apikey output', () => {
  it('prints the key once and configuration that holds only its SHA-256', () => {
    const created = newApiKey('partner', ['orders', 'ping']);
    const text = describeNewKey(created);
    expect(created.envEntry).toBe(`partner:${hashApiKey(created.key)}:orders|ping`);
    expect(text.split(created.key)).toHaveLength(2);
    expect(text).toContain(`ESB_API_KEYS='${created.envEntry}'`);
    expect(text).toContain(`- { name: partner, sha256: ${created.sha256}, flows: [orders, ping] }`);
    expect(parseApiKeysEnv(created.envEntry).map((k) => matchApiKey([k], created.key)?.name)).toEqual(['partner']);
  });
});

describe('whether a command runs its API with authentication', () => {
  const withKeys = { ESB_API_KEYS: `ops:${HASH_A}` };

  it('is on in esb run, esb api and esb dev whenever keys are configured', () => {
    for (const command of ['run', 'api', 'dev'] as const) {
      const { auth, warning } = ingressAuthFromEnv(withKeys, command);
      expect(auth?.keys.map((k) => k.name)).toEqual(['ops']);
      expect(warning).toBeUndefined();
    }
  });

  it('refuses to start esb run and esb api without keys, saying how to create one or opt out', () => {
    for (const command of ['run', 'api'] as const) {
      const message = configError(() => ingressAuthFromEnv({}, command));
      expect(message).toContain(`esb ${command}: ingress authentication is on but no API key is configured`);
      expect(message).toContain('npx esb apikey NAME');
      expect(message).toContain('ESB_AUTH=off');
    }
    expect(configError(() => ingressAuthFromEnv({ ESB_AUTH: 'on' }, 'dev'))).toContain('no API key is configured');
  });

  it('is off in esb dev by default, and anywhere with ESB_AUTH=off, each with a warning', () => {
    expect(ingressAuthFromEnv({}, 'dev')).toEqual({ warning: expect.stringContaining('esb dev: ingress authentication is off') });
    for (const command of ['run', 'api', 'dev'] as const) {
      const { auth, warning } = ingressAuthFromEnv({ ...withKeys, ESB_AUTH: 'OFF' }, command);
      expect(auth).toBeUndefined();
      expect(warning).toContain('ingress authentication is OFF (ESB_AUTH=off)');
    }
  });

  it('refuses an ESB_AUTH value other than on or off', () => {
    expect(configError(() => ingressAuthFromEnv({ ESB_AUTH: 'false' }, 'run'))).toBe("ESB_AUTH must be 'on' or 'off', not 'false'");
  });
});
