/**
 * The language feed render on port fakes: numbering new index entries in first-publication order
 * however the requests name them, a late entry (published after newer ones were numbered) kept in
 * the subscription feed until its archive page closes, and a repeated render that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { numberNewEntries, unarchivedEntries } from '../../../../functions/core/pipeline/feed-archive';
import { finishPublishBatch, PublishBatch, publishJob, type PublishDeps } from '../../../../functions/core/pipeline/publish';
import type { FeedEntry } from '../../../../functions/core/variant';
import { InMemoryFeedArchive, InMemoryFeedIndex, InMemoryObjectStore, InMemoryReleaseRepository, RecordingQueue, TestClock } from '../../../support/fakes';

const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString();

function entry(id: string, minute: number): FeedEntry {
  return {
    releaseId: id,
    version: 1,
    language: 'en',
    headline: `Release ${id}`,
    summary: `Summary of ${id}.`,
    categories: [],
    publishedAt: at(minute),
    updatedAt: at(minute),
    provenance: { kind: 'original', engine: 'none' },
  };
}

const ref = (e: FeedEntry) => ({ releaseId: e.releaseId, publishedAt: e.publishedAt, categories: e.categories });

function fixture() {
  const feeds = new InMemoryFeedIndex();
  const archive = new InMemoryFeedArchive();
  const distribution = new InMemoryObjectStore();
  const publishQueue = new RecordingQueue();
  const deps: PublishDeps = {
    uploads: new InMemoryObjectStore(),
    repository: new InMemoryReleaseRepository(),
    clock: new TestClock(),
    distribution,
    feeds,
    archive,
    publishQueue,
    webhookQueue: new RecordingQueue(),
    site: { baseUrl: 'https://news.example', title: 'Newsroom' },
    siteLanguages: ['en'],
  };
  /** One render-feed job of `en` as its own batch. */
  const render = async (entries: FeedEntry[] = []) => {
    const batch = new PublishBatch();
    await publishJob(deps, { kind: 'render-feed', language: 'en', categories: [], entries: entries.map(ref), requestedAt: deps.clock.now().toISOString() }, batch);
    return finishPublishBatch(deps, batch);
  };
  const ids = (key: string) => (JSON.parse(distribution.text(key)!) as { items: { id: string }[] }).items.map((item) => item.id.replace(/^urn:polywire:(.*):en$/, '$1'));
  return { feeds, archive, distribution, publishQueue, deps, render, ids };
}

describe('feed render: archive numbering', () => {
  it('numbers the index’s new entries in first-publication order, whatever order the requests name them in', async () => {
    const f = fixture();
    const entries = [1, 2, 3, 4, 5].map((n) => entry(`r-${n}`, n));
    for (const e of entries) await f.feeds.upsert('en', e);
    await numberNewEntries(f.deps, 'en', [...entries].reverse().map(ref));
    expect((await f.archive.range('en', 1, 5)).map((e) => e.releaseId)).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5']);
    // Entries after the newest numbered one are found without being named.
    for (const n of [6, 7, 8]) await f.feeds.upsert('en', entry(`r-${n}`, n));
    await numberNewEntries(f.deps, 'en', []);
    expect((await f.archive.range('en', 1, 8)).map((e) => e.releaseId)).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7', 'r-8']);
    // A repeat numbers nothing again.
    await numberNewEntries(f.deps, 'en', [ref(entry('r-3', 3))]);
    expect(await f.archive.size('en')).toBe(8);
  });

  it('keeps a late entry in the subscription feed until its archive page closes, so the chain never misses it', async () => {
    const f = fixture();
    // 74 releases published and rendered; then one first published before all of them (its job
    // was slow) reaches the index: 74 newer entries stand before it, so it is not among the newest 50.
    for (let n = 1; n <= 74; n++) await f.feeds.upsert('en', entry(`r-${String(n).padStart(2, '0')}`, n));
    await f.render();
    expect(await f.archive.size('en')).toBe(74);
    const late = entry('late', 0);
    await f.feeds.upsert('en', late);
    await f.render([late]);

    // Numbered 75th (after newer ones): page 2 (numbers 26–50) closes, 51–75 wait, the late one among them.
    expect((await f.archive.range('en', 75, 75)).map((e) => e.releaseId)).toEqual(['late']);
    const { missing, archived } = await unarchivedEntries(f.deps, 'en', 2, await f.feeds.latest('en', 50));
    expect(missing.map((e) => e.releaseId)).toEqual(['late']);
    // The feed keeps 50 items: the late one in place of the oldest archived one (r-25, on page 1).
    expect(archived.has('r-25')).toBe(true);
    const current = f.ids('en/feed.json');
    expect(current).toHaveLength(50);
    expect(current.at(-1)).toBe('late');
    expect(current).not.toContain('r-25');
    // Subscription feed and archive pages together: every release once walked back.
    const pages = [...f.ids('en/archive/2/feed.json'), ...f.ids('en/archive/1/feed.json')];
    expect(new Set([...current, ...pages]).size).toBe(75);
    expect(JSON.parse(f.distribution.text('en/feed.json')!).next_url).toBe('https://news.example/en/archive/2/feed.json');
  });

  it('a repeated render job writes the same bytes and numbers nothing again', async () => {
    const f = fixture();
    const entries = Array.from({ length: 60 }, (_, i) => entry(`r-${String(i + 1).padStart(2, '0')}`, i + 1));
    for (const e of entries) await f.feeds.upsert('en', e);
    await f.render(entries);
    const snapshot = new Map([...f.distribution.objects].map(([key, object]) => [key, object.body.join()]));
    await f.render(entries);
    await f.render();
    expect(await f.archive.size('en')).toBe(60);
    expect(new Map([...f.distribution.objects].map(([key, object]) => [key, object.body.join()]))).toEqual(snapshot);
    // A render asks for nothing: the publish batch that wrote the index asked for the root rebuild.
    expect(f.publishQueue.messages).toEqual([]);
  });
});
