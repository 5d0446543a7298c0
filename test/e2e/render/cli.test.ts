/**
 * `polywire render` end to end: the real CLI process, the sample release, the offline pseudo
 * engine; the folder it writes is read back by xmllint and feedparser.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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

  it('renders byte-identical folders on re-run when the release has no date', () => {
    const first = mkdtempSync(join(tmpdir(), 'polywire-cli-render-a-'));
    const second = mkdtempSync(join(tmpdir(), 'polywire-cli-render-b-'));
    try {
      for (const dir of [first, second]) {
        execFileSync(process.execPath, ['bin/polywire.mjs', 'render', 'seeds/seaprwire-de-2024-blinken.txt', '--out', dir, '--to', 'en,ar'], {
          encoding: 'utf8',
        });
      }
      const files = listFiles(first);
      expect(files.length).toBeGreaterThan(20);
      expect(listFiles(second)).toEqual(files);
      for (const path of files) {
        expect(readFileSync(join(second, path)).equals(readFileSync(join(first, path))), path).toBe(true);
      }
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });

  it('uses --published-at as the publication time of an undated release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'polywire-cli-render-at-'));
    try {
      execFileSync(
        process.execPath,
        ['bin/polywire.mjs', 'render', 'seeds/seaprwire-de-2024-blinken.txt', '--out', dir, '--to', 'en', '--published-at', '2024-11-27T09:00:00Z'],
        { encoding: 'utf8' },
      );
      const ninjs = JSON.parse(readFileSync(join(dir, 'en/releases/seaprwire-de-2024-blinken.json'), 'utf8')) as { firstCreated: string; versionCreated: string };
      expect(ninjs.firstCreated).toBe('2024-11-27T09:00:00.000Z');
      expect(ninjs.versionCreated).toBe('2024-11-27T09:00:00.000Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

function listFiles(root: string): string[] {
  return (readdirSync(root, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1))
    .sort();
}
