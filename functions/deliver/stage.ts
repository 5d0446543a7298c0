/**
 * Deliver stage: adapts the webhook SQS queue to the deliver use case
 * (`core/webhooks/deliver.ts`: fan-out of a published event, one signed attempt per delivery job,
 * retries back on the queue), one partial-batch failure per failed message.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbSubscriptionStore } from '../adapters/dynamodb/subscriptions';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import { handleWebhookMessage, type DeliverResult } from '../core/webhooks/deliver';
import { systemClock, type Clock, type JobQueue, type StageLogger, type SubscriptionStore, type WebhookSender } from '../ports';
import { processStandardBatch } from '../shared/sqs-batch';
import { stageMetrics } from '../stages';
import { withObservability, type Observability, type SqsHandler } from '../shared/observability';
import type { DeliverConfig } from '../config';
import { createWebhookSender } from '../shared/webhooks';
import type { StageBuilder } from '../shared/stage-builder';
import type { TableAndQueueClients } from '../shared/aws';

export { MAX_SQS_DELAY_SECONDS } from '../core/webhooks/deliver';

/** The slice of a Powertools `Metrics` the stage uses. */
export interface StageMetrics {
  addMetric(name: string, unit: 'Count', value: number): void;
}

export interface DeliverStageDeps {
  store: SubscriptionStore;
  /** The webhook queue itself: fan-out and retries go back on it. */
  queue: JobQueue;
  /** Makes one attempt; `deliverWebhook` bound to the shared dispatcher in production. */
  deliver: WebhookSender;
  clock?: Clock;
  logger: StageLogger;
  metrics?: StageMetrics;
  /** With it, the handler ends in the shared middy chain (tracing, metrics flushed, logger bound), as the other stages do. */
  observability?: Observability;
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

  const handle = (event: SQSEvent, context?: Context) => processStandardBatch(event, record, context as Context);
  return deps.observability ? (withObservability(handle as SqsHandler, deps.observability) as typeof handle) : handle;
}

/** The stage table's metrics of one result (functions/stages.ts). */
function recordMetrics(metrics: StageMetrics | undefined, result: DeliverResult): void {
  if (!metrics) return;
  for (const [name, value] of Object.entries(stageMetrics('deliver', result))) if (value > 0) metrics.addMetric(name, 'Count', value);
}

/** The stage wired from its configuration (the composition root, functions/compose.ts, and the Lambda entry point call it). */
export const build: StageBuilder<DeliverConfig, Partial<DeliverStageDeps>, TableAndQueueClients> = (config, clients, observability, overrides) =>
  makeHandler({
    store: new DynamoDbSubscriptionStore({ client: clients.dynamo, tableName: config.tableName }),
    queue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.webhookQueueUrl }),
    deliver: createWebhookSender(config),
    logger: observability.logger,
    metrics: observability.metrics,
    observability,
    ...overrides,
  });
