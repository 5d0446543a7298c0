/**
 * Deliver stage: adapts the webhook SQS queue to the deliver use case
 * (`core/webhooks/deliver.ts`: fan-out of a published event, one signed attempt per delivery job,
 * retries back on the queue), one partial-batch failure per failed message.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbSubscriptionStore } from '../adapters/dynamodb/subscriptions';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import { handleWebhookMessage, type DeliverResult } from '../core/webhooks/deliver';
import { systemClock, type Clock, type JobQueue, type SubscriptionStore, type WebhookSender } from '../ports';
import { processStandardBatch } from '../shared/sqs-batch';
import { recordOutcome, withObservability, type Observability, type SqsHandler } from '../shared/observability';
import type { DeliverConfig } from '../config';
import { createWebhookSender } from '../shared/webhooks';
import type { StageBuilder } from '../shared/stage-builder';
import type { TableAndQueueClients } from '../shared/aws';

export { MAX_SQS_DELAY_SECONDS } from '../core/webhooks/deliver';

export interface DeliverStageDeps {
  store: SubscriptionStore;
  /** The webhook queue itself: fan-out and retries go back on it. */
  queue: JobQueue;
  /** Makes one attempt; `deliverWebhook` bound to the shared dispatcher in production. */
  deliver: WebhookSender;
  clock?: Clock;
  /** Logger, metrics and tracer, as every stage has them; the handler ends in the shared wrapper (`withObservability`). */
  observability: Observability;
}

/**
 * Builds the SQS batch handler around injected adapters (tests pass a DynamoDB store on dynalite,
 * a recording queue and a local receiver). Failed records are reported individually.
 *
 * @example
 * const handle = makeHandler({ store, queue, deliver: (s, j) => deliverWebhook(s, j, { dispatcher }), observability });
 * const { batchItemFailures } = await handle(sqsEvent, context);
 */
export function makeHandler(deps: DeliverStageDeps): SqsHandler {
  const { observability } = deps;
  const useCase = { store: deps.store, queue: deps.queue, send: deps.deliver, clock: deps.clock ?? systemClock, logger: observability.logger };

  const record = async (message: SQSRecord): Promise<DeliverResult> => {
    let body: unknown;
    try {
      body = JSON.parse(message.body);
    } catch (error) {
      throw new Error(`webhook queue message ${message.messageId} is not JSON`, { cause: error });
    }
    const result = await handleWebhookMessage(useCase, body);
    recordOutcome(observability, 'deliver', result);
    return result;
  };

  return withObservability((event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context), observability);
}

/** The stage wired from its configuration (the composition root, functions/compose.ts, and the Lambda entry point call it). */
export const build: StageBuilder<DeliverConfig, Partial<DeliverStageDeps>, TableAndQueueClients> = (config, clients, observability, overrides) =>
  makeHandler({
    store: new DynamoDbSubscriptionStore({ client: clients.dynamo, tableName: config.tableName }),
    queue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.webhookQueueUrl }),
    deliver: createWebhookSender(config),
    observability,
    ...overrides,
  });
