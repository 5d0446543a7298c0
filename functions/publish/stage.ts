/**
 * Publish stage: adapts batches of the FIFO publish queue (message group = language, `_root`
 * for the root pages) to the publish use case, then renders the touched feeds once per batch.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { PublishJobSchema } from '../core/pipeline/jobs';
import { finishPublishBatch, PublishBatch, publishJob, type PublishDeps, type PublishOutcome } from '../core/pipeline/publish';
import { recordOutcome, withObservability, type Observability, type SqsHandler } from '../shared/observability';
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
