/**
 * The CLI's own errors, as a user sees them: one line on standard error naming the problem and
 * the fix, exit code 2, no stack trace; `--version` prints the package version.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = new URL('../../../', import.meta.url).pathname;

function polywire(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  // A developer's own keys must not hide the missing-key errors.
  for (const name of ['DEEPL_API_KEY', 'LIBRETRANSLATE_URL']) delete env[name];
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/polywire.mjs', ...args], { cwd: repo, timeout: 60_000, env }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stdout, stderr });
    });
  });
}

const oneLine = (text: string) => text.trim().split('\n').length === 1 && !/\n\s+at /.test(text);

describe('polywire CLI errors and --version', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('package.json', `file://${repo}`), 'utf8')) as { version: string };
    const result = await polywire('--version');
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it.each([
    [['--bogus'], "polywire: unknown option '--bogus' (see: polywire --help)"],
    [['nope'], "polywire: unknown command 'nope' (see: polywire --help)"],
    [['start', '--bogus'], "polywire: unknown option '--bogus' (see: polywire start --help)"],
    [['dlq', 'purge', '--bogus'], "polywire: unknown option '--bogus' (see: polywire dlq purge --help)"],
    [['render', 'seeds/ondine-energie-fr-2026.md'], "polywire: required option '--out <dir>' not specified (see: polywire render --help)"],
  ])('usage error %j: one line, exit 2', async (args, message) => {
    const result = await polywire(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(message);
  });

  it('names a missing input file in one line with exit 2', async () => {
    const result = await polywire('render', 'nope.md', '--out', '/tmp/polywire-render-nope');
    expect(result.code).toBe(2);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.stderr).toContain('nope.md: no such file (ENOENT): check the path');
  });

  it.each([
    [['translate', 'seeds/ondine-energie-fr-2026.md', '--engine', 'deepl', '--to', 'en'], 'polywire: the deepl engine needs an API key: set DEEPL_API_KEY in the environment'],
    [
      ['render', 'seeds/ondine-energie-fr-2026.md', '--engine', 'libretranslate', '--out', '/tmp/polywire-render-nope'],
      'polywire: the libretranslate engine needs its server URL: set LIBRETRANSLATE_URL in the environment, e.g. http://localhost:5000',
    ],
  ])('a missing engine setting %j is named by its environment variable, exit 2', async (args, message) => {
    const result = await polywire(...args);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(message);
  });

  it('subscribe --list with no running stack and no AWS region: one line naming both fixes, exit 2', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'polywire-cli-no-stack-'));
    try {
      const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'TABLE_NAME'));
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(
          process.execPath,
          [join(repo, 'bin/polywire.mjs'), 'subscribe', '--list'],
          { cwd, timeout: 60_000, env: { ...env, AWS_CONFIG_FILE: join(cwd, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(cwd, 'none') } },
          (error, _stdout, stderr) => resolve({ code: error ? Number((error as { code?: unknown }).code) : 0, stderr }),
        );
      });
      expect(result.code).toBe(2);
      expect(result.stderr.trim()).toBe('polywire: no running local stack found, and no AWS region set for a deployed table: start the stack with `npm start` (or name its folder with --data-dir), or set AWS_REGION');
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  describe('the local stack', () => {
    const root = mkdtempSync(join(tmpdir(), 'polywire-cli-errors-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    /** A port held by another process (here: this test's server), as a second `npm start` finds 8080. */
    async function busyPort(): Promise<{ port: number; close: () => Promise<void> }> {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
    }

    it('a busy site port: one line naming the port and the fix, exit 2', async () => {
      const busy = await busyPort();
      try {
        const result = await polywire('start', '--data-dir', join(root, 'port'), '--port', String(busy.port), '--no-seeds');
        expect(result.code).toBe(2);
        expect(result.stderr.trim()).toBe(`polywire: port ${busy.port} on 127.0.0.1 for the site (--port) is already in use: stop the other process or choose another port`);
      } finally {
        await busy.close();
      }
    });

    it('a data folder in use by a running polywire: said first (not its busy port), exit 2', async () => {
      const dataDir = join(root, 'busy');
      mkdirSync(dataDir, { recursive: true });
      // The lock of a live process (this one) is what a running `npm start` leaves.
      writeFileSync(join(dataDir, 'lock'), `${process.pid}\n`);
      const busy = await busyPort();
      try {
        const result = await polywire('start', '--data-dir', dataDir, '--port', String(busy.port), '--no-seeds');
        expect(result.code).toBe(2);
        expect(result.stderr.trim()).toBe(`polywire: data folder ${dataDir} is in use by polywire (pid ${process.pid}): stop it or use another --data-dir`);
      } finally {
        await busy.close();
      }
    });

    it.each([[['dlq']], [['dlq', 'purge']], [['dlq', 'redrive']]])('%j --queue nope: an unknown queue is named with the valid ones, exit 2, nothing done', async (args) => {
      const result = await polywire(...args, '--queue', 'nope', '--data-dir', join(root, 'dlq'));
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe(
        'polywire: --queue: unknown queue "nope" — choose one of polywire-ingest, polywire-translate, polywire-publish.fifo, polywire-webhook, polywire-lifecycle, polywire-translate-bulk',
      );
    });
  });

  it.each([
    [['start'], 'docs/local.md'],
    [['status'], 'docs/local.md'],
    [['dlq'], 'docs/local.md'],
    [['dlq', 'redrive'], 'docs/local.md'],
    [['subscribe'], 'docs/webhooks.md'],
    [['parse'], 'docs/formats.md'],
    [['translate'], 'docs/translation.md'],
    [['render'], 'docs/outputs.md'],
    [['qa'], 'docs/qa.md'],
    [['review'], 'docs/qa.md'],
    [['withdraw'], 'docs/lifecycle.md'],
  ])('%j --help ends with its docs pages', async (args, page) => {
    const result = await polywire(...args, '--help');
    expect(result.code).toBe(0);
    const last = result.stdout.trim().split('\n').at(-1);
    expect(last).toBe(`Docs: ${page}${page === 'docs/local.md' && args[0] === 'status' ? ', docs/pipeline.md' : ''}, docs/cli.md`);
  });
});
