/**
 * RFC 5005 archives on the emulators: 120 releases published into one language through the real
 * handlers, then the RSS, Atom and JSON Feed chains walked back from the subscription feed, as
 * a reader that polled once would. Also the archive adapter's numbering under repeats and races.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedEntry } from '../../../functions/core/variant';
import { distributionText, publishIntoOneFeed, readAtom, readJson, readRss, walkChain } from './archive-chain';
import { startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const COUNT = 120;
const BASE = 'https://news.example.com/';
const ids = Array.from({ length: COUNT }, (_, i) => `archive-${String(i + 1).padStart(3, '0')}`);

describe('pipeline: RFC 5005 feed archives', () => {
  let harness: PipelineHarness;
  const text = (key: string): Promise<string> => distributionText(harness, key);
  function expectComplete(pages: string[][], format: string): void {
    const [current, ...archives] = pages;
    const archived = archives.flat();
    // Every archive page is a fixed 25 (the oldest may not be complete only if entries were void).
    expect(
      archives.map((p) => p.length),
      format,
    ).toEqual([25, 25, 25]);
    // No release twice across the archive pages; the subscription feed only overlaps the newest page.
    expect(new Set(archived).size, format).toBe(archived.length);
    const all = new Set([...current!, ...archived]);
    expect([...all].sort(), format).toEqual(ids.map((id) => `urn:polywire:${id}:en`));
    const overlap = current!.filter((id) => archived.includes(id));
    for (const id of overlap) expect(archives[0], format).toContain(id);
  }

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en'] });
    await publishIntoOneFeed(harness, ids);
  }, 600_000);
  afterAll(async () => {
    await harness?.close();
  });

  it(`walks the RSS, Atom and JSON Feed archives back from the subscription feed and finds all ${COUNT} releases`, async () => {
    expect(await harness.archive.size('en')).toBe(COUNT);
    const chains = {
      rss: await walkChain(harness, BASE, 'en/feed.xml', readRss),
      atom: await walkChain(harness, BASE, 'en/atom.xml', readAtom),
      json: await walkChain(harness, BASE, 'en/feed.json', readJson),
    };
    for (const [format, pages] of Object.entries(chains)) {
      // 120 entries, N = 25 behind, pages of 25: pages 1–3 are written (3·25 + 25 ≤ 120 < 4·25 + 25).
      expect(pages.length, format).toBe(4);
      expectComplete(pages, format);
    }
  });

  it('walks the category feed archive too, and archive pages carry fh:archive and a current link', async () => {
    const pages = await walkChain(harness, BASE, 'en/categories/technology/feed.xml', readRss);
    expect(pages.length).toBe(4);
    const page1 = await text('en/categories/technology/archive/1/feed.xml');
    expect(page1).toContain('<fh:archive xmlns:fh="http://purl.org/syndication/history/1.0"/>');
    expect(page1).toContain(`<atom:link href="${BASE}en/categories/technology/feed.xml" rel="current"`);
    expect(page1).toContain(`<atom:link href="${BASE}en/categories/technology/archive/1/feed.xml" rel="self"`);
    expect(page1).not.toContain('rel="prev-archive"');
    const object = await harness.distribution.head('en/archive/1/atom.xml');
    expect(object?.contentType).toMatch(/^application\/atom\+xml/);
  });

  it('an archive page never changes once written, while later releases add pages', async () => {
    const before = await text('en/archive/3/feed.xml');
    const events: string[] = [];
    for (let i = 1; i <= 5; i++) events.push(await harness.upload(`incoming/late-${i}.txt`, wireRelease({ headline: `Acme ships late robot ${i}`, company: `Late ${i}` })));
    await harness.run(...events);
    expect(await text('en/archive/3/feed.xml')).toBe(before);
    expect(await harness.archive.size('en')).toBe(COUNT + 5);
    // 125 entries: page 4 (entries 76–100) is now complete and linked from the feed.
    expect(await text('en/feed.xml')).toContain(`<atom:link href="${BASE}en/archive/4/feed.xml" rel="prev-archive"`);
    expect(await text('en/archive/4/feed.xml')).toContain(`<atom:link href="${BASE}en/archive/3/feed.xml" rel="prev-archive"`);
  });

  it('numbers a release once however often it is appended, and concurrent appends share out contiguous numbers', async () => {
    const entry = (releaseId: string): FeedEntry => ({
      releaseId,
      version: 1,
      language: 'xx',
      headline: releaseId,
      summary: '',
      categories: [],
      publishedAt: '2026-11-26T10:00:00.000Z',
      updatedAt: '2026-11-26T10:00:00.000Z',
      provenance: { kind: 'original', engine: 'none' },
    });
    const feed = 'race#test';
    const first = await harness.archive.append(feed, entry('r-1'));
    expect(await harness.archive.append(feed, entry('r-1'))).toBe(first);
    const numbers = await Promise.all(Array.from({ length: 12 }, (_, i) => harness.archive.append(feed, entry(`r-${2 + (i % 6)}`))));
    // Six releases, each appended twice at once: one number each (a lost duplicate leaves a void slot).
    for (let i = 0; i < 6; i++) expect(numbers[i]).toBe(numbers[i + 6]);
    const listed = await harness.archive.range(feed, 1, await harness.archive.size(feed));
    expect(listed.map((e) => e.releaseId).sort()).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7']);
  });
});
