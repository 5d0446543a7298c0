/**
 * `JobQueue` on SQS: JSON bodies, `SendMessageBatch` in chunks of at most ten entries and 256 KiB
 * of bodies (the API's limits; a release with a huge headline makes a few jobs that big), FIFO
 * group and deduplication ids passed through. A partially failed batch throws, naming the
 * failed entries, so the caller's message is retried rather than silently losing a job.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import { ProviderError } from '../../core/errors';
import type { JobQueue, QueueMessage } from '../../ports';

export interface SqsJobQueueOptions {
  client: SQSClient;
  queueUrl: string;
}

/** SQS's limit of entries per SendMessageBatch. */
export const SQS_BATCH_LIMIT = 10;
/** SQS's limit on the summed body size of one SendMessageBatch (and of one message). */
export const SQS_BATCH_BYTES = 262_144;

export class SqsJobQueue implements JobQueue {
  readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(options: SqsJobQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
  }

  async send(messages: readonly QueueMessage[]): Promise<void> {
    for (const chunk of batches(messages)) {
      const entries: SendMessageBatchRequestEntry[] = chunk.map((message, index) => toEntry(message, index));
      const result = await this.client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: entries }));
      const failed = result.Failed ?? [];
      if (failed.length > 0) {
        const detail = failed.map((f) => `entry ${f.Id}: ${f.Code ?? 'error'} ${f.Message ?? ''}`.trim()).join('; ');
        throw new ProviderError('SQS_SEND_FAILED', `${failed.length} of ${chunk.length} messages to ${this.queueUrl} failed: ${detail}`, {
          retryable: !failed.every((f) => f.SenderFault),
        });
      }
    }
  }
}

/**
 * Consecutive chunks (order kept, as FIFO groups need) of at most ten messages and 256 KiB of
 * bodies. A single body over the limit goes alone, and SQS's refusal names it.
 */
function batches(messages: readonly QueueMessage[]): QueueMessage[][] {
  const chunks: QueueMessage[][] = [];
  let chunk: QueueMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(JSON.stringify(message.body));
    if (chunk.length > 0 && (chunk.length === SQS_BATCH_LIMIT || bytes + size > SQS_BATCH_BYTES)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(message);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

function toEntry(message: QueueMessage, index: number): SendMessageBatchRequestEntry {
  const delay = (message as QueueMessage & { delaySeconds?: number }).delaySeconds;
  return {
    Id: String(index),
    MessageBody: JSON.stringify(message.body),
    ...(message.groupId === undefined ? {} : { MessageGroupId: message.groupId }),
    ...(message.deduplicationId === undefined ? {} : { MessageDeduplicationId: message.deduplicationId }),
    ...(delay === undefined ? {} : { DelaySeconds: delay }),
  };
}
