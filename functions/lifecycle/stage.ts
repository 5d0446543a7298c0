/**
 * Lifecycle stage: adapts the lifecycle SQS queue (lift and withdraw jobs, from the ingest
 * stage, EventBridge Scheduler, `polywire lift` / `polywire withdraw`) to the lifecycle use case.
 * A withdrawal of an unknown release is bad input: logged and dropped, never retried.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { LifecycleJobSchema } from '../core/lifecycle';
import { lifecycleJob, type LifecycleOutcome, type LifecycleStageDeps } from '../core/pipeline/lifecycle';
import { withObservability, type Observability, type SqsHandler } from '../shared/observability';
import type { BaseConfig } from '../base-config';
import { ConfigError, isInputError } from '../core/errors';
import { systemClock } from '../ports';
import { createAdapters } from '../shared/aws';
import { createLifecycleAdapters } from '../shared/lifecycle';
import type { StageBuilder } from '../shared/stage-builder';
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

  return withObservability((event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context), observability);
}

/** The stage wired from its configuration (the composition root, functions/compose.ts, and the Lambda entry point call it). */
export const build: StageBuilder<BaseConfig, Partial<LifecycleHandlerDeps>> = (config, clients, observability, overrides) => {
  const adapters = createAdapters(config, clients);
  const lifecycleAdapters = createLifecycleAdapters(config, clients, systemClock);
  if (!lifecycleAdapters.lifecycleQueue) throw new ConfigError('environment variable LIFECYCLE_QUEUE_URL is not set: the lifecycle queue URL');
  return makeHandler({
    repository: adapters.repository,
    lifecycle: lifecycleAdapters.lifecycle,
    lifecycleQueue: lifecycleAdapters.lifecycleQueue,
    publishQueue: adapters.publishQueue,
    translateQueue: adapters.translateQueue,
    bulkTranslateQueue: adapters.bulkTranslateQueue,
    translateAhead: config.translateAhead,
    clock: systemClock,
    observability,
    ...overrides,
  });
};
