/**
 * The shape every stage's builder has, and `assembleStage`, which gives it its observability. Kept
 * apart from `functions/compose.ts` so that a Lambda entry point imports its own stage only (one
 * stage per bundle: the deliver bundle must not carry sharp or the translation engines).
 */
import type { AwsClients } from './aws';
import { createObservability, type Observability, type ObservabilityOptions, type SqsHandler, type Tracing } from './observability';

/** Builds one stage's handler from its configuration, the clients and its observability; `overrides` replace built dependencies. */
export type StageBuilder<Config, Overrides, Clients extends Partial<AwsClients> = AwsClients> = (config: Config, clients: Clients, observability: Observability, overrides: Overrides) => SqsHandler;

export interface AssembleOptions<Overrides> {
  observability?: ObservabilityOptions;
  overrides?: Overrides;
  /** The loaded tracer (`loadTracing`), when tracing is on. */
  tracing?: Tracing;
}

/** Creates the stage's logger, metrics and tracer (tracing the SDK clients when enabled) and builds it. */
export function assembleStage<Config extends { observability?: ObservabilityOptions }, Overrides, Clients extends Partial<AwsClients>>(
  name: string,
  build: StageBuilder<Config, Overrides, Clients>,
  config: Config,
  clients: Clients,
  options: AssembleOptions<Overrides> = {},
): SqsHandler {
  const observability = createObservability(name, { ...config.observability, ...options.observability }, options.tracing);
  const tracer = observability.tracing?.tracer;
  if (tracer?.isTracingEnabled()) for (const client of [clients.s3, clients.dynamo, clients.sqs]) if (client) tracer.captureAWSv3Client(client);
  return build(config, clients, observability, options.overrides ?? ({} as Overrides));
}
