/**
 * Translate's bulk lane on the emulators: a release far beyond a press release's size is
 * translated from its own queue (one job per invocation, functions/stages.ts `translate.bulkLane`)
 * by the same translate function, an ordinary release beside it from the shared queue, and both
 * publish in every language.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_LANE_BLOCKS } from '../../../functions/core/pipeline/jobs';
import { startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

const LANGUAGES = ['en', 'de', 'fr'];

describe('the translate bulk lane', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: LANGUAGES });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('translates a bulk release from its own queue and an ordinary one from the shared queue; both publish', async () => {
    // Over the block limit: short paragraphs, as an issuer's data annex pasted in as text.
    const paragraphs = Array.from({ length: BULK_LANE_BLOCKS + 50 }, (_, i) => `Line ${i + 1} of the annex.`).join('\n\n');
    const bulkKey = 'incoming/annex.txt';
    const normalKey = 'incoming/robot.txt';
    await harness.run(await harness.upload(bulkKey, `Acme files its annual annex\n\n${paragraphs}\n`), await harness.upload(normalKey, wireRelease({ headline: 'Acme ships the Robo 3000' })));

    const bulk = (await harness.repository.getSource(bulkKey))!.releaseId!;
    const normal = (await harness.repository.getSource(normalKey))!.releaseId!;
    const jobs = (queue: { sent: { body: unknown }[] }) => queue.sent.map((m) => m.body as { releaseId: string; language: string });
    expect(jobs(harness.queues.translateBulk).map((j) => [j.releaseId, j.language])).toEqual(LANGUAGES.map((language) => [bulk, language]));
    expect(jobs(harness.queues.translate).map((j) => [j.releaseId, j.language])).toEqual(LANGUAGES.map((language) => [normal, language]));
    expect((await harness.repository.getVersion(bulk, 1))?.lane).toBe('bulk');

    for (const releaseId of [bulk, normal]) {
      for (const language of LANGUAGES) {
        expect((await harness.repository.getVariant(releaseId, 1, language))?.status, `${releaseId} ${language}`).toBe('published');
        expect(await harness.distribution.head(`${language}/releases/${releaseId}.html`), `${releaseId} ${language}`).toBeDefined();
      }
    }
    for (const [name, queue] of Object.entries(harness.queues)) expect(queue.deadLetters, name).toEqual([]);
  }, 300_000);
});
