/**
 * The whole pipeline on this machine: s3rver and dynalite (the emulators), the local SQS
 * service, the queue runner invoking the real Lambda handlers in-process, the S3 → SQS bridge for
 * `incoming/`, and the HTTP server for the distribution bucket. `polywire start` and the
 * end-to-end suite use it; integration tests use it with test-double handlers.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../functions/core/errors';
import { INCOMING_PREFIX } from '../../functions/core/pipeline/s3-events';
import { SOURCE_LEASE_MS } from '../../functions/core/pipeline/ingest';
import { DEFAULT_TARGET_LANGUAGES } from '../../functions/core/languages';
import type { EngineName } from '../../functions/ports';
import { ensureWritableDir, lockDataDir } from './data-dir';
import { DeadLetterStore } from './dead-letters';
import { assertPortFree, startEmulators, type Emulators } from './emulators';
import { QueueRunner, type SqsHandler } from './runner';
import { bridgeS3Notifications } from './s3-events';
import { startSiteServer, type SiteServer } from './site-server';
import { startLocalSqs, type LocalSqs } from './sqs/server';
import { removeStackFile, writeStackFile, type LocalStackInfo } from './stack-file';
import { migrateLegacySavedQueue, queueJournalFile } from './saved-queues';

export type Stage = 'ingest' | 'translate' | 'publish' | 'webhook' | 'lifecycle';

export const QUEUE_NAMES: Readonly<Record<Stage, string>> = {
  ingest: 'polywire-ingest',
  translate: 'polywire-translate',
  publish: 'polywire-publish.fifo',
  webhook: 'polywire-webhook',
  /** Lifts (delayed to their second) and withdrawals; see functions/core/pipeline/lifecycle.ts. */
  lifecycle: 'polywire-lifecycle',
};

/** The handler module of each stage, relative to the repository root (the Lambda entry points). */
export const HANDLER_MODULES: Readonly<Record<Stage, string>> = {
  ingest: 'functions/ingest/handler.ts',
  translate: 'functions/translate/handler.ts',
  publish: 'functions/publish/handler.ts',
  webhook: 'functions/deliver/handler.ts',
  lifecycle: 'functions/lifecycle/handler.ts',
};

/**
 * Per stage: Lambda function timeout, batch size and concurrent batches on one machine. These do not
 * all mirror the cloud's FUNCTION_SETTINGS (infra/stacks/pipeline-stack.ts): ingest takes batches of
 * 5 (cloud: 10) and translate may run 300 s (cloud: 120 s); the other timeouts and batch sizes match.
 */
const STAGE_SETTINGS: Readonly<Record<Stage, { timeoutMs: number; batchSize: number; concurrency: number }>> = {
  ingest: { timeoutMs: 60_000, batchSize: 5, concurrency: 2 },
  translate: { timeoutMs: 300_000, batchSize: 5, concurrency: 4 },
  publish: { timeoutMs: 120_000, batchSize: 10, concurrency: 8 },
  webhook: { timeoutMs: 60_000, batchSize: 10, concurrency: 2 },
  lifecycle: { timeoutMs: 60_000, batchSize: 10, concurrency: 2 },
};

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
  /** Handlers to run instead of the real modules (tests). Missing stages load the real module. */
  handlers?: Partial<Record<Stage, SqsHandler>>;
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
  /** The handlers' environment (also applied to `process.env`). */
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
      queues: [
        // An ingest delivery cut off by a stop or crash leaves its claim leased in DynamoDB; its redelivery waits the lease out instead of failing against it into the dead-letter list.
        { name: QUEUE_NAMES.ingest, visibilityTimeoutSeconds: 360, holdReceivedAfterRestartMs: SOURCE_LEASE_MS + 1000, ...journal(QUEUE_NAMES.ingest) },
        { name: QUEUE_NAMES.translate, visibilityTimeoutSeconds: 1800, ...journal(QUEUE_NAMES.translate) },
        { name: QUEUE_NAMES.publish, visibilityTimeoutSeconds: 720, ...journal(QUEUE_NAMES.publish) },
        { name: QUEUE_NAMES.webhook, visibilityTimeoutSeconds: 360, ...journal(QUEUE_NAMES.webhook) },
        { name: QUEUE_NAMES.lifecycle, visibilityTimeoutSeconds: 360, ...journal(QUEUE_NAMES.lifecycle) },
      ],
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
      PUBLISH_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.publish),
      WEBHOOK_QUEUE_URL: sqs.queueUrl(QUEUE_NAMES.webhook),
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
    // Handlers build their configuration and SDK clients at module scope from process.env, as in Lambda.
    const previousEnvironment = Object.fromEntries(Object.keys(environment).map((name) => [name, process.env[name]]));
    Object.assign(process.env, environment);
    closers.push(() => {
      for (const [name, value] of Object.entries(previousEnvironment)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    });

    const deadLetters = new DeadLetterStore(join(dataDir, 'dlq'));
    const handlers = await loadHandlers(options.handlers ?? {});
    const runner = new QueueRunner({
      deadLetters,
      maxReceiveCount: options.maxReceiveCount,
      backoffMs: options.backoffMs,
      bindings: (Object.keys(QUEUE_NAMES) as Stage[]).map((stage) => ({
        queue: sqs.queue(QUEUE_NAMES[stage]),
        functionName: `polywire-${stage}`,
        handler: handlers[stage],
        ...STAGE_SETTINGS[stage],
      })),
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

async function loadHandlers(overrides: Partial<Record<Stage, SqsHandler>>): Promise<Record<Stage, SqsHandler>> {
  const handlers = {} as Record<Stage, SqsHandler>;
  for (const stage of Object.keys(HANDLER_MODULES) as Stage[]) {
    const override = overrides[stage];
    if (override) {
      handlers[stage] = override;
      continue;
    }
    const url = new URL(HANDLER_MODULES[stage], REPOSITORY_ROOT);
    if (!existsSync(url)) throw new ConfigError(`the ${stage} handler ${HANDLER_MODULES[stage]} is missing: this checkout is incomplete`);
    const module = (await import(pathToFileURL(url.pathname).href)) as { handler?: SqsHandler };
    if (typeof module.handler !== 'function') throw new ConfigError(`${HANDLER_MODULES[stage]} does not export a handler function`);
    handlers[stage] = module.handler;
  }
  return handlers;
}
