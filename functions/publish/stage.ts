/**
 * Publish stage: adapts batches of the FIFO publish queue (message groups: release × language,
 * `_feed.<language>` for feed renders, `_root` for the root pages) to the publish use case, then
 * ends the batch: feed renders requested for the touched languages, requested ones rendered.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { PublishJobSchema } from '../core/pipeline/jobs';
import { finishPublishBatch, PublishBatch, publishJob, type PublishDeps, type PublishOutcome } from '../core/pipeline/publish';
import { recordOutcome, withObservability, type Observability, type SqsHandler } from '../shared/observability';
import { processFifoBatch } from '../shared/sqs-batch';
import { lazyCloudFrontInvalidator, NoCdnInvalidator } from '../adapters/cloudfront/cdn';
import { ENGINE_DISPLAY_NAMES } from '../adapters/engines/registry';
import type { PipelineConfig } from '../config';
import { systemClock } from '../ports';
import { createAdapters } from '../shared/aws';
import { DynamoDbFeedArchive } from '../adapters/dynamodb/feed-archive';
import { DynamoDbFeedIndex } from '../adapters/dynamodb/feed-index';
import { createLifecycleAdapters } from '../shared/lifecycle';
import type { StageBuilder } from '../shared/stage-builder';

export interface PublishHandlerDeps extends Omit<PublishDeps, 'logger'> {
  observability: Observability;
}

export function makeHandler(deps: PublishHandlerDeps): SqsHandler {
  const { observability } = deps;
  const useCaseDeps: PublishDeps = { ...deps, logger: observability.logger };

  return withObservability(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const batch = new PublishBatch();
    const record = async (message: SQSRecord): Promise<PublishOutcome> => {
      const outcome = await publishJob(useCaseDeps, PublishJobSchema.parse(JSON.parse(message.body)), batch);
      recordOutcome(observability, 'publish', outcome);
      return outcome;
    };
    const response = await processFifoBatch(event, record, context);
    // Throws on failure: the whole batch is retried and its published jobs touch their feeds again.
    const feeds = await finishPublishBatch(useCaseDeps, batch);
    recordOutcome(observability, 'publish', { kind: 'feeds', outputsWritten: feeds.outputsWritten });
    return response;
  }, observability);
}

/** The stage wired from its configuration (the composition root, functions/compose.ts, and the Lambda entry point call it). */
export const build: StageBuilder<PipelineConfig, Partial<PublishHandlerDeps>> = (config, clients, observability, overrides) => {
  const adapters = createAdapters(config, clients);
  // CloudFront in the cloud; the local stack has no CDN (no distribution id).
  // Its client loads on the first invalidation (a first publication invalidates nothing).
  const cdn: PublishHandlerDeps['cdn'] = config.cdnDistributionId
    ? lazyCloudFrontInvalidator(config.cdnDistributionId, (client) => {
        const tracer = observability.tracing?.tracer;
        if (tracer?.isTracingEnabled()) tracer.captureAWSv3Client(client);
      })
    : new NoCdnInvalidator();
  return makeHandler({
    lifecycle: createLifecycleAdapters(config, clients, systemClock).lifecycle,
    uploads: adapters.uploads,
    distribution: adapters.distribution,
    repository: adapters.repository,
    feeds: new DynamoDbFeedIndex({ client: clients.dynamo, tableName: config.tableName }),
    archive: new DynamoDbFeedArchive({ client: clients.dynamo, tableName: config.tableName }),
    publishQueue: adapters.publishQueue,
    webhookQueue: adapters.webhookQueue,
    clock: systemClock,
    site: { baseUrl: config.publicBaseUrl, title: config.siteTitle, engineNames: ENGINE_DISPLAY_NAMES },
    siteLanguages: config.targetLanguages,
    cdn,
    observability,
    ...overrides,
  });
};
