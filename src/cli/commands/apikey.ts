import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { checkFlowNames, checkKeyName, generateApiKey, hashApiKey } from '../../security/api-keys';

/**
 * `esb apikey [NAME] [--flows a,b]`: a new random ingress key, printed once,
 * with the configuration line that holds only its SHA-256. The key itself is
 * stored nowhere by the bus; whoever receives it keeps it.
 */

export interface NewApiKey {
  name: string;
  key: string;
  sha256: string;
  flows?: string[];
  /** The `ESB_API_KEYS` entry (comma-join several). */
  envEntry: string;
}

export function newApiKey(name: string | undefined, flows: string[] | undefined): NewApiKey {
  const keyName = checkKeyName(name ?? `key-${randomBytes(3).toString('hex')}`);
  const allowed = flows === undefined ? undefined : checkFlowNames(flows, '--flows');
  const key = generateApiKey();
  const sha256 = hashApiKey(key);
  const envEntry = `${keyName}:${sha256}${allowed ? `:${allowed.join('|')}` : ''}`;
  return { name: keyName, key, sha256, envEntry, ...(allowed ? { flows: allowed } : {}) };
}

export function describeNewKey(k: NewApiKey): string {
  const fileItem = `- { name: ${k.name}, sha256: ${k.sha256}${k.flows ? `, flows: [${k.flows.join(', ')}]` : ''} }`;
  return [
    `API key '${k.name}'${k.flows ? ` (flows: ${k.flows.join(', ')})` : ' (all flows)'}. It is shown this once; hand it to the client:`,
    '',
    `  ${k.key}`,
    '',
    'Clients send it as "Authorization: Bearer <key>" or "X-Api-Key: <key>".',
    'Configure the API with its hash (append to existing entries with a comma):',
    '',
    `  ESB_API_KEYS='${k.envEntry}'`,
    '',
    'or add this item to the YAML list in ESB_API_KEYS_FILE:',
    '',
    `  ${fileItem}`,
    '',
  ].join('\n');
}

function parseFlows(value: string): string[] {
  return value.split(',').map((f) => f.trim()).filter((f) => f !== '');
}

export function registerApiKeyCommand(program: Command): void {
  program
    .command('apikey')
    .description('generate an ingress API key: prints the key once and the ESB_API_KEYS entry (its SHA-256) to configure')
    .argument('[name]', 'a name for the key (appears in logs); default key-<random>')
    .option('--flows <a,b>', 'restrict the key to these flows', parseFlows)
    .action((name: string | undefined, flags: { flows?: string[] }) => {
      process.stdout.write(describeNewKey(newApiKey(name, flags.flows)));
    });
}
