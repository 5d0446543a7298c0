#!/usr/bin/env node
/**
 * Builds the CLI ahead of time into dist/cli/ (`npm run build`; `npm ci` and `npm install` run it
 * through `prepare`), so `polywire` starts without compiling TypeScript: one ESM entry with the
 * command modules listed here, their lazily imported implementations split into chunks beside it
 * (dist/cli/ is two folders deep, like cli/commands/ and infra/local/, so the paths the code
 * builds from import.meta.url still reach the repository's files). Packages stay in node_modules.
 *
 * bin/polywire.mjs uses the build only while it is newer than every source file it was built from
 * (dist/cli/inputs.json), and runs the TypeScript through tsx otherwise, so an edit or a pull
 * never runs stale code. Without esbuild (an install without dev dependencies) there is no build
 * and the CLI runs through tsx, as before.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `--outdir dist/<name>` builds elsewhere (tests); it must stay two folders below the root.
const outdirArg = process.argv.indexOf('--outdir');
const outdir = join(root, outdirArg > 0 ? process.argv[outdirArg + 1] : join('dist', 'cli'));
if (relative(root, outdir).split(/[\\/]/).length !== 2) {
  console.error(`polywire: --outdir ${relative(root, outdir)} must be two folders below the repository (e.g. dist/cli), or the paths the code builds from import.meta.url miss`);
  process.exit(2);
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('polywire: esbuild is not installed (dev dependencies omitted): the CLI runs from TypeScript through tsx');
  process.exit(0);
}

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const commands = readdirSync(join(root, 'cli', 'commands'))
  .filter((f) => /\.ts$/.test(f) && !f.endsWith('.test.ts'))
  .sort();
const entry = [
  "import { runCli } from './cli/program.ts';",
  ...commands.map((file, i) => `import * as command${i} from './cli/commands/${file}';`),
  `await runCli(process.argv, [${commands.map((_, i) => `command${i}`).join(', ')}], ${JSON.stringify(version)});`,
].join('\n');

/** Left in node_modules: native addons, emulators that read their own files, the loaders, the CDK. */
const EXTERNAL_PACKAGES = ['sharp', 'classic-level', 's3rver', 'dynalite', 'tsx', 'esbuild', 'playwright-core', 'aws-cdk-lib', 'aws-cdk', 'constructs', 'cdk-nag'];

rmSync(outdir, { recursive: true, force: true });
const result = await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'polywire-cli.ts', loader: 'ts' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Packages are bundled too (resolving hundreds of AWS SDK modules at every start is most of a
  // command's time), except those with native code, their own file layout or build tooling.
  external: EXTERNAL_PACKAGES,
  // The ESM builds of packages that ship both (the AWS SDK): their named exports survive bundling.
  mainFields: ['module', 'main'],
  // Bundled CommonJS packages call require; ESM output has none of its own.
  banner: { js: "import { createRequire as polywireCreateRequire } from 'node:module'; const require = polywireCreateRequire(import.meta.url);" },
  outdir,
  entryNames: 'main',
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  metafile: true,
  logLevel: 'warning',
});
const inputs = Object.keys(result.metafile.inputs)
  .filter((input) => input !== 'polywire-cli.ts' && !input.includes('node_modules'))
  .map((input) => relative(root, join(root, input)));
mkdirSync(outdir, { recursive: true });
// The build is stale when any of these (or package.json, for the version, or the list of commands) changed.
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify({ builtAt: Date.now(), inputs: [...inputs, 'package.json', 'cli/commands'] }, null, 2)}\n`);
