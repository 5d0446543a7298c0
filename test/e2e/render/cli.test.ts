/**
 * `polywire render` end to end: the real CLI process, the sample release, the offline pseudo
 * engine; the folder it writes is read back by xmllint and feedparser.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = mkdtempSync(join(tmpdir(), 'polywire-cli-render-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('polywire render', () => {
  it('renders the sample release into a bucket-shaped folder that real clients read', () => {
    const stdout = execFileSync(process.execPath, ['bin/polywire.mjs', 'render', 'seeds/seaprwire-de-2024-blinken.txt', '--out', out, '--to', 'en,ar', '--base-url', 'https://news.example.com'], { encoding: 'utf8' });
    expect(stdout).toContain('in 3 language(s): de, en, ar');
    for (const path of ['index.html', 'assets/site.css', 'sitemap.xml', 'news-sitemap.xml', 'de/feed.xml', 'ar/atom.xml', 'en/feed.json']) {
      expect(existsSync(join(out, path)), path).toBe(true);
    }
    const page = readFileSync(join(out, 'ar/releases/seaprwire-de-2024-blinken.html'), 'utf8');
    expect(page).toMatch(/<html lang="ar" dir="rtl">/);
    expect(page).toContain('class="notice notice-pseudo"');
    execFileSync('/usr/bin/xmllint', ['--noout', ...['de', 'en', 'ar'].flatMap((l) => [join(out, l, 'feed.xml'), join(out, l, 'atom.xml')]), join(out, 'sitemap.xml')]);
    const bozo = execFileSync('/usr/bin/python3', ['-c', 'import feedparser,sys; d=feedparser.parse(sys.argv[1]); print(int(d.bozo), len(d.entries), d.feed.language)', join(out, 'de/feed.xml')], { encoding: 'utf8' });
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
      execFileSync(process.execPath, ['bin/polywire.mjs', 'render', 'seeds/seaprwire-de-2024-blinken.txt', '--out', dir, '--to', 'en', '--published-at', '2024-11-27T09:00:00Z'], { encoding: 'utf8' });
      const ninjs = JSON.parse(readFileSync(join(dir, 'en/releases/seaprwire-de-2024-blinken.json'), 'utf8')) as { firstCreated: string; versionCreated: string };
      expect(ninjs.firstCreated).toBe('2024-11-27T09:00:00.000Z');
      expect(ninjs.versionCreated).toBe('2024-11-27T09:00:00.000Z');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("dates like the pipeline: the issuer's date is shown as written, published when made public or at the lift", () => {
    const dir = mkdtempSync(join(tmpdir(), 'polywire-cli-render-dates-'));
    const ninjsOf = (file: string, publishedAt: string) => {
      execFileSync(process.execPath, ['bin/polywire.mjs', 'render', file, '--out', dir, '--to', 'en', '--published-at', publishedAt], { encoding: 'utf8' });
      return JSON.parse(readFileSync(join(dir, 'en/releases/kestrel-dates.json'), 'utf8')) as { firstCreated: string; embargoedUntil?: string };
    };
    try {
      const body = '# Kestrel opens a battery campus\n\nKestrel opened a battery campus today in Pueblo, Colorado, to shift solar power into the evening.\n';
      const dated = join(dir, 'dated.md');
      writeFileSync(dated, `---\nid: kestrel-dates\nlanguage: en\ndate: 2026-11-24T08:00:00Z\n---\n${body}`);
      // Dated 24 November, made public 2 December: published 2 December (the pipeline shows the upload time too).
      expect(ninjsOf(dated, '2026-12-02T10:00:00Z').firstCreated).toBe('2026-12-02T10:00:00.000Z');
      const page = readFileSync(join(dir, 'en/releases/kestrel-dates.html'), 'utf8');
      expect(page).toContain('datetime="2026-12-02T10:00:00.000Z"');

      const embargoed = join(dir, 'embargoed.md');
      writeFileSync(embargoed, `---\nid: kestrel-dates\nlanguage: en\ndate: 2026-11-24T08:00:00Z\nembargo: 2026-12-03T09:00:00Z\n---\n${body}`);
      // Uploaded before the embargo: published at the lift. After it: when made public.
      expect(ninjsOf(embargoed, '2026-12-02T10:00:00Z').firstCreated).toBe('2026-12-03T09:00:00.000Z');
      expect(ninjsOf(embargoed, '2026-12-04T10:00:00Z').firstCreated).toBe('2026-12-04T10:00:00.000Z');
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
