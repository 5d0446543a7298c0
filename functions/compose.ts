/**
 * The composition root: `buildStage(name, config, clients)` wires one stage's handler from a
 * configuration object and SDK clients. The local stack, the benchmarks and the tests call it with
 * a configuration they build, so nothing here reads or writes the environment, and two pipelines
 * can run in one process. Each stage's wiring is its `build` (functions/<stage>/stage.ts); a Lambda
 * entry point calls its own stage's `build` through `assembleStage` directly, so its bundle holds
 * that stage only.
 */
import type { StageConfig } from './config';
import { build as deliver, type DeliverStageDeps } from './deliver/stage';
import { build as ingest, type IngestHandlerDeps } from './ingest/stage';
import { build as lifecycle, type LifecycleHandlerDeps } from './lifecycle/stage';
import { build as publish, type PublishHandlerDeps } from './publish/stage';
import type { AwsClients } from './shared/aws';
import type { SqsHandler } from './shared/observability';
import { assembleStage, type AssembleOptions, type StageBuilder } from './shared/stage-builder';
import type { StageName } from './stages';
import { build as translate, type TranslateHandlerDeps } from './translate/stage';

/** The configuration each stage needs: deliver reads only its own slice (no translation engine). */
export type StageConfigs = { [S in StageName]: StageConfig<S> };

/** Dependencies a caller replaces (a benchmark's engine, a test's clock); the rest is built from the configuration. */
export interface StageOverrides {
  ingest: Partial<IngestHandlerDeps>;
  translate: Partial<TranslateHandlerDeps>;
  publish: Partial<PublishHandlerDeps>;
  deliver: Partial<DeliverStageDeps>;
  lifecycle: Partial<LifecycleHandlerDeps>;
}

/** One builder per stage of the table: a stage without one fails the type-check. */
const BUILDERS: { [S in StageName]: StageBuilder<StageConfigs[S], StageOverrides[S]> } = { ingest, translate, publish, deliver, lifecycle };

/**
 * Builds the SQS handler of one stage. No network happens here (engines and secrets are built on
 * first use).
 *
 * @example
 * const handler = buildStage('ingest', config, createAwsClients({ s3: { forcePathStyle: config.local } }));
 */
export function buildStage<S extends StageName>(name: S, config: StageConfigs[S], clients: AwsClients, options: AssembleOptions<StageOverrides[S]> = {}): SqsHandler {
  return assembleStage(name, BUILDERS[name] as StageBuilder<StageConfigs[S], StageOverrides[S]>, config, clients, options);
}
