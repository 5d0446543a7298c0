/**
 * The ingest Lambda entry point: the configuration read once from the environment (failing fast,
 * naming the variable), clients built once per container, the stage wired by its `build`
 * (./stage.ts) as the composition root (functions/compose.ts) does; only this stage is imported,
 * so the bundle carries nothing of the others.
 */
import { loadBaseConfig } from '../base-config';
import { createAwsClients } from '../shared/aws';
import { loadTracing } from '../shared/observability';
import { assembleStage } from '../shared/stage-builder';
import { build } from './stage';

// The shared settings only: ingest never translates, so it loads no engine registry or QA policy.
const config = loadBaseConfig(process.env);

// The tracer loads only when tracing is on (a top-level await: once, at start-up).
export const handler = assembleStage('ingest', build, config, createAwsClients({ s3: { forcePathStyle: config.local } }), { tracing: await loadTracing('ingest', config.observability) });
