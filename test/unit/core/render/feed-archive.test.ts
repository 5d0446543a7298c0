import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_LAG, ARCHIVE_PAGE_SIZE, archivePaths, closedPages, loadFeedRenderer, pageRange, renderArchivePage, renderLanguageFiles, MAX_FEED_ITEMS } from '../../../../functions/core/render/index';
import type { FeedEntry } from '../../../../functions/core/variant';
import * as F from '../../../fixtures/render/releases';

// The feed libraries (feed, sanitize-html) are loaded on first use (functions/core/render/feeds.ts).
beforeAll(() => loadFeedRenderer());

const entry = (n: number): FeedEntry => {
  const at = new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString();
  return {
    releaseId: `r-${n}`,
    version: 1,
    language: 'en',
    headline: `Release ${n}`,
    summary: `Summary ${n}`,
    categories: ['Technology'],
    publishedAt: at,
    updatedAt: at,
    provenance: { kind: 'original', engine: 'none' },
  };
};

describe('RFC 5005 paging', () => {
  it('closes page k only when k·25 + 25 entries exist, so the newest 50 always hold every entry not archived', () => {
    expect([0, 24, 49, 50, 74, 75, 120, 125].map(closedPages)).toEqual([0, 0, 0, 1, 1, 2, 3, 4]);
    for (let size = 0; size <= 1000; size++) {
      const unarchived = size - closedPages(size) * ARCHIVE_PAGE_SIZE;
      expect(unarchived).toBeLessThanOrEqual(MAX_FEED_ITEMS);
      if (size >= ARCHIVE_LAG) expect(unarchived).toBeGreaterThanOrEqual(ARCHIVE_LAG);
    }
  });

  it('pages are fixed, contiguous number ranges', () => {
    expect([1, 2, 3].map(pageRange)).toEqual([
      { from: 1, to: 25 },
      { from: 26, to: 50 },
      { from: 51, to: 75 },
    ]);
  });

  it('archive paths sit beside the feed they belong to', () => {
    expect(archivePaths.rss('de', 3)).toBe('de/archive/3/feed.xml');
    expect(archivePaths.atom('de', 3, 'Top-Story')).toBe('de/categories/top-story/archive/3/atom.xml');
    expect(archivePaths.jsonFeed('zh-Hans', 1)).toBe('zh-Hans/archive/1/feed.json');
  });

  it('an archive page lists its entries newest first, links current, self and (after page 1) prev-archive, and is marked fh:archive', () => {
    const files = renderArchivePage({ site: F.SITE, language: 'en', page: 2, entries: Array.from({ length: 25 }, (_, i) => entry(26 + i)) });
    expect(files.map((f) => [f.path, f.cacheControl])).toEqual([
      ['en/archive/2/feed.xml', 'public, max-age=86400, stale-while-revalidate=604800'],
      ['en/archive/2/atom.xml', 'public, max-age=86400, stale-while-revalidate=604800'],
      ['en/archive/2/feed.json', 'public, max-age=86400, stale-while-revalidate=604800'],
    ]);
    const [rss, atom, json] = files.map((f) => f.body) as [string, string, string];
    expect(rss).toContain('<atom:link href="https://news.example.com/en/feed.xml" rel="current" type="application/rss+xml"/>');
    expect(rss).toContain('<atom:link href="https://news.example.com/en/archive/1/feed.xml" rel="prev-archive" type="application/rss+xml"/>');
    expect(rss).toContain('<atom:link href="https://news.example.com/en/archive/2/feed.xml" rel="self"');
    expect(rss).toContain('<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/>');
    expect(rss.indexOf('urn:polywire:r-50:en')).toBeLessThan(rss.indexOf('urn:polywire:r-26:en'));
    expect(atom).toContain('<link rel="prev-archive" href="https://news.example.com/en/archive/1/atom.xml"/>');
    expect(atom).toContain('<link rel="self" href="https://news.example.com/en/archive/2/atom.xml"/>');
    const feed = JSON.parse(json);
    expect(feed.feed_url).toBe('https://news.example.com/en/archive/2/feed.json');
    expect(feed.next_url).toBe('https://news.example.com/en/archive/1/feed.json');
    expect(feed._rfc5005).toMatchObject({ archive: true, current: 'https://news.example.com/en/feed.json', prev_archive: 'https://news.example.com/en/archive/1/feed.json' });
    const first = renderArchivePage({ site: F.SITE, language: 'en', page: 1, entries: [entry(1)] });
    expect(first[0]!.body).not.toContain('prev-archive');
    expect(JSON.parse(first[2]!.body).next_url).toBeUndefined();
  });

  it('renders the same bytes again from the same entries (written once, never rewritten)', () => {
    const input = { site: F.SITE, language: 'en', page: 3, entries: Array.from({ length: 25 }, (_, i) => entry(51 + i)) };
    expect(renderArchivePage(structuredClone(input))).toEqual(renderArchivePage(input));
  });

  it('the subscription feed links prev-archive only once a page exists', () => {
    const entries = [entry(2), entry(1)];
    const none = renderLanguageFiles({ site: F.SITE, language: 'en', entries, updatedAt: entries[0]!.updatedAt });
    expect(none.map((f) => f.body).join('')).not.toContain('prev-archive');
    expect(JSON.parse(none[2]!.body).next_url).toBeUndefined();
    const linked = renderLanguageFiles({ site: F.SITE, language: 'en', category: 'Technology', entries, updatedAt: entries[0]!.updatedAt, newestArchivePage: 4 });
    expect(linked[0]!.body).toContain('<atom:link href="https://news.example.com/en/categories/technology/archive/4/feed.xml" rel="prev-archive"');
    expect(linked[0]!.body).not.toContain('fh:archive');
    expect(linked[1]!.body).toContain('<link rel="prev-archive" href="https://news.example.com/en/categories/technology/archive/4/atom.xml"/>');
    expect(JSON.parse(linked[2]!.body).next_url).toBe('https://news.example.com/en/categories/technology/archive/4/feed.json');
  });
});
