/**
 * `polywire parse` on every seed and every parse fixture of a wire layout or language must succeed;
 * `--explain` prints the decision for each block.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runParse } from '../../../cli/commands/parse';

const root = join(import.meta.dirname, '..', '..', '..');
const releaseFile = /\.(txt|md|html|json|docx)$/;
const inDir = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter((file) => releaseFile.test(file))
    .map((file) => join(root, dir, file));

describe('polywire parse', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses every seed and every language and wire-layout fixture', async () => {
    const files = [...inDir('seeds'), ...inDir('test/fixtures/parse'), ...inDir('test/fixtures/parse/lang')];
    expect(files.length).toBeGreaterThanOrEqual(7 + 15);
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const code = await runParse(files, { explain: true });
    expect(errors).not.toHaveBeenCalled();
    expect(code).toBe(0);
    expect(printed.join('\n')).toContain(`${files.length} parsed, 0 failed`);
  }, 60_000);

  it('--explain names the rule behind each recognized part', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    expect(await runParse([join(root, 'test/fixtures/parse/lang/ja.txt')], { explain: true })).toBe(0);
    const output = printed.join('\n');
    expect(output).toMatch(/categories\s+short "label: a, b" line \(phrase table: categoryLabels\)/);
    expect(output).toMatch(/wire-boilerplate\s+wire's name near the start, among the trailing blocks/);
    expect(output).toMatch(/disclaimer\s+disclaimer opening/);
    expect(output).toMatch(/dateline\s+source tag \/ dateline of SeaPRwire, place 富山, date 2026年11月20日/);
  });

  it('--explain lists the lines above a plain-text headline (embargo, instructions)', async () => {
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((text: string) => void printed.push(text));
    expect(await runParse([join(root, 'seeds/kestrel-grid-en-2026-embargoed.txt')], { explain: true })).toBe(0);
    const output = printed.join('\n');
    expect(output).toMatch(/embargo\s+embargo line above the headline \(EMBARGO_LINE\)\s+“EMBARGOED UNTIL 9:00 a\.m\. EST/);
  });
});
