/**
 * A message whose work is leased by another delivery waits out the lease instead of spending its
 * receives: the handler hides it through the local SQS endpoint (ChangeMessageVisibility, as
 * ingest does in the cloud), and the runner keeps that visibility instead of its quick backoff.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalSqs, type LocalSqs } from '../../../infra/local/sqs/server';
import { DeadLetterStore } from '../../../infra/local/dead-letters';
import { QueueRunner } from '../../../infra/local/runner';
import { SqsMessageVisibility } from '../../../functions/adapters/sqs/message-visibility';
import { processStandardBatch } from '../../../functions/shared/sqs-batch';
import { ConcurrentUpdateError } from '../../../functions/ports';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(leaseMs: number) {
  const folder = mkdtempSync(join(tmpdir(), 'polywire-retry-after-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  const sqs: LocalSqs = await startLocalSqs({ queues: [{ name: 'polywire-ingest', visibilityTimeoutSeconds: 360 }] });
  cleanups.push(() => sqs.close());
  const client = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  cleanups.push(() => client.destroy());
  const visibility = new SqsMessageVisibility({ client, queueUrl: sqs.queueUrl('polywire-ingest') });

  // Another delivery holds the work until `leaseEnds`; until then the handler fails with how
  // long to wait, as ingest does for a claimed S3 event.
  const leaseEnds = Date.now() + leaseMs;
  const receives: number[] = [];
  const handler = (event: SQSEvent, context: Context) =>
    processStandardBatch(
      event,
      async (record) => {
        receives.push(Number(record.attributes.ApproximateReceiveCount));
        const remaining = leaseEnds - Date.now();
        if (remaining > 0) throw new ConcurrentUpdateError('another delivery of this event is being processed', { retryAfterMs: remaining });
        return 'done';
      },
      context,
      visibility,
    );
  const deadLetters = new DeadLetterStore(join(folder, 'dlq'));
  const runner = new QueueRunner({
    deadLetters,
    bindings: [{ queue: sqs.queue('polywire-ingest'), functionName: 'polywire-ingest', handler }],
    backoffMs: () => 5,
    pollIntervalMs: 5,
    log: () => undefined,
  });
  cleanups.push(() => runner.stop(1000));
  return { sqs, client, runner, deadLetters, receives };
}

describe('retry after a lease (local SQS + runner)', () => {
  it('hides the message until the lease ends, so it succeeds on its second receive and is not dead-lettered', async () => {
    // With the quick 5 ms backoff, five receives would fit into this lease many times over.
    const { sqs, client, runner, deadLetters, receives } = await setup(1500);
    await client.send(new SendMessageCommand({ QueueUrl: sqs.queueUrl('polywire-ingest'), MessageBody: '{"Records":[]}' }));
    runner.start();
    await runner.whenIdle();

    expect(receives).toEqual([1, 2]);
    expect(deadLetters.list()).toEqual([]);
    expect(sqs.queue('polywire-ingest').size).toBe(0);
  });
});
