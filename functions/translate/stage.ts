/**
 * Translate stage: adapts translate-queue messages (one release version × one language) to
 * the translate use case; records what each variant cost as metrics.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { TranslateJobSchema } from '../core/pipeline/jobs';
import { translateJob, type TranslateOutcome, type TranslateStageDeps } from '../core/pipeline/translate';
import { recordOutcome, withObservability, type Observability, type SqsHandler } from '../shared/observability';
import { processStandardBatch } from '../shared/sqs-batch';
import { DynamoDbTranslationMemory } from '../adapters/dynamodb/translation-memory';
import type { PipelineConfig } from '../config';
import { DEFAULT_PRICES } from '../core/translation/ledger';
import { systemClock } from '../ports';
import { createAdapters } from '../shared/aws';
import { lazyEngine } from '../shared/engine';
import type { StageBuilder } from '../shared/stage-builder';

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

  return withObservability((event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context), observability);
}

/** The stage wired from its configuration (the composition root, functions/compose.ts, and the Lambda entry point call it). */
export const build: StageBuilder<PipelineConfig, Partial<TranslateHandlerDeps>> = (config, clients, observability, overrides) => {
  const adapters = createAdapters(config, clients);
  return makeHandler({
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
};
