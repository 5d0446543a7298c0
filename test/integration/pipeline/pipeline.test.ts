import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectKeys } from '../../../functions/core/pipeline/keys';
import { deriveReleaseId } from '../../../functions/core/parse';
import type { WebhookJob } from '../../../functions/core/webhooks/event';
import { FailingEngine, startPipeline, S3_TEST_EVENT_BODY, type PipelineHarness } from './harness';
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
    expect(variants.filter((v) => v.status === 'published').map((v) => v.language).sort()).toEqual(['de', 'en', 'fr']);
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
    expect(webhooks.map((j) => `${j.event.type} ${j.event.language}`).sort()).toEqual([
      'release.published de',
      'release.published en',
      'release.published fr',
    ]);
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
});
