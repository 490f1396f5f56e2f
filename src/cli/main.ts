import { Command } from 'commander';
import { registerDevCommand } from './commands/dev';
import { registerWorkerCommand } from './commands/worker';
import { registerApiCommand } from './commands/api';
import { registerRunCommand } from './commands/run';
import { registerValidateCommand } from './commands/validate';
import { registerSendCommand } from './commands/send';
import { registerApiKeyCommand } from './commands/apikey';

/**
 * Entry point of the `esb` binary. Each sub-command lives in its own file under
 * `src/cli/commands/` and registers itself here.
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('esb')
    .description('temporal-esb: a configuration-driven integration bus on Temporal')
    .showHelpAfterError();
  // Commands are registered below (one line each).
  registerValidateCommand(program);
  registerDevCommand(program);
  registerWorkerCommand(program);
  registerApiCommand(program);
  registerRunCommand(program);
  registerSendCommand(program);
  registerApiKeyCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
