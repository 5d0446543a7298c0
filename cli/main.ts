/**
 * `polywire` command-line tool. Each file in `cli/commands/` exports `register(program)` and adds
 * one subcommand; command modules stay light and import their implementation inside the action,
 * so `polywire parse` does not load the AWS SDK. This entry finds them at run time (the CLI run
 * from TypeScript); the prebuilt CLI lists them when it is built (`scripts/build-cli.mjs`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runCli, type CommandModule } from './program';

export type { CommandModule } from './program';

const commandsDir = join(dirname(fileURLToPath(import.meta.url)), 'commands');

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
const files = readdirSync(commandsDir)
  .filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts'))
  .sort();
const modules: CommandModule[] = [];
for (const file of files) modules.push((await import(pathToFileURL(join(commandsDir, file)).href)) as CommandModule);
await runCli(process.argv, modules, version);
