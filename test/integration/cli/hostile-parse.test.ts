/**
 * `polywire parse` over the hostile corpus, run as a user runs it: every file parsed or refused
 * with exit code 2 and a one-line message (no stack trace, never exit 1), in a process whose peak
 * memory stays under the ingest function's memory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_SETTINGS } from '../../../infra/stacks/pipeline-stack';
import { hostileCorpus } from '../../fixtures/hostile/corpus';

const cli = fileURLToPath(new URL('../../../bin/polywire.mjs', import.meta.url));
const peakRss = fileURLToPath(new URL('../../fixtures/hostile/report-peak-rss.mjs', import.meta.url));
const corpus = hostileCorpus();

function parse(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string; peakMiB: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', peakRss, cli, 'parse', ...args], { cwd, timeout: 110_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const peak = /peak-rss-kib (\d+)/.exec(stderr);
      resolve({
        code: error ? (typeof error.code === 'number' ? error.code : 99) : 0,
        stdout,
        stderr: stderr.replace(/\n?peak-rss-kib \d+\n/, ''),
        peakMiB: peak ? Number(peak[1]) / 1024 : Number.NaN,
      });
    });
  });
}

describe('polywire parse on the hostile corpus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'polywire-hostile-'));
  beforeAll(() => {
    for (const file of corpus) writeFileSync(join(dir, file.name), file.bytes);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('parses or refuses every file with its named reason, under the ingest function memory', async () => {
    const result = await parse(dir, '--json', ...corpus.map((f) => f.name));
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr.trim()).toMatch(/^polywire: \d+ of \d+ files could not be parsed$/);
    const outcomes = JSON.parse(result.stdout) as Array<{ file: string; release?: unknown; error?: { code: string; message: string } }>;
    expect(outcomes).toHaveLength(corpus.length);
    for (const [i, outcome] of outcomes.entries()) {
      const file = corpus[i]!;
      if (outcome.error) {
        expect(file.expect, `${file.name}: ${outcome.error.message}`).toContain(outcome.error.code);
        expect(outcome.error.message).not.toMatch(/\n|\bat .*\(.*:\d+:\d+\)/);
      } else {
        expect(file.expect === 'parsed' || file.expect.includes('parsed'), `${file.name} parsed`).toBe(true);
      }
    }
    expect(result.peakMiB).toBeLessThan(FUNCTION_SETTINGS.ingest.memorySize);
  }, 120_000);

  it.each(['paragraph-bomb.docx', 'nested-div.html', 'alias-bomb.md'])(
    'refuses %s alone with exit code 2 and one line',
    async (name) => {
      const result = await parse(dir, name);
      expect(result.code).toBe(2);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(new RegExp(`^polywire: ${name.replace('.', '\\.')}: .*\\((?:max\\w+)\\) — `));
    },
    120_000,
  );
});
