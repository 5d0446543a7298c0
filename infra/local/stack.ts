/**
 * The whole pipeline on this machine: s3rver and dynalite (the emulators), the local SQS
 * service, the queue runner invoking the real Lambda handlers in worker threads (one per
 * concurrent batch, with the function's timeout and memory), the S3 → SQS bridge for
 * `incoming/`, and the HTTP server for the distribution bucket. `polywire start` and the
 * end-to-end suite use it; integration tests use it with test-double handlers.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { buildStage, type StageConfigs, type StageOverrides } from '../../functions/compose';
import { loadConfig } from '../../functions/config';
import { ConfigError } from '../../functions/core/errors';
import { createAwsClients } from '../../functions/shared/aws';
import type { ObservabilityOptions } from '../../functions/shared/observability';
import { INCOMING_PREFIX } from '../../functions/core/pipeline/s3-events';
import { SOURCE_LEASE_MS } from '../../functions/core/pipeline/ingest';
import { DEFAULT_TARGET_LANGUAGES } from '../../functions/core/languages';
import type { EngineName } from '../../functions/adapters/engines/registry';
import { ensureWritableDir, lockDataDir } from './data-dir';
import { DeadLetterStore } from './dead-letters';
import { assertPortFree, startEmulators, type Emulators } from './emulators';
import { QueueRunner, type QueueBinding, type SqsHandler } from './runner';
import { HandlerWorkerPool } from './isolation/pool';
import { prepareWorkerBundle } from './isolation/bundle';
import type { LocalQueue } from './sqs/queue';
import { localBulkLaneSettings, localQueueSettings, localStageSettings, STAGES, STAGE_NAMES, type StageName } from '../../functions/stages';
import { bridgeS3Notifications } from './s3-events';
import { startSiteServer, type SiteServer } from './site-server';
import { startLocalSqs, type LocalSqs } from './sqs/server';
import { removeStackFile, writeStackFile, type LocalStackInfo } from './stack-file';
import { migrateLegacySavedQueue, queueJournalFile } from './saved-queues';

/** The local stack's stages are the table's (functions/stages.ts). */
export type Stage = StageName;

/** Each stage's local queue name (`polywire-<queue>`, `.fifo` for FIFO queues), from the stage table. */
export const QUEUE_NAMES: Readonly<Record<Stage, string>> = Object.fromEntries(STAGE_NAMES.map((stage) => [stage, localStageSettings(stage).queueName])) as Record<Stage, string>;

/** Every local queue's name: the stages' and the bulk lanes' (`polywire-translate-bulk`). */
export const LOCAL_QUEUE_NAMES: readonly string[] = localQueueSettings().map(({ settings }) => settings.queueName);

/** The Lambda entry point of each stage, relative to the repository root (what a worker imports). */
const handlerModule = (stage: Stage): string => `functions/${stage}/handler.ts`;

const REPOSITORY_ROOT = new URL('../../', import.meta.url);

export interface LocalStackOptions {
  /** Persisted state (S3, DynamoDB, dead letters, queued messages). Absent: a throwaway temp folder, DynamoDB in memory. */
  dataDir?: string;
  host?: string;
  /** Site (distribution bucket) HTTP port; 0 = any free port. */
  port?: number;
  s3Port?: number;
  dynamoPort?: number;
  sqsPort?: number;
  engine?: EngineName;
  languages?: readonly string[];
  /** PUBLIC_BASE_URL; default: the local site URL. */
  baseUrl?: string;
  /** Further handler environment (secrets, SITE_TITLE, PRICE_TABLE …); the stack's own values win. */
  environment?: Record<string, string>;
  /**
   * Keep the user's AWS credential chain for the handlers instead of the emulators' fixed pair
   * (Amazon Translate needs real credentials; see `prepareEngine`).
   */
  userCredentials?: boolean;
  /** Handlers to run instead of the real modules (tests), in-process. Missing stages run the real stage. */
  handlers?: Partial<Record<Stage, SqsHandler>>;
  /**
   * How the real handler modules run: `worker` (default), each concurrent batch in a worker thread
   * with the function's timeout and memory, like Lambda; `in-process`, imported into this thread
   * (a stuck handler then blocks the emulators and the site).
   */
  isolation?: 'worker' | 'in-process';
  /** Dependencies to replace in the real stages (a benchmark's engine); such stages run in-process. */
  overrides?: { [S in Stage]?: StageOverrides[S] };
  maxReceiveCount?: number;
  backoffMs?: (receiveCount: number) => number;
  /** Write `<data-dir>/stack.json` for other `polywire` commands (default: when a data folder is given). */
  writeStackFile?: boolean;
}

export interface LocalStack {
  emulators: Emulators;
  sqs: LocalSqs;
  runner: QueueRunner;
  site: SiteServer;
  deadLetters: DeadLetterStore;
  dataDir: string;
  siteUrl: string;
  baseUrl: string;
  /** The handlers' settings in environment form (for the stack file and child processes; never applied to `process.env`). */
  environment: Record<string, string>;
  info: LocalStackInfo;
  s3: S3Client;
  /** Resolves when every queue is empty and no batch is in flight. */
  whenIdle(): Promise<void>;
  /** Stops accepting work, lets batches in flight finish (bounded), closes every server; queued messages stay journaled. */
  close(graceMs?: number): Promise<void>;
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const persisted = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'polywire-stack-'));
  if (persisted) ensureWritableDir(dataDir);
  if (options.port) await assertPortFree(host, options.port, 'site (--port)');
  if (options.sqsPort) await assertPortFree(host, options.sqsPort, 'SQS endpoint (--sqs-port)');

  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await Promise.resolve(close()).catch(() => undefined);
  };
  // Taken first and released last: nothing else may open this folder's stores in between.
  if (persisted) closers.push(lockDataDir(dataDir));
  try {
    const emulators = await startEmulators({ dataDir: persisted ? dataDir : undefined, host, s3Port: options.s3Port, dynamoPort: options.dynamoPort });
    closers.push(() => emulators.close());
    // Persisted stacks journal every queue (messages survive kill -9); older saved queues join their journal first.
    const journal = (name: string) => {
      if (!persisted) return {};
      ensureWritableDir(join(dataDir, 'sqs'), dataDir);
      migrateLegacySavedQueue(dataDir, name);
      return { journalFile: queueJournalFile(dataDir, name) };
    };
    const sqs = await startLocalSqs({
      host,
      port: options.sqsPort ?? 0,
      queues: localQueueSettings().map(({ stage, settings }) => {
        const { queueName, visibilityTimeoutSeconds } = settings;
        return {
          name: queueName,
          visibilityTimeoutSeconds,
          // An ingest delivery cut off by a stop or crash leaves its claim leased in DynamoDB; its redelivery waits the lease out instead of failing against it into the dead-letter list.
          ...(stage === 'ingest' ? { holdReceivedAfterRestartMs: SOURCE_LEASE_MS + 1000 } : {}),
          ...journal(queueName),
        };
      }),
    });
    closers.push(() => sqs.close());
    const site = await startSiteServer({ s3: emulators.s3ClientConfig(), bucket: emulators.buckets.distribution, host, port: options.port ?? 0 });
    closers.push(() => site.close());

    const siteUrl = site.url;
    const baseUrl = (options.baseUrl ?? siteUrl).replace(/\/+$/, '');
    const sdkEnvironment = emulators.sdkEnvironment();
    if (options.userCredentials) {
      delete sdkEnvironment.AWS_ACCESS_KEY_ID;
      delete sdkEnvironment.AWS_SECRET_ACCESS_KEY;
      delete sdkEnvironment.AWS_REGION;
    }
    const environment: Record<string, string> = {
      ...options.environment,
      ...sdkEnvironment,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      TABLE_NAME: emulators.tableName,
      UPLOADS_BUCKET: emulators.buckets.uploads,
      DISTRIBUTION_BUCKET: emulators.buckets.distribution,
      INGEST_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.ingest),
      TRANSLATE_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.translate),
      TRANSLATE_BULK_QUEUE_URL: sqs.queueUrl(localBulkLaneSettings('translate')!.queueName),
      PUBLISH_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.publish),
      WEBHOOK_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.deliver),
      LIFECYCLE_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.lifecycle),
      PUBLIC_BASE_URL: baseUrl,
      TARGET_LANGUAGES: (options.languages ?? DEFAULT_TARGET_LANGUAGES).join(','),
      TRANSLATION_ENGINE: options.engine ?? options.environment?.TRANSLATION_ENGINE ?? 'pseudo',
      // Handlers' structured logs would drown the progress display; warnings and errors still show.
      POWERTOOLS_LOG_LEVEL: options.environment?.POWERTOOLS_LOG_LEVEL ?? 'WARN',
      POWERTOOLS_METRICS_DISABLED: options.environment?.POWERTOOLS_METRICS_DISABLED ?? 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_SERVICE_NAME: 'polywire',
    };
    const deadLetters = new DeadLetterStore(join(dataDir, 'dlq'));
    // The stages are built from a configuration and clients of this stack's own (in-process) or by
    // their Lambda entry point inside a worker thread with the function's environment (worker):
    // nothing goes through this thread's process.env, so two stacks can run in one process.
    const config = loadConfig(environment);
    const observability: ObservabilityOptions = {
      logLevel: (environment.POWERTOOLS_LOG_LEVEL?.toUpperCase() ?? 'WARN') as ObservabilityOptions['logLevel'],
      metrics: environment.POWERTOOLS_METRICS_DISABLED === 'false',
      tracing: false,
    };
    const withoutCredentials = <T extends { credentials?: unknown }>(settings: T): T => {
      if (!options.userCredentials) return settings;
      const { credentials: _, ...rest } = settings;
      return rest as T;
    };
    let clients: ReturnType<typeof createAwsClients> | undefined;
    const inProcessClients = () =>
      (clients ??= createAwsClients({
        s3: withoutCredentials(emulators.s3ClientConfig()),
        dynamo: withoutCredentials(emulators.dynamoClientConfig()),
        sqs: withoutCredentials({ endpoint: sqs.endpoint, region: emulators.dynamoClientConfig().region, credentials: emulators.dynamoClientConfig().credentials }),
      }));
    const stageConfig = <S extends Stage>(stage: S): StageConfigs[S] =>
      (stage === 'deliver' ? { tableName: config.tableName, webhookQueueUrl: config.webhookQueueUrl, allowLoopback: true, local: true, observability } : { ...config, observability }) as StageConfigs[S];
    const isolation = options.isolation ?? 'worker';
    const isolated = STAGE_NAMES.filter((stage) => isolation === 'worker' && !options.handlers?.[stage] && !options.overrides?.[stage]);
    for (const stage of isolated) {
      if (!existsSync(new URL(handlerModule(stage), REPOSITORY_ROOT))) throw new ConfigError(`the ${stage} handler ${handlerModule(stage)} is missing: this checkout is incomplete`);
    }
    // Built once (or reused from an earlier start) here, so no worker compiles TypeScript at its cold start.
    const bundle = isolated.length > 0 ? await prepareWorkerBundle(Object.fromEntries(isolated.map((stage) => [stage, handlerModule(stage)]))) : undefined;
    const handlers = {} as Record<Stage, StageHandler>;
    for (const stage of STAGE_NAMES) {
      const override = options.handlers?.[stage];
      if (override) {
        handlers[stage] = { handler: override };
      } else if (bundle && isolated.includes(stage)) {
        // Each worker imports the entry point itself, with the function's environment, at its first batch.
        handlers[stage] = {
          isolated: new HandlerWorkerPool({
            entry: bundle.workerEntry,
            init: { functionName: `polywire-${stage}`, moduleUrl: bundle.handlers[stage]!, environment, memoryMb: STAGES[stage].memoryMb },
          }),
        };
      } else {
        handlers[stage] = { handler: buildStage(stage, stageConfig(stage), inProcessClients(), { overrides: options.overrides?.[stage] as never }) };
      }
    }
    const pools = Object.values(handlers).flatMap((h) => (h.isolated ? [h.isolated] : []));
    closers.push(() => Promise.all(pools.map((pool) => pool.close())).then(() => undefined));
    const runner = new QueueRunner({
      deadLetters,
      maxReceiveCount: options.maxReceiveCount,
      backoffMs: options.backoffMs,
      bindings: localBindings((name) => sqs.queue(name), handlers),
    });
    const unbridge = bridgeS3Notifications(emulators.s3, { bucket: emulators.buckets.uploads, prefix: INCOMING_PREFIX, queue: sqs.queue(QUEUE_NAMES.ingest) });
    closers.push(unbridge);
    runner.start();
    closers.push(() => runner.stop(0));

    const info: LocalStackInfo = {
      pid: process.pid,
      s3Endpoint: emulators.s3Endpoint,
      dynamoEndpoint: emulators.dynamoEndpoint,
      sqsEndpoint: sqs.endpoint,
      siteUrl,
      tableName: emulators.tableName,
      buckets: emulators.buckets,
      environment,
    };
    const shouldWriteStackFile = options.writeStackFile ?? persisted;
    if (shouldWriteStackFile) writeStackFile(dataDir, info);

    const s3 = new S3Client(emulators.s3ClientConfig());
    let closed: Promise<void> | undefined;
    return {
      emulators,
      sqs,
      runner,
      site,
      deadLetters,
      dataDir,
      siteUrl,
      baseUrl,
      environment,
      info,
      s3,
      whenIdle: () => runner.whenIdle(),
      close: (graceMs = 10_000) =>
        (closed ??= (async () => {
          unbridge();
          // Messages still queued or in flight stay in the queues' journals and resume at the next start.
          await runner.stop(graceMs);
          s3.destroy();
          if (shouldWriteStackFile) removeStackFile(dataDir);
          await closeAll();
          if (!persisted) rmSync(dataDir, { recursive: true, force: true });
        })()),
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

type StageHandler = Pick<QueueBinding, 'handler' | 'isolated'>;

/**
 * The runner's bindings: one per queue of the table whose stage has a handler (a bulk lane is
 * bound to its stage's handler too: the same function, as in the cloud), with its local settings
 * (the integration harness leaves out deliver, whose jobs it only inspects).
 */
export function localBindings(queue: (queueName: string) => LocalQueue, handlers: Partial<Record<Stage, StageHandler>>): QueueBinding[] {
  return localQueueSettings()
    .filter(({ stage }) => handlers[stage] !== undefined)
    .map(({ stage, settings }) => ({
      queue: queue(settings.queueName),
      functionName: `polywire-${stage}`,
      ...handlers[stage],
      timeoutMs: settings.timeoutSeconds * 1000,
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
    }));
}
