/**
 * The deliver Lambda entry point: the configuration read once from the environment (failing fast,
 * naming the variable), clients built once per container, the stage wired by the composition
 * root. The stage itself is in ./stage.ts.
 */
import { buildStage } from '../compose';
import { loadStageConfig } from '../config';
import { createAwsClients } from '../shared/aws';

const config = loadStageConfig('deliver', process.env);

export const handler = buildStage('deliver', config, createAwsClients({ s3: { forcePathStyle: config.local } }));
