/**
 * Deliver Lambda: adapts the webhook SQS queue to the deliver use case
 * (`core/webhooks/deliver.ts`: fan-out of a published event, one signed attempt per delivery job,
 * retries back on the queue), one partial-batch failure per failed message.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbSubscriptionStore } from '../adapters/dynamodb/subscriptions';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import type { DeliveryResult } from '../adapters/webhook/deliver';
import type { DeliveryJob } from '../core/webhooks/event';
import { handleWebhookMessage, type DeliverResult, type StageLogger } from '../core/webhooks/deliver';
import type { SubscriptionStore } from '../core/webhooks/store';
import type { Subscription } from '../core/webhooks/subscription';
import { systemClock, type Clock, type JobQueue } from '../ports';
import { createTableAndQueueClients } from '../shared/aws';
import { createObservability, withObservability, type PipelineMetric } from '../shared/observability';
import { processStandardBatch } from '../shared/sqs-batch';
import { createWebhookSender, loadDeliverConfig } from '../shared/webhooks';

export { MAX_SQS_DELAY_SECONDS, type StageLogger } from '../core/webhooks/deliver';

/** The slice of a Powertools `Metrics` the stage uses. */
export interface StageMetrics {
  addMetric(name: string, unit: 'Count', value: number): void;
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

/**
 * Builds the SQS batch handler around injected adapters (tests pass a DynamoDB store on dynalite,
 * a recording queue and a local receiver). Failed records are reported individually.
 *
 * @example
 * const handle = makeHandler({ store, queue, deliver: (s, j) => deliverWebhook(s, j, { dispatcher }), logger });
 * const { batchItemFailures } = await handle(sqsEvent, context);
 */
export function makeHandler(deps: DeliverStageDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const useCase = { store: deps.store, queue: deps.queue, send: deps.deliver, clock: deps.clock ?? systemClock, logger: deps.logger };

  const record = async (message: SQSRecord): Promise<DeliverResult> => {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch (error) {
      throw new Error(`webhook queue message ${message.messageId} is not JSON`, { cause: error });
    }
    const result = await handleWebhookMessage(useCase, body);
    recordMetrics(deps.metrics, result);
    return result;
  };

  return (event, context) => processStandardBatch(event, record, context as Context);
}

const METRIC_OF: Partial<Record<DeliverResult['kind'], PipelineMetric>> = {
  inactive: 'WebhookSkippedInactive',
  duplicate: 'WebhookDuplicateSkipped',
  delivered: 'WebhookDelivered',
  'retry-scheduled': 'WebhookRetryScheduled',
  disabled: 'WebhookSubscriptionDisabled',
  failed: 'WebhookFailed',
};

function recordMetrics(metrics: StageMetrics | undefined, result: DeliverResult): void {
  if (!metrics) return;
  if (result.kind === 'fanned-out') {
    if (result.subscribers > 0) metrics.addMetric('WebhookFanOut', 'Count', result.subscribers);
    return;
  }
  const name = METRIC_OF[result.kind];
  if (name) metrics.addMetric(name, 'Count', 1);
}

// Module scope: configuration fails fast, clients are built once per container, no network.
const config = loadDeliverConfig();
const observability = createObservability('deliver');
const clients = createTableAndQueueClients(observability.tracer);

export const handler = withObservability(
  makeHandler({
    store: new DynamoDbSubscriptionStore({ client: clients.dynamo, tableName: config.tableName }),
    queue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.webhookQueueUrl }),
    deliver: createWebhookSender(config),
    logger: observability.logger,
    metrics: observability.metrics,
  }),
  observability,
);
