import { Command } from 'commander';
import { Connection } from '@temporalio/client';
import { addCommonFlags, CommonFlags, settingsFrom } from '../options';
import { Lifecycle } from '../lifecycle';
import { loadFlows, startApiServer, startWorker } from '../services';
import { clientConnectionOptions } from '../../temporal/connection';
import { ensureSearchAttributes } from '../../temporal/search-attributes';
import { logger } from '../../shared/logger';
import { ingressAuthFromEnv } from '../../api/auth';
import type { Settings } from '../../shared/settings';

export function clusterAddress(settings: Settings): string {
  return settings.temporal.address ?? '127.0.0.1:7233';
}

/** Search attributes must exist before the first workflow sets them. */
export async function prepareCluster(settings: Settings): Promise<void> {
  const connection = await Connection.connect(clientConnectionOptions(clusterAddress(settings), settings.temporal));
  try {
    await ensureSearchAttributes(connection, settings.temporal.namespace);
  } finally {
    await connection.close();
  }
}

export function registerRunCommand(program: Command): void {
  addCommonFlags(program.command('run'))
    .description('run worker and API together against TEMPORAL_ADDRESS (no embedded server, no demo remote)')
    .action(async (flags: CommonFlags) => {
      const settings = settingsFrom(flags);
      // Before anything starts: an API without keys must not come up half-way.
      const { auth, warning } = ingressAuthFromEnv(process.env, 'run');
      if (warning) logger.warn(warning);
      const config = loadFlows(settings);
      const lifecycle = new Lifecycle();
      lifecycle.exitOnSignals();
      await prepareCluster(settings);
      await startWorker(settings, clusterAddress(settings), config, lifecycle);
      const api = await startApiServer(settings, clusterAddress(settings), config, lifecycle, { auth });
      logger.info({ url: api.url, temporal: clusterAddress(settings) }, 'worker and API running');
    });
}
