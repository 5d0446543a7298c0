/**
 * The translate stage's QA step on the emulators: a translation with one changed figure is
 * recorded with a `figures` error on its variant record, and `polywire status` shows it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbTranslationMemory } from '../../../functions/adapters/dynamodb/translation-memory';
import { pseudoLocalize } from '../../../functions/adapters/pseudo/engine';
import { ingestObject } from '../../../functions/core/pipeline/ingest';
import { formatReleaseStatus, releaseStatus } from '../../../functions/core/pipeline/status';
import { translateJob } from '../../../functions/core/pipeline/translate';
import { DEFAULT_PRICES } from '../../../functions/core/translation';
import type { EngineRequest, TranslationEngine } from '../../../functions/ports';
import { RecordingQueue, startPipeline, steppingClock, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

/** Test double: the pseudo-localizer's output with the first `2026` turned into `2027`, reported as pseudo. */
class FigureChangingEngine implements TranslationEngine {
  readonly name = 'figure-changing';
  readonly kind = 'pseudo' as const;
  readonly maxRequestBytes = 10_000;
  supports(): boolean {
    return true;
  }
  async translate(request: EngineRequest): Promise<string[]> {
    let changed = false;
    return request.segments.map((segment) => {
      const text = pseudoLocalize(segment, request.targetLanguage);
      if (changed || !text.includes('4,250')) return text;
      changed = true;
      return text.replace('4,250', '4,520');
    });
  }
}

describe('translate stage: QA of the variant', () => {
  let harness: PipelineHarness;
  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('stores a changed figure as a QA error on the variant and status shows it; pseudo-only checks are listed as not applicable', async () => {
    const key = 'incoming/qa-figure.txt';
    const body = wireRelease({ headline: 'Acme opens a plant in Graz', extra: 'The plant will employ 4,250 people from 2027.' });
    const event = JSON.parse(await harness.upload(key, body)).Records[0].s3.object;
    const clock = steppingClock(Date.parse('2026-11-26T13:00:00Z'));
    await ingestObject(
      { uploads: harness.uploads, repository: harness.repository, translateQueue: new RecordingQueue(false), clock, targetLanguages: ['en', 'de'] },
      { bucket: harness.emulators.buckets.uploads, key, sequencer: event.sequencer },
    );
    const outcome = await translateJob(
      {
        uploads: harness.uploads,
        repository: harness.repository,
        publishQueue: new RecordingQueue(true),
        clock,
        engine: async () => new FigureChangingEngine(),
        memory: new DynamoDbTranslationMemory({
          client: DynamoDBDocumentClient.from(new DynamoDBClient(harness.emulators.dynamoClientConfig())),
          tableName: harness.emulators.tableName,
        }),
        prices: DEFAULT_PRICES,
      },
      { releaseId: 'qa-figure', version: 1, language: 'de' },
      1,
    );
    expect(outcome.kind).toBe('translated');
    const record = await harness.repository.getVariant('qa-figure', 1, 'de');
    expect(record?.qa?.errors).toBe(1);
    expect(record?.qa?.findings).toEqual([expect.objectContaining({ check: 'figures', severity: 'error', block: 'body[2]', message: expect.stringContaining('“4,250” became “4,520”') })]);
    expect(record?.qa?.notApplicable).toEqual(['untranslated', 'script', 'length', 'dates']);
    const status = formatReleaseStatus((await releaseStatus(harness.repository, 'qa-figure'))!);
    expect(status).toContain('QA: 1 error, 0 warnings');
    expect(status).toContain('error figures body[2]');
  });
});
