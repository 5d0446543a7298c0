import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { objectKeys } from '../../../functions/core/pipeline/keys';
import { deriveReleaseId } from '../../../functions/core/parse';
import type { WebhookJob } from '../../../functions/core/webhooks/event';
import { FailingEngine, RecordingQueue, startPipeline, steppingClock, S3_TEST_EVENT_BODY, stubCliEnvironment, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const LANGUAGES = ['en', 'de', 'fr', 'ja'];

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

async function snapshot(harness: PipelineHarness): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for await (const key of harness.distribution.list('')) result.set(key, (await harness.distribution.head(key))!.etag ?? '');
  return result;
}

function hreflangs(html: string): string[] {
  return [...html.matchAll(/<link[^>]*rel="alternate"[^>]*hreflang="([^"]+)"/g)].map((m) => m[1]!).sort();
}

describe('pipeline: ingest → translate → publish on the emulators', () => {
  let harness: PipelineHarness;
  const engine = new FailingEngine(new Set(['ja']));

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: LANGUAGES, engine });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('processes the same S3 event three times into one release, one version, one set of variants and the same outputs', async () => {
    const key = 'incoming/acme launch.txt';
    const event = await harness.upload(key, wireRelease({ headline: 'Acme launches the Robo 3000' }));
    await harness.run(event, event);
    const id = 'acme-launch';
    const before = await snapshot(harness);
    const webhooksBefore = harness.queues.webhook.sent.length;
    await harness.run(event);

    expect(await harness.repository.listVersions(id)).toHaveLength(1);
    const variants = await harness.repository.listVariants(id, 1);
    expect(variants.map((v) => v.language).sort()).toEqual([...LANGUAGES].sort());
    expect(
      variants
        .filter((v) => v.status === 'published')
        .map((v) => v.language)
        .sort(),
    ).toEqual(['de', 'en', 'fr']);
    expect(await snapshot(harness)).toEqual(before);
    expect(harness.queues.webhook.sent.length).toBe(webhooksBefore);
    expect((await harness.repository.getSource(key))?.status).toBe('processed');
  });

  it('ignores the s3:TestEvent S3 sends when notifications are configured', async () => {
    const responses = harness.ingestResponses.length;
    await harness.run(S3_TEST_EVENT_BODY);
    expect(harness.ingestResponses[responses]).toEqual({ batchItemFailures: [] });
  });

  it('publishes the other languages when one engine language fails, and hreflang leaves it out', async () => {
    const id = 'acme-launch';
    const ja = await harness.repository.getVariant(id, 1, 'ja');
    expect(ja?.status).toBe('failed');
    expect(ja?.error?.code).toBe('ENGINE_UNAVAILABLE');
    expect(ja?.error?.message).toMatch(/ja is unavailable/);
    for (const language of ['en', 'de', 'fr']) {
      const html = await text(harness, `${language}/releases/${id}.html`);
      expect(html, language).toBeDefined();
      const tags = hreflangs(html!);
      expect(tags).not.toContain('ja');
      expect(tags).toEqual(expect.arrayContaining(['de', 'en', 'fr']));
    }
    expect(await text(harness, `ja/releases/${id}.html`)).toBeUndefined();
    const webhooks = harness.queues.webhook.bodies<WebhookJob>().filter((j) => j.event.releaseId === id);
    expect(webhooks.map((j) => `${j.event.type} ${j.event.language}`).sort()).toEqual(['release.published de', 'release.published en', 'release.published fr']);
  });

  it('processes keys with spaces, +, %, umlauts and CJK', async () => {
    const keys = ['incoming/Pressemitteilung März+Q1 100%.txt', 'incoming/発表 2026.md'];
    const events = [
      await harness.upload(keys[0]!, wireRelease({ headline: 'Quarterly results for March', company: 'Müller AG' })),
      await harness.upload(keys[1]!, `# Tokyo office opens\n\nThe company opened its new Tokyo office today, with room for two hundred engineers and a showroom for customers.\n`),
    ];
    await harness.run(...events);
    for (const key of keys) {
      const source = await harness.repository.getSource(key);
      expect(source?.status, key).toBe('processed');
      const id = source!.releaseId!;
      expect(id).toBe(deriveReleaseId(key));
      expect(await harness.uploads.head(objectKeys.release(id, 1)), key).toBeDefined();
      expect(await text(harness, `en/releases/${id}.html`), key).toContain('<html');
    }
  });

  it('quarantines a bad file with an error that says what to fix, and lets the good file in the same batch through', async () => {
    const bad = 'incoming/broken release.txt';
    const good = 'incoming/good-neighbour.txt';
    const events = [await harness.upload(bad, '   \n\n'), await harness.upload(good, wireRelease({ headline: 'Good neighbour ships on time' }))];
    const responses = harness.ingestResponses.length;
    await harness.run(...events);

    expect(harness.ingestResponses[responses]).toEqual({ batchItemFailures: [] });
    const quarantined = objectKeys.quarantine(bad);
    expect(quarantined.copy).toBe('quarantine/broken release.txt');
    expect(await harness.uploads.head(quarantined.copy)).toBeDefined();
    const report = JSON.parse(new TextDecoder().decode((await harness.uploads.get(quarantined.error))!.body));
    expect(report.key).toBe(bad);
    expect(report.error).toMatchObject({ name: 'ParseError', code: 'NO_HEADLINE', location: { file: bad } });
    expect(report.error.hint).toMatch(/headline/);
    const source = await harness.repository.getSource(bad);
    expect(source?.status).toBe('rejected');
    expect(source?.error).toMatchObject({ code: 'NO_HEADLINE' });

    expect((await harness.repository.getSource(good))?.status).toBe('processed');
    expect(await text(harness, 'de/releases/good-neighbour.html')).toContain('<html');
  });

  it('lets the newer content win when an older event for the same key arrives after a newer one', async () => {
    const key = 'incoming/ordering.txt';
    const older = await harness.upload(key, wireRelease({ headline: 'First draft of the announcement' }));
    const newer = await harness.upload(key, wireRelease({ headline: 'Final announcement of the robot' }));
    await harness.run(newer);
    const translateJobs = harness.queues.translate.sent.length;
    await harness.run(older);

    const source = await harness.repository.getSource(key);
    const newerSequencer = JSON.parse(newer).Records[0].s3.object.sequencer as string;
    expect(source?.sequencer.replace(/0+$/, '')).toBe(newerSequencer.replace(/0+$/, ''));
    expect(source?.status).toBe('processed');
    expect(harness.queues.translate.sent.length).toBe(translateJobs);
    expect(await harness.repository.listVersions('ordering')).toHaveLength(1);
    expect(await text(harness, 'en/releases/ordering.html')).toContain('Final announcement of the robot');
  });

  it('publishes a correction as version 2 under the same feed GUID with a new updated time, and never lets version 1 overwrite it', async () => {
    const key = 'incoming/correction.txt';
    const id = 'correction';
    await harness.run(await harness.upload(key, wireRelease({ headline: 'Acme opens a plant in Leipzig' })));
    const first = (await harness.feeds.latest('de', 50)).find((e) => e.releaseId === id)!;
    expect(first.version).toBe(1);

    await harness.run(await harness.upload(key, wireRelease({ headline: 'Acme opens a plant in Dresden' })));
    expect((await harness.repository.listVersions(id)).map((v) => v.version)).toEqual([1, 2]);
    const second = (await harness.feeds.latest('de', 50)).filter((e) => e.releaseId === id);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ version: 2, publishedAt: first.publishedAt });
    expect(Date.parse(second[0]!.updatedAt)).toBeGreaterThan(Date.parse(first.updatedAt));
    const rss = (await text(harness, 'de/feed.xml'))!;
    expect(rss.split(`urn:polywire:${id}:de`).length - 1).toBe(1);
    const updated = harness.queues.webhook.bodies<WebhookJob>().filter((j) => j.event.releaseId === id && j.event.version === 2);
    expect(updated.map((j) => j.event.type)).toEqual(['release.updated', 'release.updated', 'release.updated']);

    // A late re-drive of version 1 (e.g. from the dead-letter queue) changes nothing.
    const { publishMessage } = await import('../../../functions/core/pipeline/jobs');
    await harness.queues.publish.send([publishMessage({ kind: 'variant', releaseId: id, version: 1, language: 'en' }, 'late')]);
    await harness.run();
    expect(await text(harness, `en/releases/${id}.html`)).toMatch(/Dresden/);
    expect(await text(harness, `en/releases/${id}.html`)).not.toMatch(/Leipzig/);
    expect((await harness.repository.getPublication(id, 'en'))?.version).toBe(2);
    expect((await harness.feeds.latest('en', 50)).find((e) => e.releaseId === id)?.version).toBe(2);
    // Version 1 was published in en: the late job does not rewrite its history as superseded.
    expect((await harness.repository.getVariant(id, 1, 'en'))?.status).toBe('published');
  });

  it('runs the version completion again on an already-published job, so a crash before it still re-renders without the failed language', async () => {
    const { publishJob, PublishBatch } = await import('../../../functions/core/pipeline/publish');
    const publishQueue = new RecordingQueue(true);
    const outcome = await publishJob(
      {
        uploads: harness.uploads,
        distribution: harness.distribution,
        repository: harness.repository,
        feeds: harness.feeds,
        publishQueue,
        webhookQueue: new RecordingQueue(false),
        clock: steppingClock(Date.parse('2026-11-26T12:00:00Z')),
        site: { baseUrl: 'https://news.example.com', title: 'polywire test newsroom' },
        siteLanguages: LANGUAGES,
      },
      { kind: 'variant', releaseId: 'acme-launch', version: 1, language: 'en' },
      new PublishBatch(),
    );
    expect(outcome).toEqual({ kind: 'skipped', reason: 'already published' });
    expect(publishQueue.bodies()).toEqual(expect.arrayContaining(['en', 'de', 'fr'].map((language) => ({ kind: 'rerender', releaseId: 'acme-launch', version: 1, language }))));
  });

  it('lets a human translation uploaded beside the release win for its language', async () => {
    const release = `# Acme hires a new chief engineer\n\nAcme Robotics today named Maria Lopez its new chief engineer, responsible for the design of every household robot the company builds.\n`;
    const french = `# Acme nomme une nouvelle ingénieure en chef\n\nAcme Robotics a nommé aujourd’hui Maria Lopez ingénieure en chef, responsable de la conception de tous les robots domestiques de l’entreprise.\n`;
    // Translation after the release: the published machine variant is replaced.
    await harness.run(await harness.upload('incoming/chief-engineer.md', release));
    expect((await harness.repository.getVariant('chief-engineer', 1, 'fr'))?.provenance?.kind).toBe('pseudo');
    await harness.run(await harness.upload('incoming/chief-engineer.fr.md', french));
    const fr = await harness.repository.getVariant('chief-engineer', 1, 'fr');
    expect(fr).toMatchObject({ status: 'published', provenance: { kind: 'human' } });
    expect(await text(harness, 'fr/releases/chief-engineer.html')).toContain('Acme nomme une nouvelle ingénieure en chef');
    expect((await harness.feeds.latest('fr', 50)).find((e) => e.releaseId === 'chief-engineer')?.provenance.kind).toBe('human');
    const frEvents = harness.queues.webhook.bodies<WebhookJob>().filter((j) => j.event.releaseId === 'chief-engineer' && j.event.language === 'fr');
    expect(frEvents.map((j) => j.event.type)).toEqual(['release.published', 'release.updated']);

    // A second human translation of the same version (within SQS's deduplication window: the
    // harness deduplicates for the whole run) replaces the first one and is announced again.
    await harness.run(await harness.upload('incoming/chief-engineer.fr.md', french.replace('nomme une nouvelle', 'nomme sa nouvelle')));
    expect(await harness.repository.getVariant('chief-engineer', 1, 'fr')).toMatchObject({ status: 'published', provenance: { kind: 'human' } });
    expect(await text(harness, 'fr/releases/chief-engineer.html')).toContain('Acme nomme sa nouvelle ingénieure en chef');
    const frAgain = harness.queues.webhook.bodies<WebhookJob>().filter((j) => j.event.releaseId === 'chief-engineer' && j.event.language === 'fr');
    expect(frAgain.map((j) => j.event.type)).toEqual(['release.published', 'release.updated', 'release.updated']);
    const { messageIdFor } = await import('../../../functions/core/webhooks/event');
    expect(messageIdFor('sub_a', frAgain[2]!.event)).not.toBe(messageIdFor('sub_a', frAgain[1]!.event));
    // The same file again changes nothing and announces nothing.
    await harness.run(await harness.upload('incoming/chief-engineer.fr.md', french.replace('nomme une nouvelle', 'nomme sa nouvelle')));
    expect(harness.queues.webhook.bodies<WebhookJob>().filter((j) => j.event.releaseId === 'chief-engineer' && j.event.language === 'fr')).toHaveLength(3);
    expect((await harness.repository.getVariant('chief-engineer', 1, 'fr'))?.status).toBe('published');

    // Translation before the release: used from the start.
    await harness.run(await harness.upload('incoming/plant-tour.fr.md', french.replace('nomme', 'présente')));
    await harness.run(await harness.upload('incoming/plant-tour.md', release.replace('hires', 'presents')));
    expect(await harness.repository.getVariant('plant-tour', 1, 'fr')).toMatchObject({ status: 'published', provenance: { kind: 'human' } });
    expect(await text(harness, 'fr/releases/plant-tour.html')).toContain('Acme présente une nouvelle ingénieure en chef');
  });

  it('reports a release’s versions and languages through polywire status', async () => {
    const { runStatus } = await import('../../../cli/commands/status');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    stubCliEnvironment(harness);
    try {
      // No local stack file here: the command uses TABLE_NAME and the SDK's endpoint settings.
      expect(await runStatus('acme-launch', { json: true, limit: '20', dataDir: '/nonexistent' })).toBe(0);
      const report = JSON.parse(String(log.mock.calls.at(-1)![0]));
      expect(report.release).toMatchObject({ releaseId: 'acme-launch', latestVersion: 1, sourceLanguage: 'en' });
      expect(report.versions[0].counts).toMatchObject({ published: 3, failed: 1 });
      const ja = report.versions[0].languages.find((l: { language: string }) => l.language === 'ja');
      expect(ja).toMatchObject({ status: 'failed', error: { code: 'ENGINE_UNAVAILABLE' } });
      const de = report.versions[0].languages.find((l: { language: string }) => l.language === 'de');
      expect(de.provenance).toEqual({ kind: 'pseudo', engine: 'pseudo' });
      expect(de.ledger.billedCharacters).toBeGreaterThan(0);
      expect(report.published).toEqual({ en: 1, de: 1, fr: 1 });

      expect(await runStatus(undefined, { limit: '100', dataDir: '/nonexistent' })).toBe(0);
      expect(String(log.mock.calls.at(-1)![0])).toMatch(/acme-launch\s+v1\s+en\s+Acme launches the Robo 3000/);
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
  });
});
