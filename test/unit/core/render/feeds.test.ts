import { beforeAll, describe, expect, it } from 'vitest';
import { feedEntryOf, loadFeedRenderer, MAX_FEED_ITEMS, renderLanguageFiles, type OutputFile } from '../../../../functions/core/render/index';
import type { FeedEntry } from '../../../../functions/core/variant';
import * as F from '../../../fixtures/render/releases';
import { assertWellFormedXml } from '../../../fixtures/render/checks';

// The feed libraries (feed, sanitize-html) are loaded on first use (functions/core/render/feeds.ts).
beforeAll(() => loadFeedRenderer());

function byPath(files: OutputFile[]): Record<string, OutputFile> {
  return Object.fromEntries(files.map((f) => [f.path, f]));
}

function render(entries: FeedEntry[], language = 'en', category?: string) {
  return byPath(renderLanguageFiles({ site: F.SITE, language, entries, updatedAt: entries[0]?.updatedAt ?? '2026-11-26T00:00:00Z', ...(category ? { category } : {}) }));
}

describe('language feeds', () => {
  it('writes RSS, Atom, JSON Feed and the index with the right types and short cache lifetimes', () => {
    const files = render(F.entriesFor('de', 3), 'de');
    expect(Object.keys(files).sort()).toEqual(['de/atom.xml', 'de/feed.json', 'de/feed.xml', 'de/index.html']);
    expect(files['de/feed.xml']!.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(files['de/atom.xml']!.contentType).toBe('application/atom+xml; charset=utf-8');
    expect(files['de/feed.json']!.contentType).toBe('application/feed+json; charset=utf-8');
    expect(files['de/index.html']!.contentType).toBe('text/html; charset=utf-8');
    for (const file of Object.values(files)) expect(file.cacheControl).toBe('public, max-age=60, must-revalidate');
  });

  it('caps every feed at 50 items, newest first, and the index lists the same entries only', () => {
    const entries = F.entriesFor('en', 80);
    const files = render(entries);
    expect(files['en/feed.xml']!.body.match(/<item>/g)).toHaveLength(MAX_FEED_ITEMS);
    expect(files['en/atom.xml']!.body.match(/<entry>/g)).toHaveLength(MAX_FEED_ITEMS);
    const json = JSON.parse(files['en/feed.json']!.body) as { items: { id: string }[] };
    expect(json.items).toHaveLength(MAX_FEED_ITEMS);
    expect(json.items[0]!.id).toBe('urn:polywire:release-000:en');
    expect(files['en/index.html']!.body).not.toContain('release-079');
  });

  it('stays well-formed XML with hostile headlines, summaries and categories', () => {
    const entries = [feedEntryOf(F.hostile, F.hostileEn, { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' }), ...F.entriesFor('en', 5)];
    const files = render(entries);
    assertWellFormedXml(files['en/feed.xml']!.body);
    assertWellFormedXml(files['en/atom.xml']!.body);
    expect(() => JSON.parse(files['en/feed.json']!.body)).not.toThrow();
    const category = render(entries, 'en', entries[0]!.categories[0]);
    assertWellFormedXml(category[Object.keys(category).find((k) => k.endsWith('feed.xml'))!]!.body);
    assertWellFormedXml(category[Object.keys(category).find((k) => k.endsWith('atom.xml'))!]!.body);
    // Content is HTML built from escaped text: the script is shown, never markup.
    expect(files['en/feed.xml']!.body).not.toMatch(/<content:encoded><!\[CDATA\[[^\]]*<script/);
  });

  it('links each Atom entry to its NewsML-G2 item as well as its page (the NewsML-G2 feed of the language)', () => {
    const entries = [feedEntryOf(F.hostile, F.hostileEn, { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' }), ...F.entriesFor('en', 3)];
    const atom = render(entries)['en/atom.xml']!.body;
    assertWellFormedXml(atom);
    const items = [...atom.matchAll(/<link rel="alternate" type="application\/vnd\.iptc\.g2\.newsitem\+xml" href="([^"]+)"\/>/g)].map((m) => m[1]);
    expect(items).toEqual(entries.map((e) => `https://news.example.com/en/releases/${e.releaseId}.xml`));
    // One per entry, each right after the entry's page link.
    for (const entry of atom.split('<entry>').slice(1)) expect(entry).toMatch(/<link href="[^"]+\.html"\/>\n\s*<link rel="alternate" type="application\/vnd\.iptc\.g2\.newsitem\+xml"/);
  });

  it('sets the language in all three formats and self links', () => {
    const files = render(F.entriesFor('zh-Hans', 2), 'zh-Hans');
    expect(files['zh-Hans/feed.xml']!.body).toContain('<language>zh-Hans</language>');
    expect(files['zh-Hans/feed.xml']!.body).toContain('<atom:link href="https://news.example.com/zh-Hans/feed.xml" rel="self"');
    expect(files['zh-Hans/atom.xml']!.body).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">');
    expect(files['zh-Hans/atom.xml']!.body).toContain('<link rel="self" href="https://news.example.com/zh-Hans/atom.xml"/>');
    const json = JSON.parse(files['zh-Hans/feed.json']!.body) as Record<string, unknown>;
    expect(json).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
      language: 'zh-Hans',
      feed_url: 'https://news.example.com/zh-Hans/feed.json',
      authors: [{ name: 'polywire newsroom' }],
    });
  });

  it('shows a corrected summary and provenance at once, though unchanged item contents are remembered between renders', () => {
    const v1 = feedEntryOf(F.acme, F.acmeEn, { publishedAt: '2026-11-26T08:00:00Z', updatedAt: '2026-11-26T08:00:00Z' });
    const first = render([v1])['en/feed.xml']!.body;
    expect(render([v1])['en/feed.xml']!.body).toBe(first);
    const v2 = { ...v1, version: 2, summary: 'A corrected summary of the launch.', provenance: { kind: 'human' as const, engine: 'none' } };
    const json = JSON.parse(render([v2])['en/feed.json']!.body) as { items: { content_html: string }[] };
    expect(json.items[0]!.content_html).toContain('A corrected summary of the launch.');
    expect(json.items[0]!.content_html).not.toBe((JSON.parse(render([v1])['en/feed.json']!.body) as { items: { content_html: string }[] }).items[0]!.content_html);
  });

  it('keeps the GUID across a correction while updated changes', () => {
    const v1 = feedEntryOf(F.acme, F.acmeEn, { publishedAt: '2026-11-26T08:00:00Z', updatedAt: '2026-11-26T08:00:00Z' });
    const corrected = { ...F.acmeEn, version: 2, content: { ...F.acmeEn.content, headline: 'Acme Robotics launches the R2 robot (corrected)' } };
    const v2 = feedEntryOf({ ...F.acme, version: 2 }, corrected, { publishedAt: '2026-11-26T08:00:00Z', updatedAt: '2026-11-27T15:30:00Z' });
    const [before, after] = [render([v1]), render([v2])];
    const guid = /<guid isPermaLink="false">([^<]+)<\/guid>/;
    expect(before['en/feed.xml']!.body.match(guid)![1]).toBe('urn:polywire:acme-robotics-launch:en');
    expect(after['en/feed.xml']!.body.match(guid)![1]).toBe(before['en/feed.xml']!.body.match(guid)![1]);
    expect(after['en/atom.xml']!.body).toContain('<id>urn:polywire:acme-robotics-launch:en</id>');
    expect(before['en/atom.xml']!.body).toContain('<updated>2026-11-26T08:00:00.000Z</updated>');
    expect(after['en/atom.xml']!.body).toContain('<updated>2026-11-27T15:30:00.000Z</updated>');
    expect(after['en/atom.xml']!.body).toContain('<published>2026-11-26T08:00:00.000Z</published>');
    expect(after['en/feed.xml']!.body).toContain('<lastBuildDate>Fri, 27 Nov 2026 15:30:00 GMT</lastBuildDate>');
    const json = JSON.parse(after['en/feed.json']!.body) as { items: Record<string, string>[] };
    expect(json.items[0]).toMatchObject({ id: 'urn:polywire:acme-robotics-launch:en', date_modified: '2026-11-27T15:30:00.000Z' });
  });

  it('is byte-identical when nothing changed (no clock inside)', () => {
    const entries = F.entriesFor('ar', 7, '2026-11-20T00:00:00Z');
    const first = renderLanguageFiles({ site: F.SITE, language: 'ar', entries, updatedAt: entries[0]!.updatedAt });
    const second = renderLanguageFiles({ site: F.SITE, language: 'ar', entries: structuredClone(entries), updatedAt: entries[0]!.updatedAt });
    expect(second).toEqual(first);
    expect(first.find((f) => f.path === 'ar/feed.xml')!.body).toContain('<generator>polywire</generator>');
  });

  it('writes category feeds under the category slug in that language', () => {
    const entries = F.entriesFor('ar', 2).map((e) => ({ ...e, categories: ['أخبار عاجلة'] }));
    const files = render(entries, 'ar', 'أخبار عاجلة');
    expect(Object.keys(files).sort()).toEqual(['ar/categories/أخبار-عاجلة/atom.xml', 'ar/categories/أخبار-عاجلة/feed.json', 'ar/categories/أخبار-عاجلة/feed.xml', 'ar/categories/أخبار-عاجلة/index.html']);
    expect(files['ar/categories/أخبار-عاجلة/feed.xml']!.body).toContain('https://news.example.com/ar/categories/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1-%D8%B9%D8%A7%D8%AC%D9%84%D8%A9/feed.xml');
    expect(files['ar/categories/أخبار-عاجلة/index.html']!.body).toMatch(/<html lang="ar" dir="rtl">/);
  });

  it('renders an empty language: valid feeds without items and an index that says so', () => {
    const files = byPath(renderLanguageFiles({ site: F.SITE, language: 'th', entries: [], updatedAt: '2026-11-26T00:00:00Z' }));
    assertWellFormedXml(files['th/feed.xml']!.body);
    assertWellFormedXml(files['th/atom.xml']!.body);
    expect(files['th/index.html']!.body).toContain('ยังไม่มีข่าว');
  });
});
