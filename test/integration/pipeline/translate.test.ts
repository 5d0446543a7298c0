import { Logger } from '@aws-lambda-powertools/logger';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../functions/core/errors';
import { ingestObject } from '../../../functions/core/pipeline/ingest';
import { translateJob } from '../../../functions/core/pipeline/translate';
import { DEFAULT_PRICES } from '../../../functions/adapters/engines/registry';
import { DynamoDbTranslationMemory } from '../../../functions/adapters/dynamodb/translation-memory';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PseudoEngine } from '../../../functions/adapters/pseudo/engine';
import { objectKeys } from '../../../functions/core/pipeline/keys';
import { RecordingQueue, startPipeline, steppingClock, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

describe('translate stage: configuration errors', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('marks the language failed at once with the setting named when the engine cannot be built, instead of retrying into the DLQ', async () => {
    const key = 'incoming/config-error.txt';
    const event = JSON.parse(await harness.upload(key, wireRelease({ headline: 'Acme opens a plant in Graz' }))).Records[0].s3.object;
    const clock = steppingClock(Date.parse('2026-11-26T13:00:00Z'));
    await ingestObject(
      { uploads: harness.uploads, repository: harness.repository, translateQueue: new RecordingQueue(false), clock, targetLanguages: ['en', 'de'] },
      { bucket: harness.emulators.buckets.uploads, key, sequencer: event.sequencer },
    );

    const publishQueue = new RecordingQueue(true);
    // The real Powertools Logger, whose reserved keys would swallow a `message` extra.
    const logger = new Logger({ serviceName: 'translate', logLevel: 'WARN' });
    const lines: string[] = [];
    // Its Console writes warnings to standard error.
    const capture = (chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    };
    const writes = [vi.spyOn(process.stdout, 'write').mockImplementation(capture), vi.spyOn(process.stderr, 'write').mockImplementation(capture)];
    const message = 'deeplApiKey is not set: the deepl engine needs a DeepL API key (set DEEPL_API_KEY_SECRET_ARN)';
    const outcome = await translateJob(
      {
        uploads: harness.uploads,
        repository: harness.repository,
        publishQueue,
        clock,
        engine: async () => {
          throw new ConfigError(message);
        },
        memory: new DynamoDbTranslationMemory({
          client: DynamoDBDocumentClient.from(new DynamoDBClient(harness.emulators.dynamoClientConfig())),
          tableName: harness.emulators.tableName,
        }),
        prices: DEFAULT_PRICES,
        logger,
      },
      { releaseId: 'config-error', version: 1, language: 'de' },
      1,
    ).finally(() => writes.forEach((spy) => spy.mockRestore()));

    const logged = lines
      .flatMap((line) => line.split('\n'))
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.find((line) => line.message === 'variant failed')).toMatchObject({
      level: 'WARN',
      releaseId: 'config-error',
      language: 'de',
      code: 'CONFIG_INVALID',
      reason: message,
    });

    expect(outcome).toEqual({ kind: 'failed', code: 'CONFIG_INVALID', message });
    expect(await harness.repository.getVariant('config-error', 1, 'de')).toMatchObject({ status: 'failed', error: { code: 'CONFIG_INVALID', message } });
    expect(publishQueue.bodies()).toEqual([{ kind: 'failed', releaseId: 'config-error', version: 1, language: 'de' }]);
  });
});

describe('translate stage: the project glossary in the uploads bucket', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  // The glossary's YAML parser loads on first use (a lazy chunk in the function): these jobs take that path.
  async function translateWithGlossary(releaseId: string, glossaryYaml: string) {
    await harness.upload(objectKeys.glossary(), glossaryYaml);
    const key = `incoming/${releaseId}.txt`;
    const event = JSON.parse(await harness.upload(key, wireRelease({ headline: 'Acme opens a plant in Graz' }))).Records[0].s3.object;
    const clock = steppingClock(Date.parse('2026-11-26T13:00:00Z'));
    await ingestObject(
      { uploads: harness.uploads, repository: harness.repository, translateQueue: new RecordingQueue(false), clock, targetLanguages: ['en', 'de'] },
      { bucket: harness.emulators.buckets.uploads, key, sequencer: event.sequencer },
    );
    const memory = new DynamoDbTranslationMemory({ client: DynamoDBDocumentClient.from(new DynamoDBClient(harness.emulators.dynamoClientConfig())), tableName: harness.emulators.tableName });
    const deps = { uploads: harness.uploads, repository: harness.repository, publishQueue: new RecordingQueue(true), clock, engine: async () => new PseudoEngine(), memory, prices: DEFAULT_PRICES };
    return translateJob(deps, { releaseId, version: 1, language: 'de' }, 1);
  }

  it('keeps a do-not-translate term of config/glossary.yaml byte-identical', async () => {
    const outcome = await translateWithGlossary('glossary-graz', 'doNotTranslate:\n  - Graz\n');
    expect(outcome.kind).toBe('translated');
    const headline = outcome.kind === 'translated' ? outcome.variant.content.headline : '';
    expect(headline).toContain('Graz');
    // Pseudo-localized around it: the term was protected, not left alone by an engine that changes nothing.
    expect(headline).not.toContain('Acme opens');
  });

  it('fails the language with the line of a broken glossary', async () => {
    const outcome = await translateWithGlossary('glossary-broken', 'doNotTranslate:\n  - Graz\nforcedTerms: [\n');
    expect(outcome).toMatchObject({ kind: 'failed', code: 'GLOSSARY_INVALID' });
  });
});
