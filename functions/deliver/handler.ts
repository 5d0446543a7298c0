/**
 * Deliver stage: adapts the webhook SQS queue to webhook deliveries. A message is either a
 * `WebhookJob` from the publish stage (fanned out into one `DeliveryJob` per matching active
 * subscription, on the same queue) or a `DeliveryJob` (one attempt; a retry goes back on the queue
 * with an SQS delay). Every attempt lands in the delivery log, so a failed push is visible.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isLocalEnvironment } from '../config';
import { DynamoDbSubscriptionStore } from '../adapters/dynamodb/subscriptions';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import { deliverWebhook, type DeliveryResult } from '../adapters/webhook/deliver';
import { createWebhookDispatcher } from '../adapters/webhook/http-client';
import { ConfigError } from '../core/errors';
import {
  messageIdFor,
  parseWebhookQueueMessage,
  type DeliveryJob,
  type WebhookEvent,
} from '../core/webhooks/event';
import type { AttemptEntry, SubscriptionStore } from '../core/webhooks/store';
import { matches, type Subscription } from '../core/webhooks/subscription';
import { systemClock, type Clock, type JobQueue, type QueueMessage } from '../ports';

/** SQS's per-message delay limit. */
export const MAX_SQS_DELAY_SECONDS = 900;
/** A job due within this margin runs now rather than being delayed once more for a moment. */
const DUE_TOLERANCE_MS = 1_000;

type LogFn = (message: string, ...extra: Array<Record<string, unknown>>) => void;
/** The slice of a Powertools `Logger` the stage uses (a recorder in tests). */
export interface StageLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
/** The slice of a Powertools `Metrics` the stage uses. */
export interface StageMetrics {
  addMetric(name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number): void;
}

export interface DeliverStageDeps {
  store: SubscriptionStore;
  /** The webhook queue itself: fan-out and retries go back on it. */
  queue: JobQueue;
  /** Makes one attempt; `deliverWebhook` bound to the shared dispatcher in production. */
  deliver: (subscription: Subscription, job: DeliveryJob) => Promise<DeliveryResult>;
  clock?: Clock;
  logger: StageLogger;
  metrics?: StageMetrics;
}

/** Where a subscriber lives, for logs: the origin only (paths and queries may carry tokens). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function eventKeys(event: WebhookEvent): Record<string, unknown> {
  return { eventType: event.type, releaseId: event.releaseId, version: event.version, language: event.language };
}

/**
 * Builds the SQS batch handler around injected adapters (tests pass a DynamoDB store on dynalite,
 * a recording queue and a local receiver). Failed records are reported individually.
 *
 * @example
 * const handle = makeHandler({ store, queue, deliver: (s, j) => deliverWebhook(s, j, { dispatcher }), logger });
 * const { batchItemFailures } = await handle(sqsEvent, context);
 */
export function makeHandler(deps: DeliverStageDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const clock = deps.clock ?? systemClock;
  const { logger, store, queue } = deps;
  const count = (name: string, value = 1) => deps.metrics?.addMetric(name, MetricUnit.Count, value);

  async function fanOut(event: WebhookEvent): Promise<void> {
    const targets = (await store.listActive()).filter((subscription) => matches(subscription, event));
    const messages: QueueMessage[] = targets.map((subscription) => {
      const job: DeliveryJob = {
        subscriptionId: subscription.id,
        messageId: messageIdFor(subscription.id, event),
        event,
        attempt: 1,
      };
      return { body: job };
    });
    if (messages.length > 0) await queue.send(messages);
    count('WebhookFanOut', messages.length);
    logger.info('webhook event fanned out', { ...eventKeys(event), subscribers: messages.length });
  }

  async function requeue(job: DeliveryJob, dueAt: number, now: number): Promise<number> {
    const waitMs = Math.max(0, dueAt - now);
    const delaySeconds = Math.min(Math.ceil(waitMs / 1000), MAX_SQS_DELAY_SECONDS);
    // Past SQS's 15-minute limit the job carries its due time and is delayed again on arrival.
    const { notBefore: _previous, ...rest } = job;
    const body: DeliveryJob = waitMs > delaySeconds * 1000 ? { ...rest, notBefore: dueAt } : rest;
    await queue.send([{ body, delaySeconds }]);
    return delaySeconds;
  }

  async function deliverOne(job: DeliveryJob): Promise<void> {
    const keys = { subscriptionId: job.subscriptionId, messageId: job.messageId, attempt: job.attempt, ...eventKeys(job.event) };
    const now = clock.now();
    if (job.notBefore !== undefined && job.notBefore - now.getTime() > DUE_TOLERANCE_MS) {
      const delaySeconds = await requeue(job, job.notBefore, now.getTime());
      logger.debug('webhook attempt not due yet, delayed again', { ...keys, delaySeconds });
      return;
    }

    const subscription = await store.get(job.subscriptionId);
    if (!subscription || subscription.status !== 'active') {
      count('WebhookSkippedInactive');
      logger.info('webhook dropped: subscription missing or disabled', { ...keys, found: subscription !== undefined });
      return;
    }

    const claimed = await store.claimAttempt(
      {
        subscriptionId: job.subscriptionId,
        messageId: job.messageId,
        attempt: job.attempt,
        eventType: job.event.type,
        releaseId: job.event.releaseId,
        version: job.event.version,
        language: job.event.language,
      },
      now,
    );
    if (!claimed) {
      count('WebhookDuplicateSkipped');
      logger.info('webhook attempt already made or delivered: duplicate dropped', keys);
      return;
    }

    const result = await deps.deliver(subscription, job);
    const finishedAt = clock.now();
    const entry: AttemptEntry = {
      attempt: job.attempt,
      at: now.toISOString(),
      outcome: result.outcome,
      ...(result.status === undefined ? {} : { status: result.status }),
      ...(result.error === undefined ? {} : { error: result.error }),
    };
    const logKeys = { ...keys, endpoint: originOf(subscription.url), status: result.status, error: result.error };
    const attemptKey = { subscriptionId: job.subscriptionId, messageId: job.messageId, attempt: job.attempt, entry };

    switch (result.outcome) {
      case 'delivered':
        await store.recordAttempt({ ...attemptKey, status: 'delivered' }, finishedAt);
        count('WebhookDelivered');
        logger.info('webhook delivered', logKeys);
        return;
      case 'retry': {
        const dueAt = finishedAt.getTime() + (result.delayMs ?? 0);
        // Enqueue before recording: if recording fails, SQS redelivers this attempt and the claim
        // lease lets it run again; the reverse order could lose the retry.
        await requeue({ ...job, attempt: job.attempt + 1 }, dueAt, finishedAt.getTime());
        await store.recordAttempt(
          { ...attemptKey, status: 'retrying', nextAttemptAt: new Date(dueAt).toISOString() },
          finishedAt,
        );
        count('WebhookRetryScheduled');
        logger.warn('webhook attempt failed, retry scheduled', { ...logKeys, retryInMs: result.delayMs });
        return;
      }
      case 'disable': {
        const reason = `${result.error ?? 'disabled by the endpoint'} (message ${job.messageId}, ${finishedAt.toISOString()})`;
        await store.disable(job.subscriptionId, reason, finishedAt);
        await store.recordAttempt({ ...attemptKey, status: 'failed' }, finishedAt);
        count('WebhookSubscriptionDisabled');
        logger.warn('webhook subscription disabled', logKeys);
        return;
      }
      case 'failed':
        await store.recordAttempt({ ...attemptKey, status: 'failed' }, finishedAt);
        count('WebhookFailed');
        logger.error('webhook delivery failed for good', logKeys);
        return;
    }
  }

  async function handleRecord(record: SQSRecord): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch (error) {
      throw new Error(`webhook queue message ${record.messageId} is not JSON`, { cause: error });
    }
    const message = parseWebhookQueueMessage(body);
    if (message.kind === 'fan-out') await fanOut(message.job.event);
    else await deliverOne(message.job);
  }

  return async (event, context) => {
    const processor = new BatchProcessor(EventType.SQS);
    return processPartialResponse(event, handleRecord, processor, context ? { context } : {});
  };
}

// ---------------------------------------------------------------------------------------------
// Lambda wiring: configuration and clients once per container.

interface DeliverConfig {
  tableName: string;
  webhookQueueUrl: string;
  allowLoopback: boolean;
}

function readConfig(env: Readonly<Record<string, string | undefined>>): DeliverConfig {
  const need = (name: string, what: string) => {
    const value = env[name]?.trim();
    if (!value) throw new ConfigError(`environment variable ${name} is not set: the deliver function needs ${what}`);
    return value;
  };
  return {
    tableName: need('TABLE_NAME', 'the DynamoDB table name'),
    webhookQueueUrl: need('WEBHOOK_QUEUE_URL', 'the webhook queue URL'),
    // Loopback receivers are for local runs: honoured only when the SDK talks to emulators.
    allowLoopback: env.WEBHOOK_ALLOW_LOOPBACK === 'true' && isLocalEnvironment(env),
  };
}

const config = readConfig(process.env);
const logger = new Logger({ serviceName: 'polywire-deliver' });
const metrics = new Metrics({ namespace: 'polywire', serviceName: 'polywire-deliver' });
const tracer = new Tracer({ serviceName: 'polywire-deliver' });
const documentClient = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const sqsClient = tracer.captureAWSv3Client(new SQSClient({}));
const dispatcher = createWebhookDispatcher({ allowLoopback: config.allowLoopback });

export const handler = middy(
  makeHandler({
    store: new DynamoDbSubscriptionStore({ client: documentClient, tableName: config.tableName }),
    queue: new SqsJobQueue({ client: sqsClient, queueUrl: config.webhookQueueUrl }),
    deliver: (subscription, job) => deliverWebhook(subscription, job, { dispatcher, allowLoopback: config.allowLoopback }),
    logger,
    metrics,
  }),
)
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }))
  .use(injectLambdaContext(logger));
