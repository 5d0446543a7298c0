/**
 * `JobQueue` on SQS: JSON bodies, `SendMessageBatch` in chunks of ten (the API's limit), FIFO
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

export class SqsJobQueue implements JobQueue {
  readonly queueUrl: string;
  private readonly client: SQSClient;

  constructor(options: SqsJobQueueOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
  }

  async send(messages: readonly QueueMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += SQS_BATCH_LIMIT) {
      const chunk = messages.slice(start, start + SQS_BATCH_LIMIT);
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
