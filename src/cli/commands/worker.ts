import { Command } from 'commander';
import { addCommonFlags, CommonFlags, settingsFrom } from '../options';
import { Lifecycle } from '../lifecycle';
import { loadFlows, startWorker } from '../services';
import { logger } from '../../shared/logger';
import { clusterAddress, prepareCluster } from './run';

export function registerWorkerCommand(program: Command): void {
  addCommonFlags(program.command('worker'))
    .description('run a worker against TEMPORAL_ADDRESS (production: run as many as you need)')
    .action(async (flags: CommonFlags) => {
      const settings = settingsFrom(flags);
      const address = clusterAddress(settings);
      const config = loadFlows(settings);
      const lifecycle = new Lifecycle();
      lifecycle.exitOnSignals();
      await prepareCluster(settings);
      await startWorker(settings, address, config, lifecycle);
      logger.info({ address, namespace: settings.temporal.namespace, taskQueue: settings.temporal.taskQueue }, 'worker running');
    });
}
