import { Command } from 'commander';
import { addCommonFlags, CommonFlags, settingsFrom } from '../options';
import { Lifecycle } from '../lifecycle';
import { loadFlows, startApiServer } from '../services';
import { logger } from '../../shared/logger';
import { clusterAddress } from './run';
import { ingressAuthFromEnv } from '../../api/auth';

export function registerApiCommand(program: Command): void {
  addCommonFlags(program.command('api'))
    .description('run the REST API against TEMPORAL_ADDRESS (production: scale it behind a load balancer)')
    .action(async (flags: CommonFlags) => {
      const settings = settingsFrom(flags);
      const { auth, warning } = ingressAuthFromEnv(process.env, 'api');
      if (warning) logger.warn(warning);
      const address = clusterAddress(settings);
      const config = loadFlows(settings);
      const lifecycle = new Lifecycle();
      lifecycle.exitOnSignals();
      const api = await startApiServer(settings, address, config, lifecycle, { auth });
      logger.info({ url: api.url, temporal: address }, 'API listening');
    });
}
