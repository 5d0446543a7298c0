/**
 * The composition root: `buildStage(name, config, clients)` wires one stage's handler from a
 * configuration object and SDK clients. The Lambda entry points (`functions/<stage>/handler.ts`)
 * call it with the configuration read from the environment; the local stack, the benchmarks and
 * the tests call it with a configuration they build, so nothing here reads or writes the environment
 * here, and two pipelines can run in one process.
 */
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudFrontInvalidator, NoCdnInvalidator } from './adapters/cloudfront/invalidator';
import { DynamoDbSubscriptionStore } from './adapters/dynamodb/subscriptions';
import { DynamoDbTranslationMemory } from './adapters/dynamodb/translation-memory';
import { SharpImageProcessor } from './adapters/sharp/image-processor';
import { SqsJobQueue } from './adapters/sqs/job-queue';
import { SqsMessageVisibility } from './adapters/sqs/message-visibility';
import type { DeliverConfig, PipelineConfig } from './config';
import { ConfigError } from './core/errors';
import { DEFAULT_PRICES } from './core/translation';
import { makeHandler as makeDeliverHandler, type DeliverStageDeps } from './deliver/stage';
import { makeHandler as makeIngestHandler, type IngestHandlerDeps } from './ingest/stage';
import { makeHandler as makeLifecycleHandler, type LifecycleHandlerDeps } from './lifecycle/stage';
import { systemClock } from './ports';
import { makeHandler as makePublishHandler, type PublishHandlerDeps } from './publish/stage';
import { createAdapters, type AwsClients } from './shared/aws';
import { lazyEngine } from './shared/engine';
import { createLifecycleAdapters } from './shared/lifecycle';
import { createObservability, type ObservabilityOptions, type SqsHandler } from './shared/observability';
import { createWebhookSender } from './shared/webhooks';
import type { StageName } from './stages';
import { makeHandler as makeTranslateHandler, type TranslateHandlerDeps } from './translate/stage';

/** The configuration each stage needs: deliver reads only its own slice (no translation engine). */
export interface StageConfigs {
  ingest: PipelineConfig;
  translate: PipelineConfig;
  publish: PipelineConfig;
  deliver: DeliverConfig;
  lifecycle: PipelineConfig;
}

/** Dependencies a caller replaces (a benchmark's engine, a test's clock); the rest is built from the configuration. */
export interface StageOverrides {
  ingest: Partial<IngestHandlerDeps>;
  translate: Partial<TranslateHandlerDeps>;
  publish: Partial<PublishHandlerDeps>;
  deliver: Partial<DeliverStageDeps>;
  lifecycle: Partial<LifecycleHandlerDeps>;
}

export interface BuildOptions<S extends StageName> {
  observability?: ObservabilityOptions;
  overrides?: StageOverrides[S];
}

/**
 * Builds the SQS handler of one stage. No network happens here (engines and secrets are built on
 * first use).
 *
 * @example
 * const handler = buildStage('ingest', config, createAwsClients({ s3: { forcePathStyle: config.local } }));
 */
export function buildStage<S extends StageName>(name: S, config: StageConfigs[S], clients: AwsClients, options: BuildOptions<S> = {}): SqsHandler {
  const observability = createObservability(name, { ...config.observability, ...options.observability });
  if (observability.tracer.isTracingEnabled()) for (const client of [clients.s3, clients.dynamo, clients.sqs]) observability.tracer.captureAWSv3Client(client);
  const builders: { [K in StageName]: (config: StageConfigs[K], overrides: StageOverrides[K]) => SqsHandler } = {
    ingest: (config, overrides) => {
      const adapters = createAdapters(config, clients);
      return makeIngestHandler({
        ...createLifecycleAdapters(config, clients, systemClock),
        translateAhead: config.translateAhead,
        uploads: adapters.uploads,
        repository: adapters.repository,
        translateQueue: adapters.translateQueue,
        clock: systemClock,
        targetLanguages: config.targetLanguages,
        images: new SharpImageProcessor(),
        observability,
        ...(config.ingestQueueUrl ? { visibility: new SqsMessageVisibility({ client: clients.sqs, queueUrl: config.ingestQueueUrl }) } : {}),
        ...overrides,
      });
    },
    translate: (config, overrides) => {
      const adapters = createAdapters(config, clients);
      return makeTranslateHandler({
        uploads: adapters.uploads,
        repository: adapters.repository,
        publishQueue: adapters.publishQueue,
        clock: systemClock,
        engine: lazyEngine(config.engine),
        memory: new DynamoDbTranslationMemory({ client: clients.dynamo, tableName: config.tableName }),
        prices: { ...DEFAULT_PRICES, ...config.priceTable },
        qaPolicy: config.qaPolicy,
        observability,
        ...overrides,
      });
    },
    publish: (config, overrides) => {
      const adapters = createAdapters(config, clients);
      // CloudFront in the cloud; the local stack has no CDN (no distribution id).
      let cdn: PublishHandlerDeps['cdn'] = new NoCdnInvalidator();
      if (config.cdnDistributionId) {
        const cdnClient = new CloudFrontClient({});
        if (observability.tracer.isTracingEnabled()) observability.tracer.captureAWSv3Client(cdnClient);
        cdn = new CloudFrontInvalidator({ client: cdnClient, distributionId: config.cdnDistributionId });
      }
      return makePublishHandler({
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
        ...overrides,
      });
    },
    deliver: (config, overrides) =>
      makeDeliverHandler({
        store: new DynamoDbSubscriptionStore({ client: clients.dynamo, tableName: config.tableName }),
        queue: new SqsJobQueue({ client: clients.sqs, queueUrl: config.webhookQueueUrl }),
        deliver: createWebhookSender(config),
        logger: observability.logger,
        metrics: observability.metrics,
        observability,
        ...overrides,
      }),
    lifecycle: (config, overrides) => {
      const adapters = createAdapters(config, clients);
      const lifecycleAdapters = createLifecycleAdapters(config, clients, systemClock);
      if (!lifecycleAdapters.lifecycleQueue) throw new ConfigError('environment variable LIFECYCLE_QUEUE_URL is not set: the lifecycle queue URL');
      return makeLifecycleHandler({
        repository: adapters.repository,
        lifecycle: lifecycleAdapters.lifecycle,
        lifecycleQueue: lifecycleAdapters.lifecycleQueue,
        publishQueue: adapters.publishQueue,
        translateQueue: adapters.translateQueue,
        translateAhead: config.translateAhead,
        clock: systemClock,
        observability,
        ...overrides,
      });
    },
  };
  return (builders[name] as (config: StageConfigs[S], overrides: StageOverrides[S]) => SqsHandler)(config, options.overrides ?? ({} as StageOverrides[S]));
}
