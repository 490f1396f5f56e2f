/** What the figures were measured on: printed with the table and stored in the JSON. */
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import { findTemporalCli } from '../../src/temporal/cli-binary';

export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  node: string;
  temporalCli: string;
  platform: string;
  /** Percent of all cores busy during one second before the bench started anything. */
  busyBeforePercent?: number;
}

export function describeMachine(): Machine {
  const cli = findTemporalCli();
  const version = cli ? spawnSync(cli, ['--version'], { encoding: 'utf8' }).stdout.trim() : 'not found (TEMPORAL_ADDRESS cluster or SDK download)';
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    ramGb: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    temporalCli: version,
    platform: `${os.platform()} ${os.release()}`,
  };
}
