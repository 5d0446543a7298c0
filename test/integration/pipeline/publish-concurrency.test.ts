/**
 * No per-language cap: 50 releases in one language, each in its own publish message group
 * (release × language), so the harness runs their publish invocations at once (as many as the
 * stage's local concurrency) against the same feed index. Every feed — the language's and the
 * category's RSS, Atom and JSON Feed, and the RFC 5005 archive chains behind them — must still
 * hold all 50: the feeds and archives are written by the language's coalesced render jobs, one
 * at a time in the language's feed group. A duplicated render job changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedGroupId, publishMessage, type PublishJob } from '../../../functions/core/pipeline/jobs';
import { distributionText, publishIntoOneFeed, readAtom, readJson, readRss, walkChain } from './archive-chain';
import { startPipeline, type PipelineHarness } from './harness';

const COUNT = 50;
const BASE = 'https://news.example.com/';
const ids = Array.from({ length: COUNT }, (_, i) => `solo-${String(i + 1).padStart(2, '0')}`);
const urns = ids.map((id) => `urn:polywire:${id}:en`).sort();

describe('pipeline: 50 releases published concurrently into one language', () => {
  let harness: PipelineHarness;
  const text = (key: string): Promise<string> => distributionText(harness, key);
  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en'] });
    await publishIntoOneFeed(harness, ids);
  }, 600_000);
  afterAll(async () => {
    await harness?.close();
  });

  it('gives every release its own publish message group, so nothing serializes the language but its feed renders', () => {
    const kind = (kind: string) => harness.queues.publish.sent.filter((m) => (m.body as { kind: string }).kind === kind);
    expect(kind('variant')).toHaveLength(COUNT);
    expect(new Set(kind('variant').map((m) => m.groupId)).size).toBe(COUNT);
    // Feed renders: all in the language's feed group, and coalesced (a batch of requests renders once, asks one root rebuild).
    const renders = kind('render-feed');
    expect(renders.length).toBeGreaterThan(0);
    expect(new Set(renders.map((m) => m.groupId))).toEqual(new Set([feedGroupId('en')]));
    expect(kind('rebuild-root').length).toBeLessThan(renders.length);
    expect(harness.queues.publish.deadLetters).toEqual([]);
  });

  it.each([
    ['en/feed.xml', readRss],
    ['en/atom.xml', readAtom],
    ['en/feed.json', readJson],
    ['en/categories/technology/feed.xml', readRss],
    ['en/categories/technology/atom.xml', readAtom],
    ['en/categories/technology/feed.json', readJson],
  ] as const)('%s holds all 50, and its archive chain too', async (start, read) => {
    const [current, ...archives] = await walkChain(harness, BASE, start, read);
    expect([...current!].sort()).toEqual(urns);
    // 50 entries, pages of 25 written once 25 newer entries exist: page 1 (the oldest 25).
    expect(archives.map((page) => page.length)).toEqual([25]);
    expect(archives[0]!.every((id) => urns.includes(id))).toBe(true);
    expect(new Set(archives[0]).size).toBe(25);
  });

  it('numbers each release once in the archives, in the order of first publication', async () => {
    expect(await harness.archive.size('en')).toBe(COUNT);
    const numbered = await harness.archive.range('en', 1, COUNT);
    const order = numbered.map((entry) => `${entry.publishedAt}#${entry.releaseId}`);
    expect(order).toEqual([...order].sort());
    const sitemap = await text('sitemap.xml');
    for (const id of ids) expect(sitemap).toContain(`/en/releases/${id}.html`);
  });

  it('a duplicated render job (redelivered, or sent again with every release) changes no feed, page or number', async () => {
    const keys = ['en/feed.xml', 'en/atom.xml', 'en/feed.json', 'en/archive/1/feed.xml', 'en/categories/technology/feed.json', 'en/categories/technology/archive/1/atom.xml'];
    const before = await Promise.all(keys.map(text));
    const entries = (await harness.feeds.latest('en', COUNT)).map((e) => ({ releaseId: e.releaseId, publishedAt: e.publishedAt, categories: e.categories }));
    const job: PublishJob = { kind: 'render-feed', language: 'en', categories: ['Technology'], entries, requestedAt: harness.clock.now().toISOString() };
    const again: PublishJob = { ...job, requestedAt: harness.clock.now().toISOString() };
    await harness.queues.publish.send([publishMessage(job), publishMessage(job), publishMessage(again)]);
    await harness.run();
    expect(await Promise.all(keys.map(text))).toEqual(before);
    expect(await harness.archive.size('en')).toBe(COUNT);
    expect(await harness.archive.size('en#CAT#technology')).toBe(COUNT);
    expect(harness.queues.publish.deadLetters).toEqual([]);
  });
});
