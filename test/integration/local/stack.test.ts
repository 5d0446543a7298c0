import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { S3Event, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack, type LocalStack } from '../../../infra/local/stack';
import { redriveDeadLetters, deadLetterStore } from '../../../infra/local/dlq';
import { readStackFile, stackFilePath } from '../../../infra/local/stack-file';
import { decodeS3Key } from '../../../functions/core/pipeline/s3-events';
import { portIsClosed } from '../../support/ports';

/**
 * Test doubles of the pipeline's handlers: an ingest that decodes the S3 event and sends a job
 * over the real SQS API; a publish that writes the page into the distribution bucket (and fails
 * for releases named `poison` until healed).
 */
function testDoubles(env: () => Record<string, string>) {
  const state = { healed: false, ingested: [] as string[] };
  const sqsClient = () => new SQSClient({ endpoint: env().AWS_ENDPOINT_URL_SQS, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const ingest = async (event: SQSEvent) => {
    const client = sqsClient();
    for (const record of event.Records) {
      const notification = JSON.parse(record.body) as S3Event;
      for (const r of notification.Records) {
        const key = decodeS3Key(r.s3.object.key);
        state.ingested.push(key);
        const name = key.replace(/^incoming\//, '').replace(/\.[^.]+$/, '');
        await client.send(
          new SendMessageBatchCommand({
            QueueUrl: env().PUBLISH_QUEUE_URL,
            Entries: [{ Id: '0', MessageBody: JSON.stringify({ name }), MessageGroupId: 'de', MessageDeduplicationId: `${name}-${r.s3.object.sequencer}` }],
          }),
        );
      }
    }
    client.destroy();
  };
  const publish = async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const s3 = new S3Client({ forcePathStyle: true, endpoint: env().AWS_ENDPOINT_URL_S3, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      const { name } = JSON.parse(record.body) as { name: string };
      if (name === 'poison' && !state.healed) {
        failures.push({ itemIdentifier: record.messageId });
        continue;
      }
      await s3.send(new PutObjectCommand({ Bucket: env().DISTRIBUTION_BUCKET, Key: `de/${name}.html`, Body: `<h1>${name}</h1>`, ContentType: 'text/html' }));
    }
    s3.destroy();
    return { batchItemFailures: failures };
  };
  const noop = async () => undefined;
  return { state, handlers: { ingest, publish, translate: noop, deliver: noop } };
}

describe('local stack (emulators, SQS, runner, site) with test-double handlers', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-stack-'));
  let stack: LocalStack;
  // The stack's settings reach the doubles through the stack object, not the process environment.
  const doubles = testDoubles(() => stack.environment);

  beforeAll(async () => {
    stack = await startLocalStack({ dataDir, handlers: doubles.handlers, backoffMs: () => 5, port: 0 });
  });
  afterAll(async () => {
    await stack?.close(1000);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('records the running stack for other polywire commands', () => {
    const info = readStackFile(dataDir);
    expect(info?.sqsEndpoint).toBe(stack.sqs.endpoint);
    expect(info?.siteUrl).toBe(stack.siteUrl);
    expect(info?.environment.PUBLISH_QUEUE_URL).toBe(`${stack.sqs.endpoint}/000000000000/polywire-publish.fifo`);
  });

  it('runs an upload to incoming/ through S3 → SQS → handlers → distribution bucket → site', async () => {
    await stack.s3.send(new PutObjectCommand({ Bucket: 'polywire-uploads', Key: 'incoming/Grüße aus Berlin.txt', Body: 'release' }));
    await stack.whenIdle();
    expect(doubles.state.ingested).toEqual(['incoming/Grüße aus Berlin.txt']);
    const response = await fetch(new URL('de/Grüße aus Berlin.html', stack.siteUrl));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<h1>Grüße aus Berlin</h1>');
  });

  it('dead-letters a message after 5 failed receives and redrives it into the running stack', async () => {
    await stack.s3.send(new PutObjectCommand({ Bucket: 'polywire-uploads', Key: 'incoming/poison.txt', Body: 'bad' }));
    await stack.whenIdle();
    const [letter] = deadLetterStore(dataDir).list();
    expect(letter).toMatchObject({ queue: 'polywire-publish.fifo', groupId: 'de', receiveCount: 5, functionName: 'polywire-publish' });
    expect(existsSync(join(dataDir, 'dlq', 'polywire-publish.fifo', `${letter!.messageId}.json`))).toBe(true);

    doubles.state.healed = true;
    const result = await redriveDeadLetters({ dataDir, ids: [letter!.messageId] });
    expect(result.via).toBe('running');
    await stack.whenIdle();
    expect(deadLetterStore(dataDir).list()).toEqual([]);
    const page = await stack.s3.send(new GetObjectCommand({ Bucket: 'polywire-distribution', Key: 'de/poison.html' }));
    expect(await page.Body!.transformToString()).toBe('<h1>poison</h1>');
  });

  it('shuts down cleanly: no port left listening, stack file removed', async () => {
    const endpoints = [stack.emulators.s3Endpoint, stack.emulators.dynamoEndpoint, stack.sqs.endpoint, stack.siteUrl];
    await stack.close(1000);
    for (const endpoint of endpoints) expect(await portIsClosed(endpoint)).toBe(true);
    expect(existsSync(stackFilePath(dataDir))).toBe(false);
  });
});
