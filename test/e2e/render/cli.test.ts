/**
 * `polywire render` end to end: the real CLI process, the sample release, the offline pseudo
 * engine; the folder it writes is read back by xmllint and feedparser.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'polywire-cli-render-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('polywire render', () => {
  it('renders the sample release into a bucket-shaped folder that real clients read', () => {
    const stdout = execFileSync(
      process.execPath,
      ['bin/polywire.mjs', 'render', 'seeds/seaprwire-de-2024-blinken.txt', '--out', out, '--to', 'en,ar', '--base-url', 'https://news.example.com'],
      { encoding: 'utf8' },
    );
    expect(stdout).toContain('in 3 language(s): de, en, ar');
    for (const path of ['index.html', 'assets/site.css', 'sitemap.xml', 'news-sitemap.xml', 'de/feed.xml', 'ar/atom.xml', 'en/feed.json']) {
      expect(existsSync(join(out, path)), path).toBe(true);
    }
    const page = readFileSync(join(out, 'ar/releases/seaprwire-de-2024-blinken.html'), 'utf8');
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('class="notice notice-pseudo"');
    execFileSync('/usr/bin/xmllint', ['--noout', ...['de', 'en', 'ar'].flatMap((l) => [join(out, l, 'feed.xml'), join(out, l, 'atom.xml')]), join(out, 'sitemap.xml')]);
    const bozo = execFileSync(
      '/usr/bin/python3',
      ['-c', 'import feedparser,sys; d=feedparser.parse(sys.argv[1]); print(int(d.bozo), len(d.entries), d.feed.language)', join(out, 'de/feed.xml')],
      { encoding: 'utf8' },
    );
    expect(bozo.trim()).toBe('0 1 de');
  });

  it('fails with a clear message for an unknown engine', () => {
    let stderr = '';
    try {
      execFileSync(process.execPath, ['bin/polywire.mjs', 'render', 'seeds/seaprwire-de-2024-blinken.txt', '--out', out, '--engine', 'babelfish'], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      stderr = String((error as { stderr: string }).stderr);
    }
    expect(stderr).toContain('unknown engine "babelfish"');
  });
});
