import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsJobQueue } from '../../../../functions/adapters/sqs/job-queue';
import { ProviderError } from '../../../../functions/core/errors';

describe('SqsJobQueue', () => {
  it('sends JSON bodies in chunks of ten with FIFO group and deduplication ids', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsJobQueue({ client: new SQSClient({ region: 'eu-central-1' }), queueUrl: 'https://sqs/publish.fifo' });
    const messages = Array.from({ length: 23 }, (_, i) => ({ body: { n: i }, groupId: 'de', deduplicationId: `d${i}` }));
    await queue.send(messages);

    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls.map((c) => c.args[0].input.Entries!.length)).toEqual([10, 10, 3]);
    expect(calls[2]!.args[0].input.Entries![2]).toEqual({ Id: '2', MessageBody: '{"n":22}', MessageGroupId: 'de', MessageDeduplicationId: 'd22' });
    expect(calls[0]!.args[0].input.QueueUrl).toBe('https://sqs/publish.fifo');
    sqs.restore();
  });

  it('keeps each batch under 256 KiB of bodies, in order (a huge headline makes jobs that big)', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsJobQueue({ client: new SQSClient({ region: 'eu-central-1' }), queueUrl: 'https://sqs/webhook' });
    const headline = 'Headline words '.repeat(6_000);
    const messages = Array.from({ length: 5 }, (_, i) => ({ body: { n: i, headline } }));
    await queue.send(messages);

    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!);
    expect(calls.map((entries) => entries.length)).toEqual([2, 2, 1]);
    for (const entries of calls) expect(entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody!), 0)).toBeLessThanOrEqual(262_144);
    expect(calls.flat().map((e) => (JSON.parse(e.MessageBody!) as { n: number }).n)).toEqual([0, 1, 2, 3, 4]);
    sqs.restore();
  });

  it('throws naming the failed entries, so the caller retries instead of losing a job', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [{ Id: '0', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });
    const queue = new SqsJobQueue({ client: new SQSClient({ region: 'eu-central-1' }), queueUrl: 'https://sqs/translate' });
    const error = await queue.send([{ body: {} }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).message).toMatch(/entry 0: InternalError try again/);
    expect((error as ProviderError).retryable).toBe(true);
    sqs.restore();
  });

  it('sends nothing for an empty list', async () => {
    const sqs = mockClient(SQSClient);
    await new SqsJobQueue({ client: new SQSClient({ region: 'eu-central-1' }), queueUrl: 'q' }).send([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    sqs.restore();
  });
});
