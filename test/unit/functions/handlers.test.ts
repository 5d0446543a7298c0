import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { ConfigError } from '../../../functions/core/errors';
import type { ReleaseRepository } from '../../../functions/ports';

const ENV = {
  TABLE_NAME: 'polywire',
  UPLOADS_BUCKET: 'uploads',
  DISTRIBUTION_BUCKET: 'distribution',
  TRANSLATE_QUEUE_URL: 'http://127.0.0.1:9/q/translate',
  PUBLISH_QUEUE_URL: 'http://127.0.0.1:9/q/publish.fifo',
  WEBHOOK_QUEUE_URL: 'http://127.0.0.1:9/q/webhook',
  PUBLIC_BASE_URL: 'https://news.example.com',
  // Unreachable on purpose: importing a handler must not touch the network.
  AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
  AWS_ENDPOINT_URL_SQS: 'http://127.0.0.1:9',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
};

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/events/${name}`, import.meta.url), 'utf8');

function record(messageId: string, body: string): SQSRecord {
  return { ...(JSON.parse(fixture('sqs-record.json')) as SQSRecord), messageId, body };
}

const context = { functionName: 'ingest', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

describe('handler modules', () => {
  beforeEach(() => {
    vi.resetModules();
    for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it.each(['ingest', 'translate', 'publish'])('%s builds its handler at import without network', async (stage) => {
    const module = (await import(`../../../functions/${stage}/handler.ts`)) as { handler: unknown };
    expect(typeof module.handler).toBe('function');
  });

  it('fails fast at import, naming the missing variable', async () => {
    vi.stubEnv('UPLOADS_BUCKET', '');
    const error = await import('../../../functions/ingest/handler').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe(ConfigError.name);
    expect((error as Error).message).toMatch(/UPLOADS_BUCKET is not set/);
  });

  it('reports only the failing message of a batch, and ignores the s3:TestEvent', async () => {
    const { makeHandler } = await import('../../../functions/ingest/stage');
    const { createObservability } = await import('../../../functions/shared/observability');
    const repository = {
      claimSource: vi.fn(async () => {
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      }),
    } as unknown as ReleaseRepository;
    const handler = makeHandler({
      uploads: {} as never,
      repository,
      translateQueue: { send: vi.fn() },
      clock: { now: () => new Date('2026-11-26T09:00:00Z') },
      targetLanguages: ['en', 'de'],
      observability: createObservability('ingest'),
    });
    const event: SQSEvent = { Records: [record('test-event', fixture('s3-test-event.json')), record('upload', fixture('s3-object-created.json'))] };
    expect(await handler(event, context)).toEqual({ batchItemFailures: [{ itemIdentifier: 'upload' }] });
    expect(repository.claimSource).toHaveBeenCalledWith('incoming/Pressemitteilung März+Q1 100%.txt', '0065A1B2C3D4E5F601', expect.any(Date), expect.any(Number));
  });
});
