#!/usr/bin/env node
// `polywire`: the CLI built ahead of time in dist/cli/ (scripts/build-cli.mjs, run by `npm ci`
// through `prepare`) when that build is up to date, so a command starts without compiling
// TypeScript; otherwise the TypeScript itself through tsx's loader, so `npx polywire` also works
// straight from a clone with no build, and an edit is never hidden by an old build.
import { readFileSync, statSync } from 'node:fs';

// The CLI supports Node 20.19+; the AWS SDK's notice that its releases from 2027 need Node 22
// concerns the pinned lockfile, not each command a user runs.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const root = new URL('../', import.meta.url);

/** The build, unless missing or older than one of its sources (a few hundred stats: about a millisecond). */
function upToDateBuild() {
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
    for (const input of inputs) if (statSync(new URL(input, root)).mtimeMs > builtAt) return undefined;
    return new URL('dist/cli/main.mjs', root);
  } catch {
    return undefined;
  }
}

// `start` loads the Lambda handlers from their TypeScript sources (as the stack does in tests),
// so it keeps the loader and runs from the sources too.
const build = process.argv[2] === 'start' ? undefined : upToDateBuild();
if (build) {
  await import(build.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
