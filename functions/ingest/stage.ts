/**
 * Ingest stage: adapts SQS messages carrying S3 ObjectCreated notifications of the uploads
 * bucket (`incoming/`) to the ingest use case, one partial-batch failure per failed message.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestObject, type IngestDeps, type IngestOutcome } from '../core/pipeline/ingest';
import { readS3Message } from '../core/pipeline/s3-events';
import type { MessageVisibility } from '../ports';
import { recordOutcome, withObservability, type Observability, type SqsHandler } from '../shared/observability';
import { processStandardBatch } from '../shared/sqs-batch';
import { SharpImageProcessor } from '../adapters/sharp/image-processor';
import { SqsMessageVisibility } from '../adapters/sqs/message-visibility';
import type { BaseConfig } from '../base-config';
import { systemClock } from '../ports';
import { createAdapters } from '../shared/aws';
import { createLifecycleAdapters } from '../shared/lifecycle';
import type { StageBuilder } from '../shared/stage-builder';

export interface IngestHandlerDeps extends Omit<IngestDeps, 'logger'> {
  observability: Observability;
  /** Hides a message whose event another delivery holds, until the lease ends. */
  visibility?: MessageVisibility;
}

/** Builds the handler from its dependencies (tests inject adapters; Lambda uses the ones below). */
export function makeHandler(deps: IngestHandlerDeps): SqsHandler {
  const { observability } = deps;
  const useCaseDeps: IngestDeps = { ...deps, logger: observability.logger };

  const record = async (message: SQSRecord): Promise<IngestOutcome[]> => {
    const content = readS3Message(message.body);
    if (content.kind === 'test-event') {
      observability.logger.info('ignoring s3:TestEvent', { messageId: message.messageId });
      return [];
    }
    for (const ignored of content.ignored) observability.logger.info('ignoring S3 event', ignored);
    const outcomes: IngestOutcome[] = [];
    for (const event of content.events) {
      try {
        const outcome = await ingestObject(useCaseDeps, event);
        outcomes.push(outcome);
        recordOutcome(observability, 'ingest', outcome);
      } catch (error) {
        // The batch processor reports the failure to SQS but logs nothing: without this the
        // reason a message is retried (and finally dead-lettered) is found nowhere.
        observability.logger.error('ingest failed; the message will be retried', { messageId: message.messageId, key: event.key, error: error as Error });
        throw error;
      }
    }
    return outcomes;
  };

  return withObservability((event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context, deps.visibility), observability);
}

/** The stage wired from its configuration (the composition root, functions/compose.ts, and the Lambda entry point call it). */
export const build: StageBuilder<BaseConfig, Partial<IngestHandlerDeps>> = (config, clients, observability, overrides) => {
  const adapters = createAdapters(config, clients);
  return makeHandler({
    ...createLifecycleAdapters(config, clients, systemClock),
    translateAhead: config.translateAhead,
    uploads: adapters.uploads,
    repository: adapters.repository,
    translateQueue: adapters.translateQueue,
    bulkTranslateQueue: adapters.bulkTranslateQueue,
    clock: systemClock,
    targetLanguages: config.targetLanguages,
    images: new SharpImageProcessor(),
    observability,
    ...(config.ingestQueueUrl ? { visibility: new SqsMessageVisibility({ client: clients.sqs, queueUrl: config.ingestQueueUrl }) } : {}),
    ...overrides,
  });
};
