/**
 * Embargo, schedule and withdrawal through the real handlers on the emulators: before the lift
 * every object of the distribution bucket is read and searched for any trace of the release; at
 * the lift every language, feed and sitemap appears; a withdrawal reaches every language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishMessage } from '../../../functions/core/pipeline/jobs';
import type { WebhookJob } from '../../../functions/core/webhooks/event';
import type { LifecycleJob } from '../../../functions/core/lifecycle';
import { BULK_LANE_BLOCKS } from '../../../functions/core/pipeline/jobs';
import { FailingEngine, startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const LANGUAGES = ['en', 'de', 'fr', 'ja'];

function embargoed(until: string, headline: string): string {
  return [`EMBARGOED UNTIL ${until}`, '', wireRelease({ headline, categories: ['Energy'] })].join('\n');
}

async function allObjects(harness: PipelineHarness): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  for await (const key of harness.distribution.list('')) {
    objects.set(key, new TextDecoder().decode((await harness.distribution.get(key))!.body));
  }
  return objects;
}

/** Keys and bodies mentioning any of the needles (case-insensitive). */
async function traces(harness: PipelineHarness, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const [key, body] of await allObjects(harness)) {
    const haystack = `${key}\n${body}`.toLowerCase();
    for (const needle of needles) if (haystack.includes(needle.toLowerCase())) found.push(`${key}: ${needle}`);
  }
  return found;
}

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

function webhooksOf(harness: PipelineHarness, id: string): string[] {
  return harness.queues.webhook
    .bodies<WebhookJob>()
    .filter((job) => job.event.releaseId === id)
    .map((job) => `${job.event.type} ${job.event.language}`)
    .sort();
}

async function sendLifecycle(harness: PipelineHarness, job: LifecycleJob): Promise<void> {
  await harness.queues.lifecycle.send([{ body: job }]);
  await harness.run();
}

/** Feeds, indexes, root page and sitemaps: everything that lists releases. */
const LISTINGS = /(^|\/)(feed\.xml|atom\.xml|feed\.json|index\.html)$|sitemap\.xml$/;

describe('release lifecycle on the emulators', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: LANGUAGES });
    // A public release first, so that feeds, indexes, root page and sitemaps exist to be searched.
    await harness.run(await harness.upload('incoming/public-neighbour.txt', wireRelease({ headline: 'Neighbour opens a depot' })));
    // An ordinary first publication invalidates nothing: its lists expire within a minute anyway.
    expect(harness.cdn.requests).toEqual([]);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('holds an embargoed release: translated ahead, nothing of it in any object or webhook, until the lift makes every language public at once', async () => {
    const id = 'kestrel-embargo';
    const headline = 'Kestrel opens a battery campus';
    await harness.run(await harness.upload(`incoming/${id}.txt`, embargoed('12:00 UTC, November 26, 2026', headline)));

    const variants = await harness.repository.listVariants(id, 1);
    expect(variants.map((v) => v.status)).toEqual(LANGUAGES.map(() => 'translated'));
    expect(await harness.lifecycle.get(id)).toMatchObject({ state: 'held', hold: { kind: 'embargo', until: '2026-11-26T12:00:00.000Z' } });
    const before = await allObjects(harness);
    expect(before.size).toBeGreaterThan(10);
    expect(await traces(harness, [id, headline, 'battery campus'])).toEqual([]);
    // Only `release.embargoed` (the deliver stage gives it to opted-in subscriptions alone), with
    // the full text inline as withheld ninjs and the instant of the lift.
    expect(webhooksOf(harness, id)).toEqual(LANGUAGES.map((l) => `release.embargoed ${l}`).sort());
    for (const { event } of harness.queues.webhook.bodies<WebhookJob>().filter((job) => job.event.releaseId === id)) {
      expect(event.embargoedUntil).toBe('2026-11-26T12:00:00.000Z');
      expect(event.ninjs).toMatchObject({ pubStatus: 'withheld', embargoedUntil: '2026-11-26T12:00:00.000Z', language: event.language });
      expect(JSON.stringify(event.ninjs)).toContain(JSON.stringify(event.headline));
    }
    expect(harness.cdn.requests).toEqual([]);

    harness.clock.advanceTo('2026-11-26T12:00:00Z');
    await harness.run();
    // The lift invalidates the pages (a CDN may hold a 404 for them), the feeds and the root pages.
    const invalidated = harness.cdn.paths();
    for (const language of LANGUAGES) {
      expect(invalidated, language).toContain(`/${language}/releases/${id}.html`);
      expect(invalidated, language).toContain(`/${language}/feed.xml`);
      // The category feed (its name, and so its path, is translated).
      expect(
        [...invalidated].some((path) => new RegExp(`^/${language}/categories/[^/]+/feed\\.xml$`).test(path)),
        language,
      ).toBe(true);
    }
    for (const root of ['/', '/index.html', '/sitemap.xml', '/news-sitemap.xml']) expect(invalidated).toContain(root);
    expect([...invalidated].every((path) => path.startsWith('/') && !path.includes('*'))).toBe(true);

    const lifted = (await harness.lifecycle.get(id))!;
    expect(lifted.state).toBe('public');
    expect(Date.parse(lifted.liftedAt!)).toBeGreaterThanOrEqual(Date.parse('2026-11-26T12:00:00Z'));
    for (const language of LANGUAGES) {
      const page = await text(harness, `${language}/releases/${id}.html`);
      expect(page, language).toContain('<html');
      // The date rule: every language ready at the lift shows the lift as its publication time.
      expect(page, language).toContain(`datetime="${lifted.liftedAt}"`);
      const ninjs = JSON.parse((await text(harness, `${language}/releases/${id}.json`))!);
      expect(ninjs.pubStatus).toBe('usable');
      expect(ninjs.firstCreated).toBe(lifted.liftedAt);
      expect(await text(harness, `${language}/feed.xml`), language).toContain(id);
    }
    expect(await text(harness, 'sitemap.xml')).toContain(id);
    expect(await text(harness, 'index.html')).toContain(id);
    expect(webhooksOf(harness, id)).toEqual(LANGUAGES.flatMap((l) => [`release.embargoed ${l}`, `release.published ${l}`]).sort());
  });

  it('reschedules on a new embargo time (the old lift does nothing), keeps a correction under embargo, and lifts on the new time', async () => {
    const id = 'reschedule';
    await harness.run(await harness.upload(`incoming/${id}.txt`, embargoed('13:00 UTC, November 26, 2026', 'First embargoed draft')));
    await harness.run(await harness.upload(`incoming/${id}.txt`, embargoed('14:00 UTC, November 26, 2026', 'Corrected embargoed draft')));
    expect((await harness.lifecycle.get(id))?.hold?.until).toBe('2026-11-26T14:00:00.000Z');

    harness.clock.advanceTo('2026-11-26T13:00:30Z');
    await harness.run();
    expect((await harness.lifecycle.get(id))?.state).toBe('held');
    expect(await traces(harness, [id, 'embargoed draft'])).toEqual([]);

    harness.clock.advanceTo('2026-11-26T14:00:00Z');
    await harness.run();
    const page = await text(harness, `de/releases/${id}.html`);
    expect(page).toBeDefined();
    expect(await text(harness, `en/releases/${id}.html`)).toContain('Corrected embargoed draft');
    expect(webhooksOf(harness, id).filter((e) => e.startsWith('release.published'))).toHaveLength(LANGUAGES.length);
  });

  it('lifts at once when the release is uploaded again without the embargo, and on `lift` without a time', async () => {
    const id = 'early-lift';
    await harness.run(await harness.upload(`incoming/${id}.txt`, embargoed('09:00 UTC, November 30, 2026', 'Early lift story')));
    expect((await harness.lifecycle.get(id))?.state).toBe('held');
    await harness.run(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline: 'Early lift story' })));
    expect((await harness.lifecycle.get(id))?.state).toBe('public');
    expect(await text(harness, `fr/releases/${id}.html`)).toContain('<html');

    const manual = 'manual-lift';
    await harness.run(await harness.upload(`incoming/${manual}.txt`, embargoed('09:00 UTC, November 30, 2026', 'Manual lift story')));
    expect(await text(harness, `en/releases/${manual}.html`)).toBeUndefined();
    await sendLifecycle(harness, { kind: 'lift', releaseId: manual });
    expect(await text(harness, `en/releases/${manual}.html`)).toContain('<html');
  });

  it('withdraws a published release in every language: notice pages, canceled ninjs, gone from every listing, a webhook per language; twice changes nothing', async () => {
    const id = 'withdraw-me';
    const headline = 'Robot recall announced by mistake';
    await harness.run(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline, categories: ['Recalls'] })));
    expect(await text(harness, `de/feed.xml`)).toContain(id);

    const requestsBefore = harness.cdn.requests.length;
    await sendLifecycle(harness, { kind: 'withdraw', releaseId: id, reason: 'Issued in error' });

    const invalidated = new Set(harness.cdn.requests.slice(requestsBefore).flatMap((request) => request.paths));
    for (const language of LANGUAGES) {
      for (const path of [`/${language}/releases/${id}.html`, `/${language}/releases/${id}.json`, `/${language}/feed.xml`, `/${language}/atom.xml`, `/${language}/feed.json`, `/${language}/index.html`]) {
        expect(invalidated, path).toContain(path);
      }
      expect(
        [...invalidated].some((path) => new RegExp(`^/${language}/categories/[^/]+/feed\\.xml$`).test(path)),
        language,
      ).toBe(true);
    }
    for (const root of ['/', '/index.html', '/sitemap.xml', '/news-sitemap.xml']) expect(invalidated).toContain(root);
    for (const language of LANGUAGES) {
      const page = (await text(harness, `${language}/releases/${id}.html`))!;
      expect(page).toContain('<meta name="robots" content="noindex, nofollow">');
      expect(page).toContain('Issued in error');
      expect(page).not.toContain(headline);
      const ninjs = JSON.parse((await text(harness, `${language}/releases/${id}.json`))!);
      expect(ninjs.pubStatus).toBe('canceled');
    }
    const listed = [...(await allObjects(harness))].filter(([key, body]) => LISTINGS.test(key) && body.includes(id)).map(([key]) => key);
    expect(listed).toEqual([]);
    const withdrawn = harness.queues.webhook.bodies<WebhookJob>().filter((j) => j.event.releaseId === id && j.event.type === 'release.withdrawn');
    expect(withdrawn.map((j) => j.event.language).sort()).toEqual([...LANGUAGES].sort());
    expect(withdrawn.every((j) => j.event.reason === 'Issued in error')).toBe(true);

    const snapshot = await allObjects(harness);
    const webhooks = harness.queues.webhook.sent.length;
    await sendLifecycle(harness, { kind: 'withdraw', releaseId: id, reason: 'Issued in error' });
    expect(await allObjects(harness)).toEqual(snapshot);
    expect(harness.queues.webhook.sent.length).toBe(webhooks);

    // An older publish job arriving after the withdrawal does not bring the page back.
    await harness.queues.publish.send([publishMessage({ kind: 'variant', releaseId: id, version: 1, language: 'de' }, 'replayed')]);
    await harness.run();
    expect(await text(harness, `de/releases/${id}.html`)).toContain('noindex');
    expect(await allObjects(harness)).toEqual(snapshot);
  });

  it('withdraws an embargoed release before its lift: nothing is ever public, not even after the instant', async () => {
    const id = 'withdrawn-under-embargo';
    await harness.run(await harness.upload(`incoming/${id}.txt`, embargoed('16:00 UTC, November 26, 2026', 'Never to be seen')));
    await sendLifecycle(harness, { kind: 'withdraw', releaseId: id, reason: 'Deal called off' });
    harness.clock.advanceTo('2026-11-26T16:00:00Z');
    await harness.run();
    await sendLifecycle(harness, { kind: 'lift', releaseId: id });
    expect(await traces(harness, [id, 'Never to be seen'])).toEqual([]);
    // Trusted subscribers had it early; they (and, by the recipient log, only they) are told it is withdrawn.
    expect(webhooksOf(harness, id)).toEqual(LANGUAGES.flatMap((l) => [`release.embargoed ${l}`, `release.withdrawn ${l}`]).sort());
    const withdrawals = harness.queues.webhook.bodies<WebhookJob>().filter((job) => job.event.releaseId === id && job.event.type === 'release.withdrawn');
    expect(withdrawals.every((job) => job.event.wasPublic === false && job.event.reason === 'Deal called off')).toBe(true);
    // A later upload of a withdrawn release is recorded, never published.
    await harness.run(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline: 'Never to be seen, again' })));
    expect(await traces(harness, [id])).toEqual([]);
  });

  it('takes a withdrawal control file from incoming/ and rejects one naming an unknown release', async () => {
    const id = 'control-file';
    await harness.run(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline: 'Control file story' })));
    await harness.run(await harness.upload('incoming/pull it.withdraw.json', JSON.stringify({ id, reason: 'Legal request' })));
    expect((await harness.repository.getSource('incoming/pull it.withdraw.json'))?.status).toBe('processed');
    expect(JSON.parse((await text(harness, `ja/releases/${id}.json`))!).pubStatus).toBe('canceled');
    expect((await harness.lifecycle.get(id))?.withdrawnReason).toBe('Legal request');

    await harness.run(await harness.upload('incoming/typo.withdraw.json', JSON.stringify({ id: 'no-such-release', reason: 'x' })));
    const rejected = await harness.repository.getSource('incoming/typo.withdraw.json');
    expect(rejected?.status).toBe('rejected');
    expect(rejected?.error).toMatchObject({ code: 'RELEASE_UNKNOWN' });
    expect(await harness.repository.getRelease('typo-withdraw')).toBeUndefined();
  });
});

describe('release lifecycle with EMBARGO_TRANSLATION=at-lift', () => {
  let harness: PipelineHarness;
  const engine = new FailingEngine();

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de', 'fr'], translateAhead: false, engine });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('keeps the embargoed text away from the engine until the lift, which sends the translate jobs', async () => {
    const id = 'at-lift-embargo';
    await harness.run(await harness.upload(`incoming/${id}.txt`, embargoed('12:00 UTC, November 26, 2026', 'Osprey signs a grid deal')));
    expect(engine.calls).toBe(0);
    expect((await harness.lifecycle.get(id))?.state).toBe('held');
    expect(harness.queues.translate.bodies<{ releaseId: string }>().filter((job) => job.releaseId === id)).toEqual([]);

    harness.clock.advanceTo('2026-11-26T12:00:00Z');
    await harness.run();
    expect(engine.calls).toBeGreaterThan(0);
    for (const language of ['en', 'de', 'fr']) expect(await text(harness, `${language}/releases/${id}.html`), language).toContain('<html');
  });

  it('sends a bulk release’s translate jobs to the bulk lane at the lift, as ingest would have', async () => {
    const id = 'at-lift-annex';
    const annex = Array.from({ length: BULK_LANE_BLOCKS + 50 }, (_, i) => `Line ${i + 1} of the grid annex.`).join('\n\n');
    await harness.run(await harness.upload(`incoming/${id}.txt`, `EMBARGOED UNTIL 13:00 UTC, November 26, 2026\n\nOsprey files its grid annex\n\n${annex}\n`));
    const jobsOf = (queue: PipelineHarness['queues']['translate']) => queue.bodies<{ releaseId: string; language: string }>().filter((job) => job.releaseId === id);
    expect((await harness.lifecycle.get(id))?.state).toBe('held');
    expect(jobsOf(harness.queues.translateBulk)).toEqual([]);

    harness.clock.advanceTo('2026-11-26T13:00:00Z');
    await harness.run();
    expect(
      jobsOf(harness.queues.translateBulk)
        .map((job) => job.language)
        .sort(),
    ).toEqual(['de', 'en', 'fr']);
    expect(jobsOf(harness.queues.translate)).toEqual([]);
    for (const language of ['en', 'de', 'fr']) expect(await text(harness, `${language}/releases/${id}.html`), language).toContain('<html');
  });
});
