import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishJob } from '../../../functions/core/pipeline/jobs';
import { finishPublishBatch, publishJob, PublishBatch, type PublishDeps } from '../../../functions/core/pipeline/publish';
import type { FeedEntry } from '../../../functions/core/variant';
import type { FeedIndex } from '../../../functions/ports';
import { RecordingQueue, startPipeline, steppingClock, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const COUNT = 50;

describe('pipeline: many releases into one language at once', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it(`keeps all ${COUNT} releases in the language feed when they are published concurrently`, async () => {
    const events: string[] = [];
    for (let i = 1; i <= COUNT; i++) {
      const n = String(i).padStart(2, '0');
      events.push(await harness.upload(`incoming/batch-${n}.txt`, wireRelease({ headline: `Acme ships robot number ${n}`, categories: ['Technology'] })));
    }
    await harness.run(...events);

    const ids = Array.from({ length: COUNT }, (_, i) => `batch-${String(i + 1).padStart(2, '0')}`).sort();
    for (const language of ['en', 'de']) {
      const entries = await harness.feeds.latest(language, 50);
      expect(entries.map((e) => e.releaseId).sort(), language).toEqual(ids);
      const feed = JSON.parse(new TextDecoder().decode((await harness.distribution.get(`${language}/feed.json`))!.body));
      expect(feed.items.map((item: { id: string }) => item.id).sort(), `${language}/feed.json`).toEqual(ids.map((id) => `urn:polywire:${id}:${language}`).sort());
      const rss = new TextDecoder().decode((await harness.distribution.get(`${language}/feed.xml`))!.body);
      expect(rss.match(/<item>/g)).toHaveLength(COUNT);
    }
    // The publish queue really ran batches of several jobs per language group.
    const publishJobs = harness.queues.publish.bodies<{ kind: string }>().filter((j) => j.kind === 'variant');
    expect(publishJobs).toHaveLength(COUNT * 2);
    expect(harness.queues.publish.deadLetters).toEqual([]);
    const root = new TextDecoder().decode((await harness.distribution.get('sitemap.xml'))!.body);
    for (const id of ids) expect(root).toContain(`/en/releases/${id}.html`);
  });

  it('keeps both entries when an invocation renders a feed from an index read taken before another invocation inserted and wrote', async () => {
    // Two invocations writing the same feed (as if FIFO grouping were absent): A reads the index,
    // then stalls; B inserts its entry, reads and writes the feed; then A writes what it read.
    const language = 'fr';
    const entry = (id: string, at: string): FeedEntry => ({
      releaseId: id,
      version: 1,
      language,
      headline: `Acme annonce ${id}`,
      summary: `Acme Robotics a annoncé ${id} aujourd’hui.`,
      categories: [],
      publishedAt: at,
      updatedAt: at,
      provenance: { kind: 'pseudo', engine: 'pseudo' },
    });
    await harness.feeds.upsert(language, entry('race-a', '2026-11-26T10:00:00.000Z'));

    let aHasRead!: () => void;
    const aReading = new Promise<void>((resolve) => (aHasRead = resolve));
    let bHasWritten!: () => void;
    const bWritten = new Promise<void>((resolve) => (bHasWritten = resolve));
    let held = false;
    const feedsOfA: FeedIndex = Object.assign(Object.create(harness.feeds) as FeedIndex, {
      latest: async (feed: string, limit: number) => {
        const result = await harness.feeds.latest(feed, limit);
        if (feed === language && !held) {
          held = true;
          aHasRead();
          await bWritten;
        }
        return result;
      },
    });
    const deps = (feeds: FeedIndex): PublishDeps => ({
      uploads: harness.uploads,
      distribution: harness.distribution,
      repository: harness.repository,
      feeds,
      publishQueue: new RecordingQueue(true),
      webhookQueue: new RecordingQueue(false),
      clock: steppingClock(Date.parse('2026-11-26T11:00:00Z')),
      site: { baseUrl: 'https://news.example.com', title: 'polywire test newsroom' },
      siteLanguages: ['en', 'de', language],
    });
    // Two feed renders of the language (its render-feed jobs), as if its feed group did not serialize them.
    const batch = () => {
      const b = new PublishBatch();
      b.requestRender({ language, categories: [], entries: [] });
      return b;
    };

    const a = finishPublishBatch(deps(feedsOfA), batch());
    await aReading;
    await harness.feeds.upsert(language, entry('race-b', '2026-11-26T10:05:00.000Z'));
    await finishPublishBatch(deps(harness.feeds), batch());
    bHasWritten();
    await a;

    const feed = JSON.parse(new TextDecoder().decode((await harness.distribution.get(`${language}/feed.json`))!.body));
    expect(feed.items.map((item: { id: string }) => item.id).sort()).toEqual([`urn:polywire:race-a:${language}`, `urn:polywire:race-b:${language}`]);
  });

  it('rebuilds the root while other languages keep publishing: writes once; the publishing batches ask for the next rebuild', async () => {
    // The root spans every language, so under continuous publishing its index never stands still:
    // every read of the `ko` feed finds one more entry, as if ko kept publishing meanwhile, and the
    // batch that wrote it finishes (asking for a root rebuild) before the rebuild's read returns.
    const language = 'ko';
    let inserted = 0;
    const moving: FeedIndex = Object.assign(Object.create(harness.feeds) as FeedIndex, {
      latest: async (feed: string, limit: number) => {
        if (feed === language) {
          inserted += 1;
          const at = new Date(Date.parse('2026-11-26T12:00:00Z') + inserted * 1000).toISOString();
          await harness.feeds.upsert(language, {
            releaseId: `busy-${inserted}`,
            version: 1,
            language,
            headline: `Acme 발표 ${inserted}`,
            summary: 'Acme Robotics',
            categories: [],
            publishedAt: at,
            updatedAt: at,
            provenance: { kind: 'pseudo', engine: 'pseudo' },
          });
          const batch = new PublishBatch();
          batch.touch(language, []);
          await finishPublishBatch(deps, batch);
        }
        return harness.feeds.latest(feed, limit);
      },
    });
    const publishQueue = new RecordingQueue(true);
    const deps: PublishDeps = {
      uploads: harness.uploads,
      distribution: harness.distribution,
      repository: harness.repository,
      feeds: moving,
      publishQueue,
      webhookQueue: new RecordingQueue(false),
      clock: steppingClock(Date.parse('2026-11-26T12:30:00Z')),
      site: { baseUrl: 'https://news.example.com', title: 'polywire test newsroom' },
      siteLanguages: ['en', 'de', language],
    };

    const outcome = await publishJob(deps, { kind: 'rebuild-root', requestedAt: '2026-11-26T12:29:00.000Z' }, new PublishBatch());

    expect(outcome.kind).toBe('root');
    // The writer's batch saw this rebuild started (number 1 of this table) and asked for a later one.
    const roots = publishQueue.bodies<{ kind: string; after?: number }>().filter((job) => job.kind === 'rebuild-root');
    expect(roots).toHaveLength(1);
    expect(roots[0]!.after).toBeGreaterThanOrEqual(1);
    // That request is not coalesced away: the rebuild that just completed is the one it saw started.
    expect(await publishJob({ ...deps, feeds: harness.feeds }, roots[0] as PublishJob, new PublishBatch())).toMatchObject({ kind: 'root' });
    const sitemap = new TextDecoder().decode((await harness.distribution.get('sitemap.xml'))!.body);
    expect(sitemap).toContain(`/${language}/releases/busy-1.html`);
  });
});
