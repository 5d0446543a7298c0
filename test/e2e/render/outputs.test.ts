/**
 * Rendered outputs read by real clients: Python feedparser (what many aggregators use), xmllint,
 * and headless Chromium loading the pages from a local static server laid out like the bucket.
 * Browser-side expressions go to `page.evaluate` as strings: the project compiles without the DOM lib.
 * Escaping and the CSP both stand between a fixture and execution; the unit tests check the
 * escaping alone (no script element, handler or script URL in the markup), this checks the result.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { feedEntryOf, loadFeedRenderer, loadSitemapRenderer, renderLanguageFiles, renderRootFiles, renderVariantFiles, type OutputFile, type SiteConfig } from '../../../functions/core/render/index';
import type { FeedEntry } from '../../../functions/core/variant';
import * as F from '../../fixtures/render/releases';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

let dir: string;
let server: Server;
let site: SiteConfig;
let files: OutputFile[];
let browser: Browser;

function renderAll(): OutputFile[] {
  const times = { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:30:00Z' };
  const out: OutputFile[] = [];
  const entries: FeedEntry[] = [];
  for (const variant of F.blinkenVariants) {
    out.push(...renderVariantFiles({ site, release: F.blinken, variant, languages: F.BLINKEN_LANGUAGES, times }));
    entries.push(feedEntryOf(F.blinken, variant, times));
  }
  for (const variant of [F.hostileEn, F.hostileAr]) {
    out.push(...renderVariantFiles({ site, release: F.hostile, variant, languages: ['en', 'ar'], times }));
    entries.push(feedEntryOf(F.hostile, variant, times));
  }
  out.push(...renderVariantFiles({ site, release: F.acme, variant: F.acmeEn, languages: ['en'], times }));
  entries.push(feedEntryOf(F.acme, F.acmeEn, times));
  out.push(...renderVariantFiles({ site, release: F.longRelease, variant: F.longEn, languages: ['en'], times }));
  entries.push(feedEntryOf(F.longRelease, F.longEn, times));

  const languages = [...new Set(entries.map((e) => e.language))];
  const latest = languages.map((language) => ({ language, latest: entries.filter((e) => e.language === language) }));
  for (const { language, latest: list } of latest) {
    out.push(...renderLanguageFiles({ site, language, entries: list, updatedAt: list[0]!.updatedAt }));
    const categories = [...new Set(list.flatMap((e) => e.categories))];
    for (const category of categories) {
      const inCategory = list.filter((e) => e.categories.includes(category));
      out.push(...renderLanguageFiles({ site, language, category, entries: inCategory, updatedAt: inCategory[0]!.updatedAt }));
    }
  }
  out.push(...renderRootFiles({ site, languages: latest, recent: entries, now: '2026-11-27T00:00:00Z' }));
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'polywire-render-'));
  const types = new Map<string, string>();
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^\/+/, '') || 'index.html';
    const type = types.get(path);
    if (!type || path.includes('..')) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': type }).end(readFileSync(join(dir, path)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  site = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, title: 'polywire newsroom' };
  // The feed libraries and the sitemap package load on first use (functions/core/render/feeds.ts, sitemaps.ts).
  await Promise.all([loadFeedRenderer(), loadSitemapRenderer()]);
  files = renderAll();
  for (const file of files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
    types.set(file.path, file.contentType);
  }
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const FEEDPARSER = `
import feedparser, json, sys
out = []
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    out.append({
        "path": path,
        "bozo": bool(d.bozo),
        "error": str(d.get("bozo_exception", "")),
        "version": d.version,
        "language": d.feed.get("language"),
        "items": [{"id": e.get("id"), "link": e.get("link"), "title": e.get("title")} for e in d.entries],
    })
print(json.dumps(out))
`;

describe('rendered outputs with real clients', () => {
  it('every RSS and Atom feed parses in feedparser without bozo, with items, links and the right language', () => {
    const feeds = files.filter((f) => /(feed|atom)\.xml$/.test(f.path));
    expect(feeds.length).toBeGreaterThan(10);
    const results = JSON.parse(execFileSync('/usr/bin/python3', ['-c', FEEDPARSER, ...feeds.map((f) => join(dir, f.path))], { encoding: 'utf8' })) as {
      path: string;
      bozo: boolean;
      error: string;
      version: string;
      language: string;
      items: { id: string; link: string; title: string }[];
    }[];
    for (const result of results) {
      const relative = result.path.slice(dir.length + 1);
      const language = relative.split('/')[0]!;
      expect({ relative, bozo: result.bozo, error: result.error }).toEqual({ relative, bozo: false, error: '' });
      expect(result.version).toMatch(/^(rss20|atom10)$/);
      expect(result.language?.toLowerCase()).toBe(language.toLowerCase());
      expect(result.items.length).toBeGreaterThan(0);
      for (const item of result.items) {
        expect(item.link.startsWith(`${site.baseUrl}/${language}/releases/`)).toBe(true);
        expect(item.id).toMatch(/^urn:polywire:[a-z0-9-]+:/);
      }
    }
    // The hostile headline reaches feed readers as plain text: its words, none of its tags.
    const en = results.find((r) => r.path.endsWith('/en/feed.xml'))!;
    const title = en.items.find((i) => i.id === 'urn:polywire:hostile-release:en')!.title;
    expect(title).toContain('window.__xss = 1');
    expect(title).not.toMatch(/<\/?script/);
  });

  it('every XML output is well-formed for xmllint', () => {
    const xml = files.filter((f) => f.path.endsWith('.xml')).map((f) => join(dir, f.path));
    expect(xml.length).toBeGreaterThan(10);
    // Throws (non-zero exit) on the first malformed file, with xmllint's message.
    execFileSync('/usr/bin/xmllint', ['--noout', ...xml], { encoding: 'utf8', stdio: 'pipe' });
  });

  it('Chromium renders an LTR and an RTL page with the right lang and dir, and the stylesheet applies', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
    try {
      for (const [lang, dirExpected, shot] of [
        ['de', 'ltr', '/tmp/polywire-page-ltr.png'],
        ['ar', 'rtl', '/tmp/polywire-page-rtl.png'],
      ] as const) {
        const response = await page.goto(`${site.baseUrl}/${lang}/releases/seaprwire-de-2024-blinken.html`);
        expect(response?.status()).toBe(200);
        expect(await page.evaluate('[document.documentElement.lang, document.dir]')).toEqual([lang, dirExpected]);
        // The CSP allows the same-origin stylesheet: the header is laid out as flex.
        expect(await page.evaluate("getComputedStyle(document.querySelector('header.site')).display")).toBe('flex');
        await page.screenshot({ path: shot, fullPage: false });
      }
    } finally {
      await page.close();
    }
  });

  it('Chromium finds the hreflang set complete and reciprocal across the language versions', async () => {
    const page = await browser.newPage();
    try {
      const sets = new Map<string, Record<string, string>>();
      for (const lang of F.BLINKEN_LANGUAGES) {
        await page.goto(`${site.baseUrl}/${lang}/releases/seaprwire-de-2024-blinken.html`);
        sets.set(lang, (await page.evaluate(`Object.fromEntries(Array.from(document.querySelectorAll('link[rel="alternate"][hreflang]'), (l) => [l.hreflang, l.href]))`)) as Record<string, string>);
      }
      for (const [lang, set] of sets) {
        expect(Object.keys(set).sort()).toEqual([...F.BLINKEN_LANGUAGES, 'x-default'].sort());
        const self = `${site.baseUrl}/${lang}/releases/seaprwire-de-2024-blinken.html`;
        expect(set[lang]).toBe(self);
        for (const other of F.BLINKEN_LANGUAGES) expect(sets.get(other)![lang]).toBe(self);
        // Every alternate really exists.
        for (const href of Object.values(set)) expect((await page.request.get(href)).status()).toBe(200);
      }
    } finally {
      await page.close();
    }
  });

  it('runs no script from the XSS fixture set on pages, indexes and the root', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    try {
      for (const path of ['en/releases/hostile-release.html', 'ar/releases/hostile-release.html', 'en/index.html', 'ar/index.html', 'index.html']) {
        await page.goto(`${site.baseUrl}/${path}`);
        expect(await page.evaluate('window.__xss')).toBeUndefined();
        // The fixture text is visible as text.
        expect(await page.evaluate('document.body.innerText')).toContain('<script>');
        // Clicking the neutralized links does nothing either.
        for (const text of ['js link', 'split js link', 'data link']) {
          expect(await page.locator('a', { hasText: new RegExp(`^${text}$`) }).count()).toBe(0);
        }
      }
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
