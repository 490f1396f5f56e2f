import path from 'node:path';
import { Command } from 'commander';
import { startDevServer } from '../../temporal/dev-server';
import { prepareCluster } from './run';
import { addCommonFlags, CommonFlags, parsePort, settingsFrom } from '../options';
import { Lifecycle } from '../lifecycle';
import { loadFlows, startApiServer, startWorker } from '../services';
import { demoRemoteRouter } from '../../api/demo-remote';
import { ingressAuthFromEnv } from '../../api/auth';
import { logger } from '../../shared/logger';
import type { Settings } from '../../shared/settings';

/** /remote, plus the SmartESB skeleton's paths so its producer URIs run unchanged. */
const DEMO_REMOTE_PATHS = ['/remote', '/smartesb-skeleton/web/remote', '/smartbox-skeleton/web/remote'];

interface DevFlags extends CommonFlags {
  temporalPort?: number;
  uiPort?: number;
  dataDir?: string;
  ui: boolean;
}

/** Embedded server unless TEMPORAL_ADDRESS points at a cluster. */
async function temporalAddress(settings: Settings, ui: boolean, lifecycle: Lifecycle): Promise<{ address: string; uiUrl?: string; note: string }> {
  if (settings.temporal.address) {
    await prepareCluster(settings);
    return { address: settings.temporal.address, note: `existing cluster (TEMPORAL_ADDRESS), namespace ${settings.temporal.namespace}` };
  }
  const server = await startDevServer({
    grpcPort: settings.embedded.grpcPort,
    uiPort: ui ? settings.embedded.uiPort : undefined,
    ip: settings.embedded.ip,
    dbFile: path.join(settings.embedded.dataDir, 'temporal.db'),
    namespace: settings.temporal.namespace,
  });
  lifecycle.add('Temporal dev server', () => server.stop());
  return { address: server.address, uiUrl: server.uiUrl, note: `embedded dev server (${server.source}), pid ${server.pid ?? '?'}` };
}

async function runDev(flags: DevFlags): Promise<void> {
  const settings = settingsFrom(flags);
  // The example flows call the demo remote system mounted on this API's port.
  process.env.REMOTE_BASE_URI ??= `http://127.0.0.1:${settings.apiPort}`;
  const config = loadFlows(settings);
  // Open by default in dev only; with keys configured (or ESB_AUTH=on) it is on here too.
  const { auth, warning } = ingressAuthFromEnv(process.env, 'dev');
  if (warning) logger.warn(warning);
  logger.warn('esb dev: the demo remote system is mounted at /remote, without authentication (development only)');
  const lifecycle = new Lifecycle();
  lifecycle.exitOnSignals();
  try {
    const temporal = await temporalAddress(settings, flags.ui, lifecycle);
    const demoRemote = demoRemoteRouter({ signingSecret: process.env.ESB_DEMO_SIGNING_SECRET || undefined });
    await startWorker(settings, temporal.address, config, lifecycle);
    const api = await startApiServer(settings, temporal.address, config, lifecycle, {
      uiBaseUrl: temporal.uiUrl,
      extraRouters: DEMO_REMOTE_PATHS.map((p) => ({ path: p, router: demoRemote })),
      auth,
    });
    const lines = [
      'temporal-esb is running',
      `  API        ${api.url}   (health: ${api.url}/healthz)`,
      `  Temporal   ${temporal.address}   ${temporal.note}`,
      temporal.uiUrl ? `  Web UI     ${temporal.uiUrl}` : undefined,
      `  Flows      ${path.relative(process.cwd(), settings.flowsDir) || '.'}: ${Object.keys(config.flows).join(', ') || '(none)'}`,
      `  Demo       ${api.url}/remote (GET /remote/callbacks lists received callbacks)`,
      '  Ctrl-C stops everything.',
    ];
    process.stdout.write(lines.filter(Boolean).join('\n') + '\n');
  } catch (err) {
    await lifecycle.stopAll();
    throw err;
  }
}

export function registerDevCommand(program: Command): void {
  addCommonFlags(program.command('dev'))
    .description('run everything on this machine: Temporal dev server (unless TEMPORAL_ADDRESS is set), worker and API')
    .option('--temporal-port <n>', 'gRPC port of the embedded Temporal server (env ESB_TEMPORAL_PORT, default 7233)', parsePort)
    .option('--ui-port <n>', 'Web UI port (env ESB_UI_PORT, default 8233)', parsePort)
    .option('--data-dir <dir>', 'where the embedded server keeps its SQLite file (env ESB_DATA_DIR, default .esb-data)')
    .option('--no-ui', 'run the embedded server without the Web UI')
    .action((flags: DevFlags) => runDev(flags));
}
