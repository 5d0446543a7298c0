/**
 * The QA gate on the emulators, through the real handlers: a translation with a changed figure is
 * held under the default policy (not public, not announced, left out of the other languages'
 * hreflang and ninjs associations) while the other languages publish; `polywire review
 * --approve` (its core, `approveHeld`) publishes it and refreshes the siblings; a corrected human
 * translation uploaded with `--replace` (`uploadReplacement`) is checked and replaces a held one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTranslationMemory } from '../../../functions/adapters/dynamodb/translation-memory';
import { pseudoLocalize } from '../../../functions/adapters/pseudo/engine';
import { parseQaPolicy } from '../../../functions/config';
import { ingestObject } from '../../../functions/core/pipeline/ingest';
import { publishMessage } from '../../../functions/core/pipeline/jobs';
import { approveHeld, formatReview, reviewState, uploadReplacement } from '../../../functions/core/pipeline/review';
import { formatReleaseStatus, releaseStatus } from '../../../functions/core/pipeline/status';
import { translateJob } from '../../../functions/core/pipeline/translate';
import { paths } from '../../../functions/core/render';
import { DEFAULT_PRICES } from '../../../functions/adapters/engines/registry';
import type { WebhookJob } from '../../../functions/core/webhooks/event';
import type { EngineRequest, TranslationEngine } from '../../../functions/ports';
import { RecordingQueue, s3NotificationBody, startPipeline, steppingClock, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

/**
 * Test double of a machine-translation engine that changes a figure: the pseudo-localizer's text,
 * with `4,250` turned into `4,520` in German only, reported as machine output (pseudo output is
 * never held). Its words are no language, so the form checks and the date check fire on it too:
 * the tests run under `errors=flag, figures=hold` to hold on the figure alone.
 */
class FigureChangingEngine implements TranslationEngine {
  readonly name = 'figure-changing';
  readonly kind: 'machine' | 'pseudo' = 'machine';
  readonly maxRequestBytes = 10_000;
  supports(): boolean {
    return true;
  }
  async translate(request: EngineRequest): Promise<string[]> {
    return request.segments.map((segment) => {
      const text = pseudoLocalize(segment, request.targetLanguage);
      return request.targetLanguage === 'de' ? text.replace('4,250', '4,520') : text;
    });
  }
}

const LANGUAGES = ['en', 'de', 'fr', 'ja'];

/** A hand translation of `wireRelease({ headline: 'Acme opens a depot in Graz', extra: 'The plant will employ <figure> people from 2027.' })`. */
const germanDepot = (figure: string) =>
  [
    'Acme eröffnet ein Depot in Graz',
    '',
    '(SeaPRwire) – BERLIN, 26. November 2026 – Acme Robotics hat heute die Eröffnung eines Depots in Graz angekündigt, den nächsten Schritt seines Plans, Haushaltsroboter in jedes Zuhause in Europa zu bringen.',
    '',
    '„Das ist ein Meilenstein für unsere Kunden und unsere Partner“, sagte Jane Doe, Vorstandsvorsitzende von Acme Robotics. „Wir sind stolz auf das Team, das dies möglich gemacht hat.“',
    '',
    `Das Werk wird ab 2027 ${figure} Menschen beschäftigen.`,
    '',
    'Kategorie: Technologie, Robotik',
    '',
  ].join('\n');

const SITE = 'https://news.example.com';

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

/** Every distribution object mentioning the release's page in `language` (pages, feeds, sitemaps, ninjs). */
async function mentions(harness: PipelineHarness, id: string, language: string): Promise<string[]> {
  const needles = [paths.page(language, id), paths.ninjs(language, id)];
  const found: string[] = [];
  for await (const key of harness.distribution.list('')) {
    const body = (await text(harness, key)) ?? '';
    if (needles.some((n) => key === n || body.includes(n))) found.push(key);
  }
  return found.sort();
}

function webhooksOf(harness: PipelineHarness, id: string): string[] {
  return harness.queues.webhook
    .bodies<WebhookJob>()
    .filter((job) => job.event.releaseId === id)
    .map((job) => `${job.event.type} ${job.event.language}`)
    .sort();
}

/** The languages an article page's hreflang links and its ninjs associations list. */
async function siblingsListed(harness: PipelineHarness, id: string, language: string): Promise<{ hreflang: string[]; associations: string[] }> {
  const page = (await text(harness, paths.page(language, id)))!;
  const ninjs = JSON.parse((await text(harness, paths.ninjs(language, id)))!) as { associations?: Record<string, { language: string }> | Array<{ language: string }> };
  const hreflang = [...page.matchAll(/<link rel="alternate" hreflang="([^"]+)"/g)].map((m) => m[1]!).filter((l) => l !== 'x-default');
  const associations = Object.values(ninjs.associations ?? {}).map((a) => a.language);
  return { hreflang: [...new Set(hreflang)].sort(), associations: [...new Set(associations)].sort() };
}

describe('QA gate on the emulators', () => {
  let harness: PipelineHarness;
  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: LANGUAGES, engine: new FigureChangingEngine(), qaPolicy: parseQaPolicy('errors=flag, figures=hold') });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('holds a language with a changed figure while the others publish, then publishes it on approval and refreshes the siblings', async () => {
    const id = 'graz-plant';
    await harness.run(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline: 'Acme opens a plant in Graz', extra: 'The plant will employ 4,250 people from 2027.' })));

    const variants = Object.fromEntries((await harness.repository.listVariants(id, 1)).map((v) => [v.language, v]));
    expect(Object.fromEntries(Object.entries(variants).map(([l, v]) => [l, v.status]))).toEqual({ en: 'published', de: 'held', fr: 'published', ja: 'published' });
    expect(variants.de!.review).toMatchObject({ checks: ['figures'], contentHash: variants.de!.contentHash });
    expect(variants.de!.qa?.findings).toContainEqual(expect.objectContaining({ check: 'figures', severity: 'error', block: 'body[2]', message: expect.stringContaining('“4,250” became “4,520”') }));
    // The same double's other errors (dates, script, length) only flag: fr and ja published with them.
    expect(variants.fr!.qa?.errors).toBeGreaterThan(0);

    // Held: no page, ninjs, feed entry or sitemap entry anywhere, no webhook; the others do not list it.
    expect(await mentions(harness, id, 'de')).toEqual([]);
    expect(await mentions(harness, id, 'fr')).toContain(paths.page('fr', id));
    expect(webhooksOf(harness, id)).toEqual(['release.published en', 'release.published fr', 'release.published ja']);
    for (const language of ['en', 'fr', 'ja']) {
      expect(await siblingsListed(harness, id, language)).toEqual({ hreflang: ['en', 'fr', 'ja'], associations: expect.not.arrayContaining(['de']) });
    }
    const status = formatReleaseStatus((await releaseStatus(harness.repository, id))!);
    expect(status).toContain('1 held for QA review');
    expect(status).toMatch(/de\s+held/);
    expect(status).toContain('error figures body[2]');
    const review = formatReview(await reviewState(harness.repository, id));
    expect(review).toContain('held for QA review: de');
    expect(review).toContain(`polywire review ${id} de --approve`);

    // An approval naming other content than the held one (a newer translation arrived) does nothing.
    await harness.queues.publish.send([publishMessage({ kind: 'approve', releaseId: id, version: 1, language: 'de', contentHash: '0123456789abcdef' }, 'stale')]);
    await harness.run();
    expect((await harness.repository.getVariant(id, 1, 'de'))?.status).toBe('held');
    expect(await mentions(harness, id, 'de')).toEqual([]);

    // Approve: the job goes through the publish queue.
    const approved = await approveHeld({ repository: harness.repository, publishQueue: harness.queues.publish }, id, 'de', 'editor@example.com');
    expect(approved.queued).toBe(true);
    await harness.run();

    const de = await harness.repository.getVariant(id, 1, 'de');
    expect(de).toMatchObject({ status: 'published', review: { checks: ['figures'], approvedBy: 'editor@example.com', approvedAt: expect.any(String) } });
    expect(await mentions(harness, id, 'de')).toEqual(expect.arrayContaining([paths.page('de', id), paths.ninjs('de', id), 'de/feed.xml', 'sitemap.xml'].filter(Boolean)));
    expect(webhooksOf(harness, id)).toEqual(['release.published de', 'release.published en', 'release.published fr', 'release.published ja']);
    for (const language of LANGUAGES) {
      expect((await siblingsListed(harness, id, language)).hreflang).toEqual(['de', 'en', 'fr', 'ja']);
    }
    expect((await siblingsListed(harness, id, 'en')).associations).toContain('de');
    expect(await text(harness, paths.page('en', id))).toContain(`${SITE}/${paths.page('de', id)}`);

    // Idempotent: approving again queues nothing and announces nothing.
    const again = await approveHeld({ repository: harness.repository, publishQueue: harness.queues.publish }, id, 'de');
    expect(again).toEqual({ queued: false, message: `${id} v1 de is already published` });
    await harness.run();
    expect(webhooksOf(harness, id)).toHaveLength(4);
  });

  it('replaces a held translation with a corrected human one: checked, published, siblings refreshed; a replacement with the error stays held', async () => {
    const id = 'graz-depot';
    const source = wireRelease({ headline: 'Acme opens a depot in Graz', extra: 'The plant will employ 4,250 people from 2027.' });
    await harness.run(await harness.upload(`incoming/${id}.txt`, source));
    expect((await harness.repository.getVariant(id, 1, 'de'))?.status).toBe('held');

    const deliver = async (key: string) => {
      const object = await harness.uploads.head(key);
      expect(object).toBeDefined();
      await harness.run(s3NotificationBody({ bucket: harness.emulators.buckets.uploads, key, sequencer: harness.nextSequencer() }));
    };

    // A "correction" that still has a wrong figure is checked too, and stays held.
    const wrongKey = await uploadReplacement({ repository: harness.repository, uploads: harness.uploads }, id, 'de', { name: 'fixed.txt', bytes: new TextEncoder().encode(germanDepot('4.520')) });
    expect(wrongKey).toBe(`incoming/${id}.de.txt`);
    await deliver(wrongKey);
    expect(await harness.repository.getVariant(id, 1, 'de')).toMatchObject({ status: 'held', provenance: { kind: 'human' }, review: { checks: ['figures'] } });
    expect(await mentions(harness, id, 'de')).toEqual([]);

    await uploadReplacement({ repository: harness.repository, uploads: harness.uploads }, id, 'de', { name: 'fixed.txt', bytes: new TextEncoder().encode(germanDepot('4.250')) });
    await deliver(wrongKey);
    const de = await harness.repository.getVariant(id, 1, 'de');
    expect(de).toMatchObject({ status: 'published', provenance: { kind: 'human' }, qa: { errors: 0 } });
    expect(await text(harness, paths.page('de', id))).toContain('4.250 Menschen');
    expect(webhooksOf(harness, id)).toEqual(['release.published de', 'release.published en', 'release.published fr', 'release.published ja']);
    for (const language of LANGUAGES) {
      expect((await siblingsListed(harness, id, language)).hreflang).toEqual(['de', 'en', 'fr', 'ja']);
    }
  });

  it('holds a human translation with a changed figure for a language already public: its published page stays, and stays listed', async () => {
    const id = 'graz-lab';
    await harness.run(await harness.upload(`incoming/${id}.txt`, wireRelease({ headline: 'Acme opens a depot in Graz', extra: 'The plant will employ 4,350 people from 2027.' })));
    expect((await harness.repository.listVariants(id, 1)).map((v) => v.status)).toEqual(LANGUAGES.map(() => 'published'));
    const before = await text(harness, paths.page('de', id));

    await harness.run(await harness.upload(`incoming/${id}.de.txt`, germanDepot('4.530')));
    expect(await harness.repository.getVariant(id, 1, 'de')).toMatchObject({ status: 'held', provenance: { kind: 'human' }, review: { checks: ['figures'] } });
    expect(await text(harness, paths.page('de', id))).toBe(before);
    expect(webhooksOf(harness, id)).toEqual(['release.published de', 'release.published en', 'release.published fr', 'release.published ja']);
    for (const language of LANGUAGES) expect((await siblingsListed(harness, id, language)).hreflang).toEqual(['de', 'en', 'fr', 'ja']);
  });

  it('re-renders the pages published before a language was held, without it', async () => {
    const id = 'graz-late';
    const key = `incoming/${id}.txt`;
    const event = JSON.parse(await harness.upload(key, wireRelease({ headline: 'Acme opens a school in Graz', extra: 'The plant will employ 4,250 people from 2027.' }))).Records[0].s3.object;
    const translateJobs = new RecordingQueue(false);
    await ingestObject(
      { uploads: harness.uploads, repository: harness.repository, translateQueue: translateJobs, clock: harness.clock, targetLanguages: LANGUAGES },
      { bucket: harness.emulators.buckets.uploads, key, sequencer: event.sequencer },
    );
    const jobs = translateJobs.sent.filter((m) => (m.body as { releaseId: string }).releaseId === id);
    // The other languages publish first, while German is still pending: their pages list it.
    await harness.queues.translate.send(jobs.filter((m) => (m.body as { language: string }).language !== 'de'));
    await harness.run();
    expect((await siblingsListed(harness, id, 'en')).hreflang).toEqual(['de', 'en', 'fr', 'ja']);

    await harness.queues.translate.send(jobs.filter((m) => (m.body as { language: string }).language === 'de'));
    await harness.run();
    expect((await harness.repository.getVariant(id, 1, 'de'))?.status).toBe('held');
    for (const language of ['en', 'fr', 'ja']) {
      expect(await siblingsListed(harness, id, language)).toEqual({ hreflang: ['en', 'fr', 'ja'], associations: expect.not.arrayContaining(['de']) });
    }
    expect(await mentions(harness, id, 'de')).toEqual([]);
  });

  it('never holds pseudo-localized output: a changed figure in it is recorded, and checks that cannot apply to it say so', async () => {
    const key = 'incoming/qa-figure.txt';
    const body = wireRelease({ headline: 'Acme opens a plant in Linz', extra: 'The plant will employ 4,250 people from 2027.' });
    const event = JSON.parse(await harness.upload(key, body)).Records[0].s3.object;
    const clock = steppingClock(Date.parse('2026-11-26T13:00:00Z'));
    await ingestObject(
      { uploads: harness.uploads, repository: harness.repository, translateQueue: new RecordingQueue(false), clock, targetLanguages: ['en', 'de'] },
      { bucket: harness.emulators.buckets.uploads, key, sequencer: event.sequencer },
    );
    const memory = new DynamoDbTranslationMemory({
      client: DynamoDBDocumentClient.from(new DynamoDBClient(harness.emulators.dynamoClientConfig())),
      tableName: harness.emulators.tableName,
    });
    const publishQueue = new RecordingQueue(true);
    const pseudo = Object.assign(new FigureChangingEngine(), { kind: 'pseudo' as const });
    // The default policy (figures hold) and no qaPolicy given: still not held, because it is pseudo.
    const outcome = await translateJob(
      { uploads: harness.uploads, repository: harness.repository, publishQueue, clock, engine: async () => pseudo, memory, prices: DEFAULT_PRICES },
      { releaseId: 'qa-figure', version: 1, language: 'de' },
      1,
    );
    expect(outcome.kind).toBe('translated');
    const record = await harness.repository.getVariant('qa-figure', 1, 'de');
    expect(record?.status).toBe('translated');
    expect(record?.review).toBeUndefined();
    expect(record?.qa?.errors).toBe(1);
    expect(record?.qa?.findings).toEqual([expect.objectContaining({ check: 'figures', severity: 'error', block: 'body[2]', message: expect.stringContaining('“4,250” became “4,520”') })]);
    expect(record?.qa?.notApplicable).toEqual(['untranslated', 'script', 'length', 'dates']);
    expect(publishQueue.bodies()).toEqual([expect.objectContaining({ kind: 'variant', language: 'de' })]);
    const status = formatReleaseStatus((await releaseStatus(harness.repository, 'qa-figure'))!);
    expect(status).toContain('QA: 1 error, 0 warnings');
    expect(status).toContain('error figures body[2]');
  });
});
