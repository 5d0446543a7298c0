/**
 * The `polywire` program, given its command modules: `cli/main.ts` finds them in `cli/commands/`
 * when the CLI runs from TypeScript; the prebuilt CLI (`scripts/build-cli.mjs`, `dist/cli/`)
 * imports the same modules, listed when it was built. Errors a user can cause end here as one
 * line with exit code 2.
 */
import { Command, CommanderError } from 'commander';
import { PolywireError } from '../functions/core/errors';

export interface CommandModule {
  register(program: Command): void;
}

/** Where the reference for every command lives; each command's --help ends with it. */
export const DOCS_POINTER = 'Docs: docs/cli.md (all commands, options and exit codes).';

/** The pages that explain a command beyond its options, by top-level command name. */
const COMMAND_DOCS: Readonly<Record<string, readonly string[]>> = {
  start: ['docs/local.md'],
  status: ['docs/local.md', 'docs/pipeline.md'],
  dlq: ['docs/local.md'],
  subscribe: ['docs/webhooks.md'],
  parse: ['docs/formats.md'],
  translate: ['docs/translation.md'],
  render: ['docs/outputs.md'],
  qa: ['docs/qa.md'],
  review: ['docs/qa.md'],
  withdraw: ['docs/lifecycle.md'],
  lift: ['docs/lifecycle.md'],
};

/** The docs line of a command's --help, e.g. `Docs: docs/webhooks.md, docs/cli.md`. */
export function docsLine(topLevelName: string): string {
  return `Docs: ${[...(COMMAND_DOCS[topLevelName] ?? []), 'docs/cli.md'].join(', ')}`;
}

export async function runCli(argv: string[], modules: readonly CommandModule[], version: string): Promise<void> {
  try {
    const program = new Command('polywire')
      .description('Translate and syndicate press releases: parse, translate, render, run the pipeline locally.')
      .version(version, '-V, --version', 'print the polywire version')
      .exitOverride()
      // A usage error is one line naming the problem and where the usage is, not the whole help.
      .configureOutput({
        outputError: (text, write) => write(`polywire: ${text.replace(/^error: /, '').trim()} (see: polywire --help)\n`),
      })
      .addHelpText('after', `\nEvery command has its own --help (e.g. polywire start --help).\n${DOCS_POINTER}`);

    for (const module of modules) module.register(program);
    for (const command of program.commands) addDocsPointer(command, command.name());
    await program.parseAsync(argv);
  } catch (error) {
    process.exitCode = exitCodeOf(error);
  }
}

/**
 * Every subcommand (and theirs) ends its --help with the pages to read more, and its usage errors
 * point at its own --help.
 */
function addDocsPointer(command: Command, topLevelName: string): void {
  const name = commandPath(command);
  command.exitOverride().configureOutput({
    outputError: (text, write) => write(`polywire: ${text.replace(/^error: /, '').trim()} (see: ${name} --help)\n`),
  });
  command.addHelpText('after', `\n${docsLine(topLevelName)}`);
  for (const sub of command.commands) addDocsPointer(sub, topLevelName);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and --version end with 0; every usage error (unknown option or command, missing argument) with 2.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof PolywireError) {
    console.error(`polywire: ${error.message}`);
    return error.retryable ? 3 : 2;
  }
  // The AWS SDK found no region: the command found no running local stack to talk to and fell
  // back to the deployed table, for which nothing is configured.
  if (error instanceof Error && error.message === 'Region is missing') {
    console.error('polywire: no running local stack found, and no AWS region set for a deployed table: start the stack with `npm start` (or name its folder with --data-dir), or set AWS_REGION');
    return 2;
  }
  // A file the user named that is not there (or not readable): one line, not a stack trace.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (path && (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOTDIR')) {
    const problem = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not a file' : code === 'ENOTDIR' ? 'not a folder' : 'permission denied';
    console.error(`polywire: ${path}: ${problem} (${code}): check the path`);
    return 2;
  }
  console.error(error);
  return 1;
}
