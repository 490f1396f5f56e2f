import fs from 'node:fs';
import { Client, Connection, ConnectionOptions } from '@temporalio/client';
import { NativeConnection, NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalSettings } from '../shared/settings';
import { dataConverterFromEnv } from './codec';

function tlsOptions(settings: TemporalSettings): ConnectionOptions['tls'] {
  if (!settings.tls) return settings.apiKey ? true : undefined;
  const { certPath, keyPath, caPath, serverName } = settings.tls;
  return {
    serverNameOverride: serverName,
    serverRootCACertificate: caPath ? fs.readFileSync(caPath) : undefined,
    clientCertPair: certPath && keyPath ? { crt: fs.readFileSync(certPath), key: fs.readFileSync(keyPath) } : undefined,
  };
}

/** Client-side connection options shared by the API and the CLI (TLS / Temporal Cloud API key). */
export function clientConnectionOptions(address: string, settings: TemporalSettings): ConnectionOptions {
  return { address, tls: tlsOptions(settings), apiKey: settings.apiKey };
}

export function workerConnectionOptions(address: string, settings: TemporalSettings): NativeConnectionOptions {
  return { address, tls: tlsOptions(settings) as NativeConnectionOptions['tls'], apiKey: settings.apiKey };
}

/**
 * A lazy client: the API must start (and report 503 on /healthz) even while
 * Temporal is unreachable, rather than crash at boot.
 */
export function lazyClient(address: string, settings: TemporalSettings): Client {
  const connection = Connection.lazy(clientConnectionOptions(address, settings));
  // Payload encryption when ESB_PAYLOAD_KEYS is set; the worker uses the same function (create-worker.ts).
  return new Client({ connection, namespace: settings.namespace, dataConverter: dataConverterFromEnv(process.env) });
}

export async function connectWorker(address: string, settings: TemporalSettings): Promise<NativeConnection> {
  return NativeConnection.connect(workerConnectionOptions(address, settings));
}

export interface TemporalProbe {
  /** Resolves when the server answers within the bound; rejects with the reason otherwise. */
  check(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A connection used only to ask "is Temporal there?". It has no retry
 * interceptor, so a dead server is reported at once instead of being retried
 * past the caller's bound.
 */
export function temporalProbe(address: string, settings: TemporalSettings): TemporalProbe {
  const connection = Connection.lazy({ ...clientConnectionOptions(address, settings), interceptors: [] });
  return {
    async check(timeoutMs) {
      await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    },
    close: () => connection.close(),
  };
}
