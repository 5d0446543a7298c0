/** `polywire qa` run as a user runs it: exit codes and the JSON shape. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../../bin/polywire.mjs', import.meta.url));
const fixtures = fileURLToPath(new URL('../../fixtures/qa/', import.meta.url));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'qa', ...args], { cwd: fixtures, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 99) : 0, stdout, stderr });
    });
  });
}

describe('polywire qa', () => {
  it('exits 0 for a correct translation that reformats figures and dates', async () => {
    const result = await run('release.md', 'release.de.md', '--json');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ language: 'de', findings: [] });
  }, 60_000);

  it('exits 1 with the changed figure and date as errors, located and explained', async () => {
    const result = await run('release.md', 'changed-figure.de.md', '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { language: string; findings: Array<Record<string, unknown>> };
    expect(report.language).toBe('de');
    expect(report.findings).toEqual([
      expect.objectContaining({ check: 'figures', severity: 'error', location: { block: 'body[0]', segment: 1 }, message: expect.stringContaining('“345.6 million” became “354,6 Mio.”') }),
      expect.objectContaining({ check: 'dates', severity: 'error', location: { block: 'body[1]', segment: 1 }, translation: expect.stringContaining('11. Dezember 2026') }),
    ]);
    for (const finding of report.findings) expect(Object.keys(finding).sort()).toEqual(['check', 'location', 'message', 'severity', 'source', 'translation']);
  }, 60_000);

  it('exits 2 on bad input: a missing file, or a translation in the source language', async () => {
    const missing = await run('release.md', 'nope.de.md');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.de.md: cannot read the file');
    const same = await run('release.md', 'release.md');
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('language of the source');
  }, 60_000);
});
