import { Command, InvalidArgumentError } from 'commander';
import path from 'node:path';
import { readSettings, Settings } from '../shared/settings';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number (0-65535)');
  return n;
}

export interface CommonFlags {
  flows?: string;
  port?: number;
}

export function addCommonFlags(command: Command): Command {
  return command
    .option('--flows <dir>', 'directory of flow YAML files (env ESB_FLOWS_DIR)', undefined)
    .option('--port <n>', 'REST API port (env PORT, default 3000)', parsePort);
}

/** Environment first, then flags: a flag always wins. */
export function settingsFrom(flags: CommonFlags & { temporalPort?: number; uiPort?: number; dataDir?: string }): Settings {
  const settings = readSettings();
  if (flags.flows) settings.flowsDir = path.resolve(flags.flows);
  if (flags.port !== undefined) settings.apiPort = flags.port;
  if (flags.temporalPort !== undefined) settings.embedded.grpcPort = flags.temporalPort;
  if (flags.uiPort !== undefined) settings.embedded.uiPort = flags.uiPort;
  if (flags.dataDir) settings.embedded.dataDir = path.resolve(flags.dataDir);
  return settings;
}
