/**
 * The CLI's own errors, as a user sees them: one line on standard error naming the problem and
 * the fix, exit code 2, no stack trace; `--version` prints the package version.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
    [['start', '--bogus'], "polywire: unknown option '--bogus' (see: polywire --help)"],
    [['render', 'seeds/ondine-energie-fr-2026.md'], "polywire: required option '--out <dir>' not specified (see: polywire --help)"],
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
});
