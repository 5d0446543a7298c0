/**
 * Translate Lambda: adapts translate-queue messages (one release version × one language) to
 * the translate use case; records what each variant cost as metrics.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DynamoDbTranslationMemory } from '../adapters/dynamodb/translation-memory';
import { loadConfig } from '../config';
import { TranslateJobSchema } from '../core/pipeline/jobs';
import { translateJob, type TranslateOutcome, type TranslateStageDeps } from '../core/pipeline/translate';
import { DEFAULT_PRICES } from '../core/translation';
import { systemClock } from '../ports';
import { createAdapters, createAwsClients } from '../shared/aws';
import { lazyEngine } from '../shared/engine';
import { count, createObservability, withObservability, type Observability, type SqsHandler } from '../shared/observability';
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
    if (outcome.kind === 'translated' || outcome.kind === 'held') {
      count(observability, 'VariantsTranslated');
      if (outcome.kind === 'held') count(observability, 'VariantsHeld');
      count(observability, 'BilledCharacters', outcome.variant.ledger.billedCharacters);
      count(observability, 'MemoryCharacters', outcome.variant.ledger.memoryCharacters);
    } else if (outcome.kind === 'failed') {
      count(observability, 'VariantsFailed');
    } else {
      count(observability, 'VariantsSkipped');
    }
    return outcome;
  };

  return withObservability(
    (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => processStandardBatch(event, record, context),
    observability,
  );
}

const config = loadConfig();
const observability = createObservability('translate');
const clients = createAwsClients(observability.tracer);
const adapters = createAdapters(config, clients);

export const handler = makeHandler({
  uploads: adapters.uploads,
  repository: adapters.repository,
  publishQueue: adapters.publishQueue,
  clock: systemClock,
  engine: lazyEngine(config.engine),
  memory: new DynamoDbTranslationMemory({ client: clients.dynamo, tableName: config.tableName }),
  prices: { ...DEFAULT_PRICES, ...config.priceTable },
  qaPolicy: config.qaPolicy,
  observability,
});
