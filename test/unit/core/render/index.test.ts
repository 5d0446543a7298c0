import { describe, expect, it } from 'vitest';
import { feedEntryOf, renderVariantFiles } from '../../../../functions/core/render/index';
import { ConfigError } from '../../../../functions/core/errors';
import { FeedEntrySchema } from '../../../../functions/core/variant';
import * as F from '../../../fixtures/render/releases';

const times = { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' };

describe('renderVariantFiles', () => {
  it('writes the page, the ninjs document and the NewsML-G2 item with document cache lifetimes', () => {
    const files = renderVariantFiles({ site: F.SITE, release: F.blinken, variant: F.blinkenAr, languages: F.BLINKEN_LANGUAGES, times });
    expect(files.map((f) => [f.path, f.contentType, f.cacheControl])).toEqual([
      ['ar/releases/seaprwire-de-2024-blinken.html', 'text/html; charset=utf-8', 'public, max-age=300, stale-while-revalidate=86400'],
      ['ar/releases/seaprwire-de-2024-blinken.json', 'application/json; charset=utf-8', 'public, max-age=300, stale-while-revalidate=86400'],
      ['ar/releases/seaprwire-de-2024-blinken.xml', 'application/vnd.iptc.g2.newsitem+xml; charset=utf-8', 'public, max-age=300, stale-while-revalidate=86400'],
    ]);
  });

  it('re-rendering an unchanged release gives byte-identical files, whatever the order of languages', () => {
    const first = renderVariantFiles({ site: F.SITE, release: F.blinken, variant: F.blinkenEn, languages: ['de', 'en', 'ar', 'ja'], times });
    const again = renderVariantFiles({
      site: F.SITE,
      release: structuredClone(F.blinken),
      variant: structuredClone(F.blinkenEn),
      languages: ['ja', 'ar', 'en', 'de', 'en'],
      times: { ...times },
    });
    expect(again).toEqual(first);
  });

  it('a correction changes the page but not its URL', () => {
    const corrected = { ...F.blinkenEn, version: 2, content: { ...F.blinkenEn.content, headline: 'Corrected headline' } };
    const before = renderVariantFiles({ site: F.SITE, release: F.blinken, variant: F.blinkenEn, languages: F.BLINKEN_LANGUAGES, times });
    const after = renderVariantFiles({
      site: F.SITE,
      release: { ...F.blinken, version: 2 },
      variant: corrected,
      languages: F.BLINKEN_LANGUAGES,
      times: { ...times, updatedAt: '2026-11-27T09:00:00Z' },
    });
    expect(after.map((f) => f.path)).toEqual(before.map((f) => f.path));
    expect(after[0]!.body).not.toBe(before[0]!.body);
    expect(after[0]!.body).toContain('<h1>Corrected headline</h1>');
  });

  it('rejects a base URL that is not absolute http(s)', () => {
    const args = { release: F.acme, variant: F.acmeEn, languages: ['en'] };
    expect(() => renderVariantFiles({ ...args, site: { baseUrl: 'news.example.com', title: 't' } })).toThrow(ConfigError);
    expect(() => renderVariantFiles({ ...args, site: { baseUrl: 'ftp://news.example.com', title: 't' } })).toThrow(ConfigError);
    const trailing = renderVariantFiles({ ...args, site: { baseUrl: 'https://news.example.com/', title: 't' } });
    expect(trailing[0]!.body).toContain('href="https://news.example.com/en/releases/acme-robotics-launch.html"');
  });
});

describe('feedEntryOf', () => {
  it('builds a valid feed entry with the first paragraph as summary', () => {
    const entry = feedEntryOf(F.blinken, F.blinkenAr, times);
    expect(FeedEntrySchema.parse(entry)).toEqual(entry);
    expect(entry).toMatchObject({ releaseId: 'seaprwire-de-2024-blinken', language: 'ar', categories: ['أهم الأخبار', 'أخبار يومية'] });
    expect(entry.summary.startsWith('في تحذير مقلق')).toBe(true);
    const long = feedEntryOf(F.longRelease, { ...F.longEn, content: { ...F.longEn.content, body: [{ type: 'paragraph', content: [{ type: 'text', text: F.longHeadline }] }] } }, times);
    expect([...new Intl.Segmenter().segment(long.summary)].length).toBeLessThanOrEqual(300);
  });

  it('stores what the page shows: lone surrogates are removed before the entry is stored, so the UTF-8 round trip of the database keeps it unchanged', () => {
    const variant = {
      ...F.acmeEn,
      content: {
        ...F.acmeEn.content,
        headline: 'Acme \uD83D launches',
        categories: ['Tech\uDC00nology'],
        body: [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text: 'Broken \uD800 pair and a whole 😀 one.' }] }],
      },
    };
    const entry = feedEntryOf(F.acme, variant, times);
    expect(entry).toMatchObject({ headline: 'Acme  launches', summary: 'Broken pair and a whole 😀 one.', categories: ['Technology'] });
    // What DynamoDB does to a string: UTF-8 out and back.
    const roundTrip = JSON.parse(new TextDecoder().decode(new TextEncoder().encode(JSON.stringify(entry))));
    expect(roundTrip).toEqual(entry);
    expect(JSON.stringify(roundTrip)).not.toContain('\uFFFD');
    const page = renderVariantFiles({ site: F.SITE, release: F.acme, variant, languages: ['en'], times })[0]!.body;
    expect(page).toContain(entry.summary);
  });
});
