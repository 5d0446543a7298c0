/**
 * Translate and publish use cases through in-memory port fakes, from a real ingest of a real
 * release (pseudo engine): re-delivered and late jobs, a failed language's completion, an embargo
 * without a lifecycle store, and root rebuild coalescing. No emulators.
 */
import { describe, expect, it } from 'vitest';
import { PseudoEngine } from '../../../../functions/adapters/pseudo/engine';
import { ingestObject } from '../../../../functions/core/pipeline/ingest';
import { finishPublishBatch, MAX_EVENT_HEADLINE_CHARS, PublishBatch, publishJob, type PublishDeps } from '../../../../functions/core/pipeline/publish';
import { translateJob, type TranslateStageDeps } from '../../../../functions/core/pipeline/translate';
import type { PublishJob, TranslateJob } from '../../../../functions/core/pipeline/jobs';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import { InMemoryTranslationMemory } from '../../../../functions/core/translation/memory';
import type { WebhookJob } from '../../../../functions/core/webhooks/event';
import { InMemoryFeedIndex, InMemoryObjectStore, InMemoryReleaseRepository, RecordingQueue, TestClock } from '../../../support/fakes';

const RELEASE = (paragraph: string) =>
  `Harbor Wind Opens Its First Offshore Farm\n\nBERGEN, Norway, Dec. 1, 2026 (SeaPRwire) -- ${paragraph}\n\n"This is a good day for the coast," said Ada Berg, chief executive of Harbor Wind.\n`;

function pipeline() {
  const uploads = new InMemoryObjectStore();
  const distribution = new InMemoryObjectStore();
  const repository = new InMemoryReleaseRepository();
  const feeds = new InMemoryFeedIndex();
  const clock = new TestClock();
  const translateQueue = new RecordingQueue();
  const publishQueue = new RecordingQueue();
  const webhookQueue = new RecordingQueue();
  const translateDeps: TranslateStageDeps = { uploads, repository, clock, publishQueue, engine: async () => new PseudoEngine(), memory: new InMemoryTranslationMemory(), prices: DEFAULT_PRICES };
  const publishDeps: PublishDeps = {
    uploads,
    repository,
    clock,
    distribution,
    feeds,
    publishQueue,
    webhookQueue,
    site: { baseUrl: 'https://news.example', title: 'Newsroom' },
    siteLanguages: ['en', 'de', 'fr'],
  };
  let sequencer = 0;
  const upload = async (text: string) => {
    await uploads.put('incoming/harbor-wind.txt', text, { contentType: 'text/plain' });
    return ingestObject({ uploads, repository, translateQueue, clock, targetLanguages: ['de', 'fr'] }, { bucket: 'uploads', key: 'incoming/harbor-wind.txt', sequencer: (++sequencer).toString(16).padStart(4, '0') });
  };
  /** Runs every queued translate job, then every queued publish job (one batch each), once. */
  const drainTranslate = async (deps: TranslateStageDeps = translateDeps) => {
    for (const job of translateQueue.messages.splice(0).map((m) => m.body as TranslateJob)) await translateJob(deps, job);
  };
  /** Runs the queued feed renders (the language feed groups' jobs) as one batch. */
  const renderFeeds = async () => {
    const renders = publishQueue.messages.filter((m) => (m.body as PublishJob).kind === 'render-feed');
    publishQueue.messages.splice(0, publishQueue.messages.length, ...publishQueue.messages.filter((m) => !renders.includes(m)));
    const batch = new PublishBatch();
    for (const message of renders) await publishJob(publishDeps, message.body as PublishJob, batch);
    return finishPublishBatch(publishDeps, batch);
  };
  /** Runs every queued publish job as one batch, then the feed renders it asked for. */
  const publishAll = async () => {
    const batch = new PublishBatch();
    const jobs = publishQueue.messages.splice(0).map((m) => m.body as PublishJob);
    const outcomes = [];
    for (const job of jobs) outcomes.push(await publishJob(publishDeps, job, batch));
    await finishPublishBatch(publishDeps, batch);
    await renderFeeds();
    return { jobs, outcomes };
  };
  const events = () => webhookQueue.bodies<WebhookJob>().map((w) => `${w.event.type} ${w.event.language} v${w.event.version}`);
  return { uploads, distribution, repository, feeds, clock, publishQueue, webhookQueue, translateDeps, publishDeps, upload, drainTranslate, publishAll, renderFeeds, events };
}

describe('translate → publish on port fakes', () => {
  it('publishes every language once: a re-delivered publish job changes nothing and announces nothing', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    await p.drainTranslate();
    const { jobs } = await p.publishAll();
    expect(p.events().sort()).toEqual(['release.published de v1', 'release.published en v1', 'release.published fr v1']);
    expect(p.distribution.text('de/releases/harbor-wind.html')).toContain('<html lang="de"');
    const before = new Map([...p.distribution.objects].map(([key, object]) => [key, object.body.join()]));

    // SQS delivers the same variant jobs again.
    const batch = new PublishBatch();
    for (const job of jobs.filter((j) => j.kind === 'variant')) {
      expect(await publishJob(p.publishDeps, job, batch)).toEqual({ kind: 'skipped', reason: 'already published' });
    }
    expect(p.events()).toHaveLength(3);
    for (const [key, object] of p.distribution.objects) if (!key.endsWith('index.html') && !key.includes('sitemap')) expect(object.body.join(), key).toBe(before.get(key));
  });

  it('carries at most MAX_EVENT_HEADLINE_CHARS of a huge headline in webhook events, so the delivery job fits one SQS message', async () => {
    const p = pipeline();
    const headline = 'Headline words '.repeat(10_000).trim();
    await p.upload(`${headline}\n\nBERGEN, Norway, Dec. 1, 2026 (SeaPRwire) -- Harbor Wind today opened its first offshore wind farm.\n`);
    await p.drainTranslate();
    await p.publishAll();
    const jobs = p.webhookQueue.bodies<WebhookJob>();
    expect(jobs).toHaveLength(3);
    for (const job of jobs) {
      expect(job.event.headline!.length).toBeLessThanOrEqual(MAX_EVENT_HEADLINE_CHARS);
      expect(job.event.headline!.endsWith('…')).toBe(true);
      expect(Buffer.byteLength(JSON.stringify(job))).toBeLessThan(262_144);
    }
    // The page keeps the whole headline.
    const page = [...p.distribution.objects.keys()].find((key) => key.startsWith('en/releases/') && key.endsWith('.html'))!;
    expect(p.distribution.text(page)).toContain(headline);
  });

  it('skips a late job for an older version once a correction is published, and marks it superseded', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    await p.drainTranslate();
    const firstJobs = p.publishQueue.messages.splice(0); // v1's publish jobs are delayed in the queue…
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm, of twelve turbines.'));
    await p.drainTranslate();
    await p.publishAll(); // …while v2 is published,
    p.publishQueue.messages.push(...firstJobs); // …and then arrive.
    const { outcomes } = await p.publishAll();
    expect(outcomes.filter((o) => o.kind === 'skipped').map((o) => (o as { reason: string }).reason)).toContain('version 2 is already published');
    expect((await p.repository.getVariant('harbor-wind', 1, 'de'))?.status).toBe('superseded');
    expect(p.distribution.text('en/releases/harbor-wind.html')).toContain('twelve turbines');
    expect(p.events().filter((e) => e.endsWith('v1'))).toEqual([]);
  });

  it('re-renders the published languages without a language that failed, once every language is final', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    // An engine that cannot translate into French: a final failure for fr, en and de translate.
    class NoFrench extends PseudoEngine {
      override supports(target: string): boolean {
        return target !== 'fr' && super.supports(target);
      }
    }
    await p.drainTranslate({ ...p.translateDeps, engine: async () => new NoFrench() });
    expect((await p.repository.getVariant('harbor-wind', 1, 'fr'))?.status).toBe('failed');
    await p.publishAll();
    // Both the failure and the last publication may ask; the FIFO queue's deduplication id keeps one each.
    const rerenders = new Map(p.publishQueue.messages.filter((m) => (m.body as PublishJob).kind === 'rerender').map((m) => [m.deduplicationId, (m.body as { language: string }).language]));
    expect([...rerenders.values()].sort()).toEqual(['de', 'en']);
    await p.publishAll();
    expect(p.distribution.text('de/releases/harbor-wind.html')).not.toContain('hreflang="fr"');
  });

  it('fails closed on an embargoed release when the deployment has no lifecycle store: nothing written, nothing announced', async () => {
    const p = pipeline();
    await expect(p.upload(`EMBARGOED UNTIL 9:00 a.m. EST, January 15, 2027\n\n${RELEASE('Harbor Wind today opened its first offshore wind farm.')}`)).rejects.toThrow(/held until/);
    expect(p.distribution.objects.size).toBe(0);
    expect(p.events()).toEqual([]);
  });

  it('publishes every language of a lift in one job: one batch, one feed render per language and one root rebuild request, sent together; a repeat changes nothing', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    await p.drainTranslate();
    p.publishQueue.messages.splice(0); // the lift job stands for the variant jobs
    const lift: PublishJob = { kind: 'lift', releaseId: 'harbor-wind', version: 1, languages: ['en', 'de', 'fr'] };
    const batch = new PublishBatch();
    const outcome = await publishJob(p.publishDeps, lift, batch);
    expect(outcome).toMatchObject({ kind: 'lifted', releaseId: 'harbor-wind', version: 1 });
    expect((outcome as { published: string[] }).published.sort()).toEqual(['de', 'en', 'fr']);
    const sends = p.publishQueue.sends;
    await finishPublishBatch(p.publishDeps, batch);
    const kinds = () => p.publishQueue.messages.map((m) => (m.body as PublishJob).kind);
    expect(kinds()).toEqual(['render-feed', 'render-feed', 'render-feed', 'rebuild-root']);
    expect(p.publishQueue.sends - sends).toBe(1);
    expect(new Set(p.publishQueue.messages.map((m) => m.groupId))).toEqual(new Set(['_feed.en', '_feed.de', '_feed.fr', '_root']));
    // The renders ask for nothing more: the root request went with them.
    await p.renderFeeds();
    expect(kinds()).toEqual(['rebuild-root']);
    expect(p.publishQueue.sends - sends).toBe(1);
    expect(p.distribution.text('de/feed.xml')).toContain('harbor-wind');
    expect([...batch.touched.keys()].sort()).toEqual(['de', 'en', 'fr']);
    expect(p.events().sort()).toEqual(['release.published de v1', 'release.published en v1', 'release.published fr v1']);
    expect(await publishJob(p.publishDeps, lift, new PublishBatch())).toMatchObject({ kind: 'lifted', published: [] });
    expect(p.events()).toHaveLength(3);
  });

  it('coalesces root rebuilds: a burst of publish batches sends one request, with their feed renders, and the one rebuild lists them all', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    await p.drainTranslate();
    // Each language's variant job in a batch of its own (its own message group), before any rebuild runs.
    const variantJobs = p.publishQueue.messages.splice(0).map((m) => m.body as PublishJob);
    expect(variantJobs).toHaveLength(3);
    const sends = p.publishQueue.sends;
    for (const job of variantJobs) {
      const batch = new PublishBatch();
      await publishJob(p.publishDeps, job, batch);
      await finishPublishBatch(p.publishDeps, batch);
    }
    const kinds = p.publishQueue.messages.map((m) => (m.body as PublishJob).kind);
    expect(kinds.filter((k) => k === 'render-feed')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'rebuild-root')).toHaveLength(1);
    // One send per batch: the root request travelled with the first batch's feed render.
    expect(p.publishQueue.sends - sends).toBe(3);
    const root = p.publishQueue.messages.find((m) => (m.body as PublishJob).kind === 'rebuild-root')!;
    expect(root.body).toMatchObject({ after: 0 });
    expect(root.deduplicationId).toBe('root.after.0');
    expect(await publishJob(p.publishDeps, root.body as PublishJob, new PublishBatch())).toMatchObject({ kind: 'root' });
    const sitemap = p.distribution.text('sitemap.xml')!;
    for (const language of ['en', 'de', 'fr']) expect(sitemap).toContain(`/${language}/releases/harbor-wind.html`);
    // Delivered again (SQS is at-least-once): the rebuild that ran covers it.
    expect(await publishJob(p.publishDeps, root.body as PublishJob, new PublishBatch())).toEqual({ kind: 'skipped', reason: 'a later root rebuild already ran' });
  });

  it('never loses a root rebuild asked for while one runs: a batch whose index write the running rebuild missed asks for the next', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    await p.drainTranslate();
    const jobs = p.publishQueue.messages.splice(0).map((m) => m.body as PublishJob);
    const [first, second] = [jobs.find((j) => 'language' in j && j.language === 'en')!, jobs.find((j) => 'language' in j && j.language === 'de')!];
    const runBatch = async (job: PublishJob, deps: PublishDeps = p.publishDeps) => {
      const batch = new PublishBatch();
      await publishJob(deps, job, batch);
      await finishPublishBatch(deps, batch);
    };
    await runBatch(first);
    const request = p.publishQueue.messages.find((m) => (m.body as PublishJob).kind === 'rebuild-root')!.body as PublishJob;
    // The rebuild has taken its number and read the index when the German batch writes and finishes
    // (the index hook runs it once, right after the rebuild's reads; German reads as it was before):
    // only the German batch's own request can bring German to the root.
    let interleaved = false;
    let rebuilding = false;
    const feeds = Object.assign(Object.create(p.feeds) as typeof p.feeds, {
      latest: async (feed: string, limit: number) => {
        const entries = await p.feeds.latest(feed, limit);
        if (rebuilding && !interleaved && feed === 'fr') {
          interleaved = true;
          await runBatch(second);
        }
        return rebuilding && interleaved && feed === 'de' ? entries.filter((e) => e.releaseId !== 'harbor-wind') : entries;
      },
    });
    p.publishQueue.messages.splice(0);
    rebuilding = true;
    expect(await publishJob({ ...p.publishDeps, feeds }, request, new PublishBatch())).toMatchObject({ kind: 'root' });
    rebuilding = false;
    expect(p.distribution.text('sitemap.xml')).not.toContain('/de/releases/harbor-wind.html');
    // The German batch saw rebuild 1 started and no request waiting for a later one: it asked.
    const next = p.publishQueue.messages.filter((m) => (m.body as PublishJob).kind === 'rebuild-root');
    expect(next.map((m) => m.body)).toContainEqual(expect.objectContaining({ after: 1 }));
    expect(await publishJob(p.publishDeps, next.find((m) => (m.body as { after?: number }).after === 1)!.body as PublishJob, new PublishBatch())).toMatchObject({ kind: 'root' });
    expect(p.distribution.text('sitemap.xml')).toContain('/de/releases/harbor-wind.html');
  });

  it('runs a root rebuild again when the one that took up its request crashed before completing', async () => {
    const p = pipeline();
    const request: PublishJob = { kind: 'rebuild-root', requestedAt: p.clock.now().toISOString(), after: 0 };
    await p.feeds.startRootBuild(); // a rebuild took number 1, then its invocation died
    expect(await publishJob(p.publishDeps, request, new PublishBatch())).toMatchObject({ kind: 'root' });
    expect(p.feeds.builds).toEqual({ started: 2, completed: 2, requested: 0 });
    expect(p.distribution.objects.has('index.html')).toBe(true);
  });

  it('sends an invalidating root request even while a plain one waits', async () => {
    const p = pipeline();
    await p.feeds.markRootRequested(1); // a plain request waits for rebuild 1
    const batch = new PublishBatch();
    batch.touch('en', []);
    batch.invalidate('en', ['en/releases/x.html']);
    await finishPublishBatch(p.publishDeps, batch);
    const roots = p.publishQueue.messages.filter((m) => (m.body as PublishJob).kind === 'rebuild-root');
    expect(roots.map((m) => [m.body, m.deduplicationId])).toEqual([[expect.objectContaining({ after: 0, invalidate: true }), 'root.after.0.invalidate']]);
    const plain = new PublishBatch();
    plain.touch('de', []);
    p.publishQueue.messages.splice(0);
    await finishPublishBatch(p.publishDeps, plain);
    expect(p.publishQueue.messages.map((m) => (m.body as PublishJob).kind)).toEqual(['render-feed']);
  });

  it('asks the bucket about no root file when this process ran the rebuild just before, and about every changed one otherwise', async () => {
    const p = pipeline();
    const rebuild = (after: number) => publishJob(p.publishDeps, { kind: 'rebuild-root', requestedAt: p.clock.now().toISOString(), after }, new PublishBatch());
    expect(await rebuild(0)).toMatchObject({ kind: 'root' });
    const calls = p.distribution.calls.length;
    // Rebuild 2 right after this process's rebuild 1: nothing changed, nothing asked, nothing written.
    expect(await rebuild(1)).toMatchObject({ kind: 'root', outputsWritten: 0 });
    expect(p.distribution.calls.slice(calls)).toEqual([]);
    // Another instance ran rebuild 3 (and may have written other bytes): rebuild 4 asks again, except about the stylesheet.
    await p.feeds.startRootBuild();
    await p.feeds.completeRootBuild(3);
    const before = p.distribution.calls.length;
    expect(await rebuild(3)).toMatchObject({ kind: 'root' });
    const heads = p.distribution.calls
      .slice(before)
      .filter((c) => c.op === 'head')
      .map((c) => c.key);
    expect(heads).toContain('index.html');
    expect(heads).not.toContain('assets/site.css');
  });
});
