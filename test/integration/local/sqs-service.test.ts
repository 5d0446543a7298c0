import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startLocalSqs, type LocalSqs } from '../../../infra/local/sqs/server';
import { SqsJobQueue } from '../../../functions/adapters/sqs/job-queue';

describe('local SQS service through the real @aws-sdk/client-sqs', () => {
  let sqs: LocalSqs;
  let client: SQSClient;
  let now = Date.UTC(2026, 10, 26, 10, 0, 0);

  beforeAll(async () => {
    sqs = await startLocalSqs({
      queues: [
        { name: 'std', now: () => now },
        { name: 'jobs.fifo', now: () => now },
        { name: 'cbd.fifo', contentBasedDeduplication: true, now: () => now },
      ],
    });
    client = new SQSClient({ endpoint: sqs.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  });
  afterAll(async () => {
    client?.destroy();
    await sqs?.close();
  });

  const url = (name: string) => sqs.queueUrl(name);
  const receive = async (name: string, max = 10) => (await client.send(new ReceiveMessageCommand({ QueueUrl: url(name), MaxNumberOfMessages: max, MessageSystemAttributeNames: ['All'] }))).Messages ?? [];
  const empty = async (name: string) => {
    for (const m of await receive(name)) await client.send(new DeleteMessageCommand({ QueueUrl: url(name), ReceiptHandle: m.ReceiptHandle! }));
  };

  it('answers GetQueueUrl and names a missing queue with the SDK error type', async () => {
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: 'jobs.fifo' }));
    expect(QueueUrl).toBe(`${sqs.endpoint}/000000000000/jobs.fifo`);
    await expect(client.send(new GetQueueUrlCommand({ QueueName: 'nope' }))).rejects.toBeInstanceOf(QueueDoesNotExist);
  });

  it('sends and receives one message with an MD5 the SDK accepts, including message attributes', async () => {
    const sent = await client.send(
      new SendMessageCommand({
        QueueUrl: url('std'),
        MessageBody: '{"releaseId":"r1","language":"ja"} — 東京',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'translate' }, n: { DataType: 'Number', StringValue: '3' } },
      }),
    );
    expect(sent.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const [message] = await receive('std');
    expect(message?.Body).toBe('{"releaseId":"r1","language":"ja"} — 東京');
    expect(message?.Attributes?.ApproximateReceiveCount).toBe('1');
    await client.send(new DeleteMessageCommand({ QueueUrl: url('std'), ReceiptHandle: message!.ReceiptHandle! }));
    expect(await receive('std')).toEqual([]);
  });

  it('takes batches through the handlers’ SqsJobQueue adapter (chunks of ten)', async () => {
    const queue = new SqsJobQueue({ client, queueUrl: url('std') });
    await queue.send(Array.from({ length: 23 }, (_, i) => ({ body: { n: i } })));
    const bodies: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const m of await receive('std')) {
        bodies.push((JSON.parse(m.Body!) as { n: number }).n);
        await client.send(new DeleteMessageCommand({ QueueUrl: url('std'), ReceiptHandle: m.ReceiptHandle! }));
      }
    }
    expect(bodies.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('reports a bad batch entry as Failed and rejects an oversized batch', async () => {
    const result = await client.send(
      new SendMessageBatchCommand({
        QueueUrl: url('jobs.fifo'),
        Entries: [
          { Id: 'ok', MessageBody: 'a', MessageGroupId: 'de', MessageDeduplicationId: 'bad-batch-ok' },
          { Id: 'nogroup', MessageBody: 'b', MessageDeduplicationId: 'bad-batch-2' },
        ],
      }),
    );
    expect(result.Successful?.map((s) => s.Id)).toEqual(['ok']);
    expect(result.Failed).toEqual([expect.objectContaining({ Id: 'nogroup', Code: 'MissingParameter', SenderFault: true })]);
    await expect(client.send(new SendMessageBatchCommand({ QueueUrl: url('std'), Entries: Array.from({ length: 11 }, (_, i) => ({ Id: String(i), MessageBody: 'x' })) }))).rejects.toMatchObject({
      name: 'TooManyEntriesInBatchRequest',
    });
    await empty('jobs.fifo');
  });

  it('delivers a FIFO group one batch at a time, in order, while other groups proceed', async () => {
    const entries = ['de-1', 'fr-1', 'de-2', 'de-3', 'fr-2'].map((body, i) => ({
      Id: String(i),
      MessageBody: body,
      MessageGroupId: body.slice(0, 2),
      MessageDeduplicationId: `order-${body}`,
    }));
    await client.send(new SendMessageBatchCommand({ QueueUrl: url('jobs.fifo'), Entries: entries }));

    const first = await receive('jobs.fifo', 2);
    expect(first.map((m) => m.Body)).toEqual(['de-1', 'de-2']);
    expect(first[0]?.Attributes?.MessageGroupId).toBe('de');
    expect(BigInt(first[1]!.Attributes!.SequenceNumber!) > BigInt(first[0]!.Attributes!.SequenceNumber!)).toBe(true);
    // 'de' is blocked while its batch is in flight; 'fr' is not.
    const second = await receive('jobs.fifo', 10);
    expect(second.map((m) => m.Body)).toEqual(['fr-1', 'fr-2']);
    expect(await receive('jobs.fifo')).toEqual([]);
    // de-1 fails (made visible again): de-3 must not overtake it.
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: url('jobs.fifo'), ReceiptHandle: first[0]!.ReceiptHandle!, VisibilityTimeout: 0 }));
    expect(await receive('jobs.fifo')).toEqual([]);
    await client.send(new DeleteMessageCommand({ QueueUrl: url('jobs.fifo'), ReceiptHandle: first[1]!.ReceiptHandle! }));
    const retry = await receive('jobs.fifo');
    expect(retry.map((m) => [m.Body, m.Attributes?.ApproximateReceiveCount])).toEqual([
      ['de-1', '2'],
      ['de-3', '1'],
    ]);
    for (const m of [...second, ...retry]) await client.send(new DeleteMessageCommand({ QueueUrl: url('jobs.fifo'), ReceiptHandle: m.ReceiptHandle! }));
  });

  it('drops a FIFO duplicate within five minutes and accepts it after', async () => {
    const send = () => client.send(new SendMessageCommand({ QueueUrl: url('jobs.fifo'), MessageBody: 'publish r1 de', MessageGroupId: 'de', MessageDeduplicationId: 'r1.1.de' }));
    const a = await send();
    const b = await send();
    expect(b.MessageId).toBe(a.MessageId);
    expect((await receive('jobs.fifo')).map((m) => m.Body)).toEqual(['publish r1 de']);
    await empty('jobs.fifo');
    now += 5 * 60_000 + 1;
    const c = await send();
    expect(c.MessageId).not.toBe(a.MessageId);
    await empty('jobs.fifo');
  });

  it('deduplicates by content on a queue with content-based deduplication, and requires an id otherwise', async () => {
    for (let i = 0; i < 3; i++) await client.send(new SendMessageCommand({ QueueUrl: url('cbd.fifo'), MessageBody: 'same', MessageGroupId: '_root' }));
    expect(await receive('cbd.fifo')).toHaveLength(1);
    await expect(client.send(new SendMessageCommand({ QueueUrl: url('jobs.fifo'), MessageBody: 'x', MessageGroupId: 'de' }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });

  it('honours DelaySeconds on a standard queue and refuses it per message on a FIFO queue', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: url('std'), MessageBody: 'later', DelaySeconds: 5 }));
    expect(await receive('std')).toEqual([]);
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: url('std'), AttributeNames: ['All'] }));
    expect(attributes.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    now += 5_000;
    expect((await receive('std')).map((m) => m.Body)).toEqual(['later']);
    await expect(client.send(new SendMessageCommand({ QueueUrl: url('jobs.fifo'), MessageBody: 'x', MessageGroupId: 'de', MessageDeduplicationId: 'd', DelaySeconds: 3 }))).rejects.toMatchObject({
      name: 'InvalidParameterValue',
    });
  });
});
