import path from 'node:path';
import { DEFAULT_TASK_QUEUE } from './definitions';

/**
 * Every deployment setting in one place, read from the environment once at
 * boot; CLI flags override. A bad value fails at start, not at the first message.
 */
export interface TemporalSettings {
  /** host:port of an existing cluster; undefined means "start the embedded dev server". */
  address?: string;
  namespace: string;
  taskQueue: string;
  tls?: { certPath?: string; keyPath?: string; caPath?: string; serverName?: string };
  /** Temporal Cloud API key; never logged. */
  apiKey?: string;
}

export interface EmbeddedServerSettings {
  grpcPort: number;
  uiPort: number;
  dataDir: string;
  ip: string;
}

export interface Settings {
  temporal: TemporalSettings;
  embedded: EmbeddedServerSettings;
  apiPort: number;
  flowsDir: string;
}

export class SettingsError extends Error {
  readonly type = 'SettingsError';
}

type Env = Record<string, string | undefined>;

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new SettingsError(`${name} must be a port number (0-65535), got '${raw}'`);
  }
  return n;
}

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

export function readSettings(env: Env = process.env, cwd = process.cwd()): Settings {
  const tlsCert = nonEmpty(env, 'TEMPORAL_TLS_CERT');
  const tlsKey = nonEmpty(env, 'TEMPORAL_TLS_KEY');
  if ((tlsCert === undefined) !== (tlsKey === undefined)) {
    throw new SettingsError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY must be set together');
  }
  const tlsCa = nonEmpty(env, 'TEMPORAL_TLS_CA');
  const tlsOn = tlsCert !== undefined || tlsCa !== undefined || env.TEMPORAL_TLS === 'true';
  return {
    temporal: {
      address: nonEmpty(env, 'TEMPORAL_ADDRESS'),
      namespace: nonEmpty(env, 'TEMPORAL_NAMESPACE') ?? 'default',
      taskQueue: nonEmpty(env, 'ESB_TASK_QUEUE') ?? DEFAULT_TASK_QUEUE,
      tls: tlsOn
        ? { certPath: tlsCert, keyPath: tlsKey, caPath: tlsCa, serverName: nonEmpty(env, 'TEMPORAL_TLS_SERVER_NAME') }
        : undefined,
      apiKey: nonEmpty(env, 'TEMPORAL_API_KEY'),
    },
    embedded: {
      grpcPort: port(env, 'ESB_TEMPORAL_PORT', 7233),
      uiPort: port(env, 'ESB_UI_PORT', 8233),
      dataDir: path.resolve(cwd, nonEmpty(env, 'ESB_DATA_DIR') ?? '.esb-data'),
      ip: nonEmpty(env, 'ESB_TEMPORAL_IP') ?? '127.0.0.1',
    },
    apiPort: port(env, 'PORT', 3000),
    flowsDir: path.resolve(cwd, nonEmpty(env, 'ESB_FLOWS_DIR') ?? 'flows'),
  };
}
