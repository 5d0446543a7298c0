/**
 * Translate stage: adapts translate-queue messages (one release version × one language) to
 * the translate use case; records what each variant cost as metrics.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { TranslateJobSchema } from '../core/pipeline/jobs';
import { translateJob, type TranslateOutcome, type TranslateStageDeps } from '../core/pipeline/translate';
import { recordOutcome, withObservability, type Observability, type SqsHandler } from '../shared/observability';
import { processStandardBatch } from '../shared/sqs-batch';

export interface TranslateHandlerDeps extends Omit<TranslateStageDeps, 'logger'> {
  observability: Observability;
}

export function makeHandler(deps: TranslateHandlerDeps): SqsHandler {
  const { observability } = deps;
  const useCaseDeps: TranslateStageDeps = { ...deps, logger: observability.logger };

  const record = async (message: SQSRecord): Promise<TranslateOutcome> => {
    const job = TranslateJobSchema.parse(JSON.parse(message.body));
    const attempt = Number(message.attributes?.ApproximateReceiveCount ?? '1') || 1;
    const outcome = await translateJob(useCaseDeps, job, attempt);
    recordOutcome(observability, 'translate', outcome);
    return outcome;
  };

  return withObservability(
    (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context),
    observability,
  );
}
