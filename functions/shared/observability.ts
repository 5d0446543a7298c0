/**
 * Powertools logger, metrics and tracer for one function, and the wrapper every handler ends
 * with. One place, so the stages log, measure and trace alike.
 *
 * The wrapper calls the logger and metrics directly (Powertools' manual usage) instead of through
 * middy and their middy middlewares: the same calls, without middy and the two middleware
 * modules in every cold start (about 9 M instructions of the import, `npm run bench -- --only
 * cold-start`). middy is loaded with the tracer, whose Powertools integration is a middleware.
 *
 * The tracer loads only when tracing is on (`POWERTOOLS_TRACE_ENABLED=true`, which the function
 * construct sets with `-c enableTracing=true`): it brings aws-xray-sdk-core and its CommonJS
 * dependencies (about 120 KiB) and an async hook into the cold start, for SDK subsegments that
 * Lambda's own active tracing does without (docs/deploy.md, "Function assets").
 */
import type middy from '@middy/core';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { stageMetrics, type StageName, type StageOutcomes } from '../stages';

export const METRICS_NAMESPACE = 'polywire';

/** Metric names the pipeline emits (CloudWatch, namespace `polywire`, dimension `service`). */
export type PipelineMetric =
  | 'MessagesReceived'
  | 'ReleasesIngested'
  | 'ReleasesDuplicate'
  | 'ReleasesStale'
  | 'ReleasesRejected'
  | 'TranslationsReceived'
  | 'EventsSkipped'
  | 'VariantsTranslated'
  | 'VariantsFailed'
  // Held by the QA policy for review (docs/qa.md).
  | 'VariantsHeld'
  | 'VariantsSkipped'
  | 'VariantsPublished'
  | 'BilledCharacters'
  | 'MemoryCharacters'
  | 'OutputsWritten'
  | 'WebhookFanOut'
  | 'WebhookDelivered'
  | 'WebhookRetryScheduled'
  | 'WebhookSubscriptionDisabled'
  | 'WebhookFailed'
  | 'WebhookSkippedInactive'
  | 'WebhookDuplicateSkipped';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  /** Only when tracing is on (`loadTracing`): otherwise the tracer's code is never loaded. */
  tracing?: Tracing;
}

/** The Powertools tracer, its middy middleware and middy itself, loaded together. */
export interface Tracing {
  tracer: Tracer;
  middleware: ReturnType<typeof captureLambdaHandler>;
  middy: typeof middy;
}

/**
 * Settings the caller decides (from the configuration): unset fields leave Powertools to its own
 * defaults and `POWERTOOLS_*` variables, as in Lambda. The local stack sets them explicitly, so
 * two stacks in one process never share them through the environment.
 */
export interface ObservabilityOptions {
  /** CloudWatch namespace; default `polywire`. */
  namespace?: string;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** False: metrics are kept in memory and dropped at each flush, never printed. */
  metrics?: boolean;
  /** True: load the Powertools tracer (`loadTracing`); anything else leaves it unloaded. */
  tracing?: boolean;
}

/**
 * The tracer for one service when `options.tracing` is true, else undefined without loading it.
 * Powertools then decides from its own variables whether it records (only inside Lambda).
 *
 * @example
 * export const handler = assembleStage('deliver', build, config, clients, { tracing: await loadTracing('deliver', config.observability) });
 */
export async function loadTracing(service: string, options: ObservabilityOptions = {}): Promise<Tracing | undefined> {
  if (options.tracing !== true) return undefined;
  const [{ Tracer }, { captureLambdaHandler }, { default: middy }] = await Promise.all([import('@aws-lambda-powertools/tracer'), import('@aws-lambda-powertools/tracer/middleware'), import('@middy/core')]);
  const tracer = new Tracer({ serviceName: service });
  return { tracer, middleware: captureLambdaHandler(tracer), middy };
}

/** One service name per stage (`ingest`, `translate`, `publish`, `deliver`), so logs and metrics tell the stages apart. */
export function createObservability(service: string, options: ObservabilityOptions = {}, tracing?: Tracing): Observability {
  const logger = new Logger({ serviceName: service, ...(options.logLevel ? { logLevel: options.logLevel } : {}) });
  const metricsOptions = { namespace: options.namespace ?? METRICS_NAMESPACE, serviceName: service, logger: metricsNoticesTo(logger) };
  return {
    logger,
    metrics: options.metrics === false ? new SilentMetrics(metricsOptions) : new Metrics(metricsOptions),
    ...(tracing ? { tracing } : {}),
  };
}

/** Metrics that are recorded and dropped: the local stack's terminal shows progress, not EMF documents. */
class SilentMetrics extends Metrics {
  override publishStoredMetrics(): this {
    this.clearMetrics();
    return this;
  }
}

const EMPTY_FLUSH_NOTICE = 'No application metrics to publish';

/**
 * Metrics' own notices go through the function's structured logger (Powertools' `logger` option)
 * instead of plain stdout. The empty-flush notice becomes a debug line: every invocation adds
 * `MessagesReceived` (see `withObservability`), so a flush finds nothing only when invocations
 * overlap in one process (the local runner, tests) and an earlier flush already published this
 * invocation's metrics — nothing is lost, and the terminal should not say otherwise.
 */
function metricsNoticesTo(logger: Logger) {
  return {
    debug: (...content: unknown[]) => logger.debug(String(content[0] ?? '')),
    info: (...content: unknown[]) => logger.info(String(content[0] ?? '')),
    warn: (...content: unknown[]) => {
      const message = String(content[0] ?? '');
      if (message.startsWith(EMPTY_FLUSH_NOTICE)) logger.debug(message);
      else logger.warn(message);
    },
    error: (...content: unknown[]) => logger.error(String(content[0] ?? '')),
  };
}

/** Adds a count-like metric; zero values are left out to keep EMF documents small. */
export function count(observability: Observability, name: PipelineMetric, value = 1): void {
  if (value > 0) observability.metrics.addMetric(name, MetricUnit.Count, value);
}

/** Adds the metrics the stage table (functions/stages.ts) derives from one outcome. */
export function recordOutcome<S extends StageName>(observability: Observability, stage: S, outcome: StageOutcomes[S]): void {
  for (const [name, value] of Object.entries(stageMetrics(stage, outcome)) as [PipelineMetric, number][]) count(observability, name, value);
}

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/**
 * The wrapper at the bottom of every handler: the logger bound to the invocation, metrics flushed
 * when it ends (also when it throws), and the tracer's middleware around all of it when loaded.
 * It makes the calls Powertools' `injectLambdaContext(logger, { resetKeys: true })` and
 * `logMetrics(metrics)` middlewares make, in the same order.
 */
export function withObservability(fn: SqsHandler, observability: Observability): SqsHandler {
  const { logger, metrics, tracing } = observability;
  const observed: SqsHandler = async (event, context) => {
    logger.refreshSampleRateCalculation();
    logger.addContext(context);
    logger.logEventIfEnabled(event);
    try {
      // Every invocation publishes at least this one metric (an empty EMF flush only logs a warning).
      metrics.addMetric('MessagesReceived', MetricUnit.Count, event.Records.length);
      return await fn(event, context);
    } finally {
      metrics.publishStoredMetrics();
      logger.clearBuffer();
      // Keys a record appended must not leak into the next invocation's lines.
      logger.resetKeys();
    }
  };
  return tracing ? (tracing.middy(observed).use(tracing.middleware) as unknown as SqsHandler) : observed;
}
