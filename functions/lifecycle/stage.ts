/**
 * Lifecycle stage: adapts the lifecycle SQS queue (lift and withdraw jobs, from the ingest
 * stage, EventBridge Scheduler, `polywire lift` / `polywire withdraw`) to the lifecycle use case.
 * A withdrawal of an unknown release is bad input: logged and dropped, never retried.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { isInputError } from '../core/errors';
import { LifecycleJobSchema } from '../core/lifecycle';
import { lifecycleJob, type LifecycleOutcome, type LifecycleStageDeps } from '../core/pipeline/lifecycle';
import { withObservability, type Observability, type SqsHandler } from '../shared/observability';
import { processStandardBatch } from '../shared/sqs-batch';

export interface LifecycleHandlerDeps extends Omit<LifecycleStageDeps, 'logger'> {
  observability: Observability;
}

export function makeHandler(deps: LifecycleHandlerDeps): SqsHandler {
  const { observability } = deps;
  const useCaseDeps: LifecycleStageDeps = { ...deps, logger: observability.logger };

  const record = async (message: SQSRecord): Promise<LifecycleOutcome | undefined> => {
    const job = LifecycleJobSchema.parse(JSON.parse(message.body));
    try {
      return await lifecycleJob(useCaseDeps, job);
    } catch (error) {
      if (!isInputError(error)) throw error;
      observability.logger.warn('lifecycle job refused', { job, error: error.toJSON() });
      return undefined;
    }
  };

  return withObservability(
    (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context),
    observability,
  );
}
