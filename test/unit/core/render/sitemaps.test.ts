import { beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { parseSitemap } from 'sitemap';
import { loadSitemapRenderer, renderRootFiles, type OutputFile } from '../../../../functions/core/render/index';
import { newsLanguageOf } from '../../../../functions/core/render/sitemaps';
import type { FeedEntry } from '../../../../functions/core/variant';
import * as F from '../../../fixtures/render/releases';
import { assertWellFormedXml, executableBitsOf } from '../../../fixtures/render/checks';

// The sitemap package is loaded on first use (functions/core/render/sitemaps.ts).
beforeAll(() => loadSitemapRenderer());

const NOW = '2026-11-27T12:00:00Z';

function entry(releaseId: string, language: string, publishedAt: string, kind: 'original' | 'machine' = 'machine'): FeedEntry {
  return {
    releaseId,
    version: 1,
    language,
    headline: `${releaseId} in ${language} ${F.HOSTILE.script}`,
    summary: 's',
    categories: [],
    publishedAt,
    updatedAt: publishedAt,
    provenance: kind === 'original' ? { kind, engine: 'none' } : { kind, engine: 'amazon-translate' },
  };
}

const recent = [
  entry('fresh', 'de', '2026-11-27T08:00:00Z', 'original'),
  entry('fresh', 'en', '2026-11-27T08:05:00Z'),
  entry('fresh', 'zh-Hant', '2026-11-27T08:05:00Z'),
  entry('yesterday', 'en', '2026-11-26T09:00:00Z', 'original'),
  entry('old', 'en', '2026-11-20T09:00:00Z', 'original'),
  entry('future', 'en', '2026-11-28T09:00:00Z', 'original'),
];

function files(): Record<string, OutputFile> {
  const out = renderRootFiles({
    site: F.SITE,
    languages: [
      { language: 'en', latest: recent.filter((e) => e.language === 'en') },
      { language: 'de', latest: recent.filter((e) => e.language === 'de') },
      { language: 'zh-Hant', latest: [] },
    ],
    recent,
    now: NOW,
  });
  return Object.fromEntries(out.map((f) => [f.path, f]));
}

async function parsed(xml: string) {
  return parseSitemap(Readable.from([xml]));
}

describe('sitemaps', () => {
  it('news sitemap lists only the last two days, with publication name and Google’s language codes', async () => {
    const xml = files()['news-sitemap.xml']!.body;
    assertWellFormedXml(xml);
    const items = await parsed(xml);
    expect(items.map((i) => i.url).sort()).toEqual([
      'https://news.example.com/de/releases/fresh.html',
      'https://news.example.com/en/releases/fresh.html',
      'https://news.example.com/en/releases/yesterday.html',
      'https://news.example.com/zh-Hant/releases/fresh.html',
    ]);
    const zh = items.find((i) => i.url.includes('zh-Hant'))!;
    expect(zh.news).toMatchObject({ publication: { name: 'polywire newsroom', language: 'zh-tw' }, publication_date: '2026-11-27T08:05:00Z' });
    expect(newsLanguageOf('zh-Hans')).toBe('zh-cn');
    expect(newsLanguageOf('pt')).toBe('pt');
  });

  it('news sitemap leaves pseudo-localized pages out, even when that leaves it empty', async () => {
    const pseudo = (language: string): FeedEntry => ({ ...entry('fresh', language, '2026-11-27T08:05:00Z'), provenance: { kind: 'pseudo', engine: 'pseudo' } });
    const render = (entries: FeedEntry[]) => renderRootFiles({ site: F.SITE, languages: [{ language: 'de', latest: entries }], recent: entries, now: NOW }).find((f) => f.path === 'news-sitemap.xml')!.body;
    const mixed = await parsed(render([entry('fresh', 'de', '2026-11-27T08:00:00Z', 'original'), pseudo('en'), pseudo('ar')]));
    expect(mixed.map((i) => i.url)).toEqual(['https://news.example.com/de/releases/fresh.html']);
    const onlyPseudo = render([pseudo('en')]);
    assertWellFormedXml(onlyPseudo);
    expect(await parsed(onlyPseudo)).toEqual([]);
  });

  it('sitemap gives every release page all its language alternates plus x-default', async () => {
    const xml = files()['sitemap.xml']!.body;
    assertWellFormedXml(xml);
    const items = await parsed(xml);
    const fresh = items.filter((i) => i.url.endsWith('/fresh.html'));
    expect(fresh).toHaveLength(3);
    for (const item of fresh) {
      expect(item.links.map((l) => `${l.lang} ${l.url}`)).toEqual([
        'en https://news.example.com/en/releases/fresh.html',
        'zh-Hant https://news.example.com/zh-Hant/releases/fresh.html',
        'de https://news.example.com/de/releases/fresh.html',
        'x-default https://news.example.com/de/releases/fresh.html',
      ]);
    }
    expect(items.map((i) => i.url)).toContain('https://news.example.com/zh-Hant/index.html');
    expect(items[0]!.url).toBe('https://news.example.com/index.html');
  });

  it('root page lists every language by its native name, and ships the stylesheet', () => {
    const all = files();
    const root = all['index.html']!.body;
    expect(root).toContain('<a href="en/index.html" hreflang="en" lang="en">English</a>');
    expect(root).toContain('<a href="zh-Hant/index.html" hreflang="zh-Hant" lang="zh-Hant">繁體中文</a>');
    expect(root).toContain('<section class="language" lang="de" dir="ltr">');
    expect(executableBitsOf(root)).toEqual([]);
    expect(all['assets/site.css']).toMatchObject({ contentType: 'text/css; charset=utf-8' });
    expect(all['sitemap.xml']!.contentType).toBe('application/xml; charset=utf-8');
  });

  it('is byte-identical for the same input', () => {
    expect(files()).toEqual(files());
  });
});
