/**
 * One pipeline stage's work queue: the queue, its dead-letter queue, and the event source that
 * feeds the consuming function. Sized for its consumer: the visibility timeout is at least six
 * times the consumer's timeout (plus the batching window), so a message is never handed to a
 * second invocation while the first may still be working on it.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

// AWS's guidance for SQS event sources (visibility timeout ≥ 6 × function timeout); the local
// stack sizes its queues with the same factor, so it lives with the stage table.
export { VISIBILITY_TIMEOUT_FACTOR } from '../../functions/stages';
import { VISIBILITY_TIMEOUT_FACTOR } from '../../functions/stages';
/** Receives before a message is moved to the dead-letter queue. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
/** 256 KiB, the SQS maximum: S3 event records and job messages stay far below it. */
export const MAX_MESSAGE_SIZE_BYTES = 262_144;

export interface StageQueueProps {
  /** Timeout of the function that consumes this queue. */
  readonly consumerTimeout: Duration;
  /**
   * FIFO queue: messages of one group (the publish stage uses release × language, and one group
   * per language for its feed renders) are handled in order. High-throughput mode (deduplication
   * and throughput limit per message group): with many small groups the queue-wide 300
   * requests/s of a plain FIFO queue would be the cap.
   */
  readonly fifo?: boolean;
  readonly maxReceiveCount?: number;
  /** Messages per invocation (1–10). */
  readonly batchSize?: number;
  /** How long to gather a batch (standard queues only). */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most invocations the event source runs at once (2–1000). Without it an SQS event source
   * scales to the account's whole concurrency and starves every other function of the account.
   */
  readonly maxConcurrency?: number;
}

export class StageQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  private readonly props: StageQueueProps;

  constructor(scope: Construct, id: string, props: StageQueueProps) {
    super(scope, id);
    if (props.fifo && props.maxBatchingWindow) {
      throw new Error(`${this.node.path}: FIFO queues cannot use a batching window`);
    }
    this.props = props;
    const fifo = props.fifo
      ? {
          fifo: true,
          contentBasedDeduplication: false,
          deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
          fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
        }
      : {};

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...fifo,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
    });
    acknowledge(this.deadLetterQueue, 'Serverless-SQSRedrivePolicy', 'This is a dead-letter queue, the end of the line: messages wait here (14 days, alarmed) for inspection and redrive to the source queue.');

    const windowSeconds = props.maxBatchingWindow?.toSeconds() ?? 0;
    this.queue = new sqs.Queue(this, 'Queue', {
      ...fifo,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR + windowSeconds),
      retentionPeriod: Duration.days(4),
      maxMessageSizeBytes: MAX_MESSAGE_SIZE_BYTES,
      deadLetterQueue: {
        queue: this.deadLetterQueue,
        maxReceiveCount: props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT,
      },
    });
  }

  /**
   * Makes `consumer` the queue's consumer, reporting partial batch failures so that one bad message
   * is retried (and eventually dead-lettered) alone.
   */
  consumeWith(consumer: lambda.Function): void {
    const timeout = consumer.timeout?.toSeconds() ?? 3;
    if (timeout > this.props.consumerTimeout.toSeconds()) {
      throw new Error(`${this.node.path}: the queue was sized for a ${this.props.consumerTimeout.toSeconds()} s consumer, but ${consumer.node.path} times out after ${timeout} s`);
    }
    consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: this.props.batchSize ?? 10,
        maxBatchingWindow: this.props.maxBatchingWindow,
        reportBatchItemFailures: true,
        maxConcurrency: this.props.maxConcurrency,
      }),
    );
  }
}
