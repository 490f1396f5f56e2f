import { Command } from 'commander';

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
  return program;
}

export async function main(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
