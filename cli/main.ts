/**
 * `polywire` command-line tool. Each file in `cli/commands/` exports `register(program)` and adds
 * one subcommand; command modules stay light and import their implementation inside the action,
 * so `polywire parse` does not load the AWS SDK.
 */
import { Command, CommanderError } from 'commander';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PolywireError } from '../functions/core/errors';

export interface CommandModule {
  register(program: Command): void;
}

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

async function main(argv: string[]): Promise<void> {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  const program = new Command('polywire')
    .description('Translate and syndicate press releases: parse, translate, render, run the pipeline locally.')
    .version(version, '-V, --version', 'print the polywire version')
    .exitOverride()
    // A usage error is one line naming the problem and where the usage is, not the whole help.
    .configureOutput({
      outputError: (text, write) => write(`polywire: ${text.replace(/^error: /, '').trim()} (see: polywire --help)\n`),
    });

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
    // Help and --version end with 0; every usage error (unknown option or command, missing argument) with 2.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
    return;
  }
  if (error instanceof PolywireError) {
    console.error(`polywire: ${error.message}`);
    process.exitCode = error.retryable ? 3 : 2;
    return;
  }
  // A file the user named that is not there (or not readable): one line, not a stack trace.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (path && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR')) {
    const problem = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'ENOTDIR' ? 'not a folder' : 'permission denied';
    console.error(`polywire: ${path}: ${problem} (${code}): check the path`);
    process.exitCode = 2;
    return;
  }
  console.error(error);
  process.exitCode = 1;
});
