/**
 * A language that failed and is published later (the engine came back, the upload was re-driven)
 * appears in every sibling page's hreflang, every sibling's ninjs associations and the sitemap.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TranslationError } from '../../../functions/core/errors';
import { PseudoEngine } from '../../../functions/adapters/pseudo/engine';
import type { EngineRequest, TranslationEngine } from '../../../functions/ports';
import { startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const LANGUAGES = ['en', 'de', 'fr', 'es', 'ja'];

/** A pseudo engine whose outage for some languages can be ended by the test. */
class RecoveringEngine implements TranslationEngine {
  readonly name = 'pseudo';
  readonly kind = 'pseudo' as const;
  readonly maxRequestBytes = 10_000;
  private readonly inner = new PseudoEngine();
  down = new Set(['fr', 'es']);

  supports(language: string): boolean {
    return this.inner.supports(language);
  }

  async translate(request: EngineRequest): Promise<string[]> {
    if (this.down.has(request.targetLanguage)) throw new TranslationError('ENGINE_UNAVAILABLE', `test engine: ${request.targetLanguage} is unavailable (simulated outage)`);
    return this.inner.translate(request);
  }
}

async function text(harness: PipelineHarness, key: string): Promise<string> {
  const object = await harness.distribution.get(key);
  if (!object) throw new Error(`${key} is not in the distribution bucket`);
  return new TextDecoder().decode(object.body);
}

const hreflangs = (html: string): string[] =>
  [...html.matchAll(/<link[^>]*rel="alternate"[^>]*hreflang="([^"]+)"/g)]
    .map((m) => m[1]!)
    .filter((l) => l !== 'x-default')
    .sort();
const associations = (ninjs: string): string[] =>
  Object.values((JSON.parse(ninjs) as { associations?: Record<string, { language?: string }> }).associations ?? {})
    .map((a) => a.language!)
    .sort();

describe('pipeline: a failed language that recovers refreshes its siblings', () => {
  let harness: PipelineHarness;
  const engine = new RecoveringEngine();

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: LANGUAGES, engine });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('re-renders every other language’s page and ninjs, and the sitemap, with the language that published late', async () => {
    const key = 'incoming/recovery.txt';
    const upload = wireRelease({ headline: 'Acme opens a plant in Porto' });
    const event = await harness.upload(key, upload);
    await harness.run(event);
    const id = (await harness.repository.getSource(key))!.releaseId!;
    for (const language of ['fr', 'es']) expect((await harness.repository.getVariant(id, 1, language))?.status, language).toBe('failed');
    for (const language of ['en', 'de', 'ja']) {
      expect(hreflangs(await text(harness, `${language}/releases/${id}.html`)), language).toEqual(['de', 'en', 'ja']);
    }

    // The engine is back; the same upload again re-drives the version, and fr and es publish.
    engine.down.clear();
    await harness.run(await harness.upload(key, upload));
    for (const language of ['fr', 'es']) expect((await harness.repository.getVariant(id, 1, language))?.status, language).toBe('published');

    const all = [...LANGUAGES].sort();
    for (const language of LANGUAGES) {
      expect(hreflangs(await text(harness, `${language}/releases/${id}.html`)), `${language} page`).toEqual(all);
      const others = all.filter((l) => l !== language);
      expect(associations(await text(harness, `${language}/releases/${id}.json`)), `${language} ninjs`).toEqual(expect.arrayContaining(others));
    }
    const sitemap = await text(harness, 'sitemap.xml');
    for (const language of ['fr', 'es']) expect(sitemap).toContain(`https://news.example.com/${language}/releases/${id}.html`);
    expect(harness.queues.publish.deadLetters).toEqual([]);
  });
});
