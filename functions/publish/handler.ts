/**
 * Publish Lambda: adapts batches of the FIFO publish queue (message group = language, `_root`
 * for the root pages) to the publish use case, then renders the touched feeds once per batch.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { CloudFrontInvalidator, NoCdnInvalidator } from '../adapters/cloudfront/invalidator';
import { loadConfig } from '../config';
import { PublishJobSchema } from '../core/pipeline/jobs';
import { finishPublishBatch, PublishBatch, publishJob, type PublishDeps, type PublishOutcome } from '../core/pipeline/publish';
import { systemClock } from '../ports';
import { createAdapters, createAwsClients } from '../shared/aws';
import { createLifecycleAdapters } from '../shared/lifecycle';
import { count, createObservability, withObservability, type Observability, type SqsHandler } from '../shared/observability';
import { processFifoBatch } from '../shared/sqs-batch';

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
      if (outcome.kind === 'published') count(observability, 'VariantsPublished');
      if ('outputsWritten' in outcome) count(observability, 'OutputsWritten', outcome.outputsWritten);
      return outcome;
    };
    const response = await processFifoBatch(event, record, context);
    // Throws on failure: the whole batch is retried and its published jobs touch their feeds again.
    const feeds = await finishPublishBatch(useCaseDeps, batch);
    count(observability, 'OutputsWritten', feeds.outputsWritten);
    return response;
  }, observability);
}

const config = loadConfig();
const observability = createObservability('publish');
const clients = createAwsClients(observability.tracer);
const adapters = createAdapters(config, clients);
// CloudFront in the cloud; the local stack has no CDN (CDN_DISTRIBUTION_ID unset).
const cdnClient = config.cdnDistributionId ? new CloudFrontClient({}) : undefined;
if (cdnClient) observability.tracer.captureAWSv3Client(cdnClient);
const cdn =
  cdnClient && config.cdnDistributionId
    ? new CloudFrontInvalidator({ client: cdnClient, distributionId: config.cdnDistributionId })
    : new NoCdnInvalidator();

export const handler = makeHandler({
  lifecycle: createLifecycleAdapters(config, clients, systemClock).lifecycle,
  uploads: adapters.uploads,
  distribution: adapters.distribution,
  repository: adapters.repository,
  feeds: adapters.feeds,
  archive: adapters.archive,
  publishQueue: adapters.publishQueue,
  webhookQueue: adapters.webhookQueue,
  clock: systemClock,
  site: { baseUrl: config.publicBaseUrl, title: config.siteTitle },
  siteLanguages: config.targetLanguages,
  cdn,
  observability,
});
