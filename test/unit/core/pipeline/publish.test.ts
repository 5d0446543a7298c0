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

  it('publishes every language of a lift in one job: one batch, one feed render per language, coalesced into one root rebuild request; a repeat changes nothing', async () => {
    const p = pipeline();
    await p.upload(RELEASE('Harbor Wind today opened its first offshore wind farm.'));
    await p.drainTranslate();
    p.publishQueue.messages.splice(0); // the lift job stands for the variant jobs
    const lift: PublishJob = { kind: 'lift', releaseId: 'harbor-wind', version: 1, languages: ['en', 'de', 'fr'] };
    const batch = new PublishBatch();
    const outcome = await publishJob(p.publishDeps, lift, batch);
    expect(outcome).toMatchObject({ kind: 'lifted', releaseId: 'harbor-wind', version: 1 });
    expect((outcome as { published: string[] }).published.sort()).toEqual(['de', 'en', 'fr']);
    await finishPublishBatch(p.publishDeps, batch);
    const kinds = () => p.publishQueue.messages.map((m) => (m.body as PublishJob).kind);
    expect(kinds()).toEqual(['render-feed', 'render-feed', 'render-feed']);
    expect(new Set(p.publishQueue.messages.map((m) => m.groupId))).toEqual(new Set(['_feed.en', '_feed.de', '_feed.fr']));
    await p.renderFeeds();
    expect(kinds()).toEqual(['rebuild-root']);
    expect(p.distribution.text('de/feed.xml')).toContain('harbor-wind');
    expect([...batch.touched.keys()].sort()).toEqual(['de', 'en', 'fr']);
    expect(p.events().sort()).toEqual(['release.published de v1', 'release.published en v1', 'release.published fr v1']);
    expect(await publishJob(p.publishDeps, lift, new PublishBatch())).toMatchObject({ kind: 'lifted', published: [] });
    expect(p.events()).toHaveLength(3);
  });

  it('coalesces root rebuilds: a request older than the last build is skipped', async () => {
    const p = pipeline();
    const requestedAt = p.clock.now().toISOString();
    p.clock.advance(1_000);
    const batch = new PublishBatch();
    expect(await publishJob(p.publishDeps, { kind: 'rebuild-root', requestedAt }, batch)).toMatchObject({ kind: 'root' });
    expect(await publishJob(p.publishDeps, { kind: 'rebuild-root', requestedAt }, batch)).toEqual({ kind: 'skipped', reason: 'a later root rebuild already ran' });
    expect(p.distribution.objects.has('index.html')).toBe(true);
  });
});
