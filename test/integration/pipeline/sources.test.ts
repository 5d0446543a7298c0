import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

describe('pipeline: uploads that are not (yet) releases', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de', 'fr'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('records a language-suffixed file without its base as awaiting-base, and attaches it when the base arrives', async () => {
    const translationKey = 'incoming/pressemitteilung.de.txt';
    const german = wireRelease({ headline: 'Acme eröffnet ein Werk in Leipzig', company: 'Acme Robotik GmbH' });
    await harness.run(await harness.upload(translationKey, german));

    const waiting = await harness.repository.getSource(translationKey);
    expect(waiting?.status).toBe('awaiting-base');
    expect(waiting?.releaseId).toBe('pressemitteilung');
    expect(waiting?.error).toMatchObject({ code: 'BASE_RELEASE_MISSING', location: { file: translationKey } });
    expect(String(waiting?.error?.message)).toContain('stored as the de translation of pressemitteilung.txt, which has not been uploaded');
    expect(String(waiting?.error?.hint)).toBe('upload the base release, or rename the file without the .de suffix if this is a release of its own');
    expect(await harness.repository.getRelease('pressemitteilung')).toBeUndefined();
    expect(await text(harness, 'de/releases/pressemitteilung.html')).toBeUndefined();

    await harness.run(await harness.upload('incoming/pressemitteilung.txt', wireRelease({ headline: 'Acme opens a plant in Leipzig' })));
    const attached = await harness.repository.getSource(translationKey);
    expect(attached?.status).toBe('processed');
    expect(attached?.error).toBeUndefined();
    expect(await harness.repository.getVariant('pressemitteilung', 1, 'de')).toMatchObject({ status: 'published', provenance: { kind: 'human' } });
    expect(await text(harness, 'de/releases/pressemitteilung.html')).toContain('Acme eröffnet ein Werk in Leipzig');
    expect(await text(harness, 'en/releases/pressemitteilung.html')).toContain('Acme opens a plant in Leipzig');
  });
});
