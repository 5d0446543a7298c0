/**
 * The deliver Lambda entry point: the configuration read once from the environment (failing fast,
 * naming the variable), clients built once per container, the stage wired by its `build`
 * (./stage.ts) as the composition root (functions/compose.ts) does; only this stage is imported,
 * so the bundle carries nothing of the others.
 */
import { loadDeliverConfig } from './config';
import { createTableAndQueueClients } from '../shared/aws';
import { loadTracing } from '../shared/observability';
import { assembleStage } from '../shared/stage-builder';
import { build } from './stage';

// Its own settings only (./config.ts): the pipeline configuration's engine registry stays out of the asset.
const config = loadDeliverConfig(process.env);

// Deliver never touches a bucket: no S3 client (its construction and code stay out of the cold start).
// The tracer loads only when tracing is on (a top-level await: once, at start-up).
export const handler = assembleStage('deliver', build, config, createTableAndQueueClients(), { tracing: await loadTracing('deliver', config.observability) });
