/**
 * `polywire` command-line tool. Each file in `cli/commands/` exports `register(program)` and adds
 * one subcommand; command modules stay light and import their implementation inside the action,
 * so `polywire parse` does not load the AWS SDK.
 */
import { Command, CommanderError } from 'commander';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PolywireError } from '../functions/core/errors';

export interface CommandModule {
  register(program: Command): void;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

async function main(argv: string[]): Promise<void> {
  const program = new Command('polywire')
    .description('Translate and syndicate press releases: parse, translate, render, run the pipeline locally.')
    .showHelpAfterError()
    .exitOverride();

  const files = readdirSync(commandsDir)
    .filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts'))
    .sort();
  for (const file of files) {
    const module = (await import(pathToFileURL(join(commandsDir, file)).href)) as CommandModule;
    module.register(program);
  }
  await program.parseAsync(argv);
}

main(process.argv).catch((error: unknown) => {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode;
    return;
  }
  if (error instanceof PolywireError) {
    console.error(`polywire: ${error.message}`);
    process.exitCode = error.retryable ? 3 : 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
