/**
 * Lifecycle Lambda: adapts the lifecycle SQS queue (lift and withdraw jobs, from the ingest
 * stage, EventBridge Scheduler, `polywire lift` / `polywire withdraw`) to the lifecycle use case.
 * A withdrawal of an unknown release is bad input: logged and dropped, never retried.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { loadConfig } from '../config';
import { isInputError } from '../core/errors';
import { LifecycleJobSchema } from '../core/lifecycle';
import { lifecycleJob, type LifecycleOutcome, type LifecycleStageDeps } from '../core/pipeline/lifecycle';
import { systemClock } from '../ports';
import { createAdapters, createAwsClients } from '../shared/aws';
import { createLifecycleAdapters } from '../shared/lifecycle';
import { createObservability, withObservability, type Observability, type SqsHandler } from '../shared/observability';
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

// Module scope: configuration fails fast, clients are built once per container, no network.
const config = loadConfig();
const observability = createObservability('lifecycle');
const clients = createAwsClients(observability.tracer);
const adapters = createAdapters(config, clients);
const lifecycleAdapters = createLifecycleAdapters(config, clients, systemClock);
if (!lifecycleAdapters.lifecycleQueue) throw new Error('environment variable LIFECYCLE_QUEUE_URL is not set: the lifecycle queue URL');

export const handler = makeHandler({
  repository: adapters.repository,
  lifecycle: lifecycleAdapters.lifecycle,
  lifecycleQueue: lifecycleAdapters.lifecycleQueue,
  publishQueue: adapters.publishQueue,
  translateQueue: adapters.translateQueue,
  translateAhead: config.translateAhead,
  clock: systemClock,
  observability,
});
