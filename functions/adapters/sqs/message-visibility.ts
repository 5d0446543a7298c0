/**
 * Hides a received SQS message for a while (ChangeMessageVisibility), for a handler that knows
 * a retry before then is pointless. With ReportBatchItemFailures, Lambda leaves a failed
 * message's visibility as it is, so the message comes back when this delay has passed.
 */
import { ChangeMessageVisibilityCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { MessageVisibility } from '../../ports';

/** SQS's longest visibility timeout (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

export interface SqsMessageVisibilityOptions {
  client: SQSClient;
  queueUrl: string;
}

export class SqsMessageVisibility implements MessageVisibility {
  private readonly client: SQSClient;
  private readonly queueUrl: string;

  constructor(options: SqsMessageVisibilityOptions) {
    this.client = options.client;
    this.queueUrl = options.queueUrl;
  }

  async hide(receiptHandle: string, seconds: number): Promise<void> {
    const visibility = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.ceil(seconds)));
    await this.client.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: visibility }));
  }
}
