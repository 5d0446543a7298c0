/**
 * Test driver for the pipeline: the stages built by the composition root (`buildStage`, the
 * path the local stack's in-process mode takes) with the real adapters against the embedded
 * emulators and the local stack's own SQS service (infra/local/sqs) and queue runner
 * (infra/local/runner.ts), so the stages send their jobs through real SDK SQS clients and
 * receive them as Lambda's event source mapping delivers them (batches, partial-batch failures,
 * receive counts, FIFO groups, the dead-letter list). The runner is stepped with `drain()`
 * rather than started: rounds of batches until nothing is visible, the same order on every run.
 * Deliver is not run: its jobs stay queued for the tests to read (`queues.webhook.sent`).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { DeadLetterStore, type DeadLetter } from '../../../infra/local/dead-letters';
import { QueueRunner, type InvocationResult } from '../../../infra/local/runner';
import { localBindings } from '../../../infra/local/stack';
import { startLocalSqs, type LocalSqs } from '../../../infra/local/sqs/server';
import { buildStage, type StageOverrides } from '../../../functions/compose';
import type { PipelineConfig } from '../../../functions/config';
import { S3ObjectStore } from '../../../functions/adapters/s3/object-store';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { DynamoDbFeedArchive } from '../../../functions/adapters/dynamodb/feed-archive';
import { DynamoDbFeedIndex } from '../../../functions/adapters/dynamodb/feed-index';
import { DynamoDbLifecycleStore } from '../../../functions/adapters/dynamodb/lifecycle-store';
import { PseudoEngine } from '../../../functions/adapters/pseudo/engine';
import { SqsJobQueue } from '../../../functions/adapters/sqs/job-queue';
import { SqsLiftScheduler } from '../../../functions/adapters/sqs/lift-scheduler';
import { TranslationError } from '../../../functions/core/errors';
import { DEFAULT_QA_POLICY, type QaPolicy } from '../../../functions/core/qa';
import type { CdnInvalidator, Clock, EngineRequest, JobQueue, QueueMessage, TranslationEngine } from '../../../functions/ports';
import { createAwsClients } from '../../../functions/shared/aws';
import { observeCommands } from '../../../functions/shared/sdk-commands';
import { localBulkLaneSettings, localQueueSettings, localStageSettings, type StageName } from '../../../functions/stages';
import { RecordingQueue as FakeJobQueue } from '../../support/fakes';
import { asStage, emulatorResourceNames, recordStageCommands } from '../../support/sdk-commands';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../fixtures/events/${name}`, import.meta.url), 'utf8'));

/** URL-encodes a key the way S3 event notifications do: form encoding, `+` for spaces, `/` kept. */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

/** An S3 ObjectCreated notification (as it arrives in an SQS body), from the real-shaped fixture. */
export function s3NotificationBody(input: { bucket: string; key: string; sequencer: string; size?: number }): string {
  const notification = structuredClone(fixture('s3-object-created.json')) as {
    Records: { s3: { bucket: { name: string; arn: string }; object: { key: string; size: number; sequencer: string } } }[];
  };
  const record = notification.Records[0]!;
  record.s3.bucket.name = input.bucket;
  record.s3.bucket.arn = `arn:aws:s3:::${input.bucket}`;
  record.s3.object.key = encodeS3EventKey(input.key);
  record.s3.object.sequencer = input.sequencer;
  record.s3.object.size = input.size ?? 0;
  return JSON.stringify(notification);
}

export const S3_TEST_EVENT_BODY = JSON.stringify(fixture('s3-test-event.json'));

/**
 * Test double of `JobQueue` for tests that call a use case directly rather than through the
 * pipeline's queues: records every message sent (the in-memory fake of test/support/fakes.ts,
 * with the names these tests use).
 */
export class RecordingQueue extends FakeJobQueue {
  /** `fifo` only says what the queue stands for; nothing is deduplicated or delivered. */
  constructor(readonly fifo = false) {
    super();
  }
  get sent(): QueueMessage[] {
    return this.messages;
  }
}

/** A pseudo engine that fails (retryably, as a provider outage would) for some languages. */
export class FailingEngine implements TranslationEngine {
  readonly name = 'pseudo';
  readonly kind = 'pseudo' as const;
  readonly maxRequestBytes = 10_000;
  private readonly inner = new PseudoEngine();
  calls = 0;

  constructor(private readonly failFor: ReadonlySet<string> = new Set()) {}

  supports(language: string): boolean {
    return this.inner.supports(language);
  }

  async translate(request: EngineRequest): Promise<string[]> {
    this.calls++;
    if (this.failFor.has(request.targetLanguage)) {
      throw new TranslationError('ENGINE_UNAVAILABLE', `test engine: ${request.targetLanguage} is unavailable (simulated outage)`);
    }
    return this.inner.translate(request);
  }
}

/** The stepping clock: `now()` advances it; `peek()` reads it without (the lifecycle queue's delays go by it). */
export type SteppingClock = Clock & { advanceTo(instant: string): void; peek(): Date };

/** A clock that advances one second per reading: deterministic and strictly increasing; tests may jump it ahead. */
export function steppingClock(start = Date.parse('2026-11-26T09:00:00Z')): SteppingClock {
  let now = start;
  return {
    now: () => new Date((now += 1000)),
    peek: () => new Date(now),
    advanceTo: (instant) => {
      now = Math.max(now, Date.parse(instant));
    },
  };
}

export const MAX_RECEIVE_COUNT = 5;

/**
 * For tests of CLI commands (`polywire status`), which read the user's environment: stubs
 * `TABLE_NAME` and the SDK endpoints of the harness's emulators until `vi.unstubAllEnvs()`.
 * The pipeline itself never reads the environment.
 */
export function stubCliEnvironment(harness: Pick<PipelineHarness, 'emulators'>): void {
  for (const [name, value] of Object.entries({ ...harness.emulators.sdkEnvironment(), TABLE_NAME: harness.emulators.tableName })) vi.stubEnv(name, value);
}

export interface PipelineHarness {
  emulators: Emulators;
  s3: S3Client;
  uploads: S3ObjectStore;
  distribution: S3ObjectStore;
  repository: DynamoDbReleaseRepository;
  feeds: DynamoDbFeedIndex;
  archive: DynamoDbFeedArchive;
  /** The pipeline's queues on the local SQS service: what was sent to each, and its dead letters. */
  queues: { ingest: HarnessQueue; translate: HarnessQueue; translateBulk: HarnessQueue; publish: HarnessQueue; webhook: HarnessQueue; lifecycle: HarnessQueue };
  /** The local SQS service the stages send to. */
  sqs: LocalSqs;
  /** The local stack's queue runner, bound to ingest, translate, publish and lifecycle; `run` drains it. */
  runner: QueueRunner;
  lifecycle: DynamoDbLifecycleStore;
  /** What publish asked the CDN to invalidate (the cloud's CloudFront; nothing locally). */
  cdn: RecordingCdn;
  /** The pipeline's clock (one second per reading); `advanceTo` moves it to an instant. */
  clock: SteppingClock;
  /** Responses of every ingest invocation, in order. */
  ingestResponses: SQSBatchResponse[];
  /** Puts an object into the uploads bucket and returns its notification body (not yet delivered). */
  upload(key: string, body: string | Uint8Array): Promise<string>;
  nextSequencer(): string;
  /**
   * Sends messages to the ingest queue, then runs the stages until no queue has a message visible
   * (a lift delayed past the clock waits: `clock.advanceTo`, then `run()` again).
   */
  run(...ingestBodies: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Test double of the CDN port: records every invalidation request. */
export class RecordingCdn implements CdnInvalidator {
  readonly requests: { paths: string[]; reference: string }[] = [];
  async invalidate(paths: readonly string[], reference: string): Promise<void> {
    this.requests.push({ paths: [...paths], reference });
  }
  /** Every path invalidated so far. */
  paths(): Set<string> {
    return new Set(this.requests.flatMap((request) => request.paths));
  }
}

export interface HarnessOptions {
  targetLanguages: string[];
  engine?: TranslationEngine;
  ingestBatchSize?: number;
  /** EMBARGO_TRANSLATION=at-lift when false. */
  translateAhead?: boolean;
  /** The translate stage's QA policy (`QA_POLICY`); the default policy when absent. */
  qaPolicy?: QaPolicy;
}

/**
 * One of the pipeline's queues as a test sees it: a `JobQueue` that sends through the SDK to the
 * local SQS service like the stages do, every message sent to it so far (by the stages or the
 * test, read off the SDK requests), and the messages the runner dead-lettered from it.
 */
export class HarnessQueue implements JobQueue {
  readonly sent: QueueMessage[] = [];
  readonly deadLetters: DeadLetter[] = [];
  private readonly queue: SqsJobQueue;

  constructor(
    readonly name: string,
    readonly url: string,
    readonly fifo: boolean,
    client: SQSClient,
  ) {
    this.queue = new SqsJobQueue({ client, queueUrl: url });
  }

  send(messages: readonly QueueMessage[]): Promise<void> {
    return this.queue.send(messages);
  }

  bodies<T = unknown>(): T[] {
    return this.sent.map((m) => m.body as T);
  }
}

/** The messages of a SendMessage(Batch) request, as the sender gave them. */
function sentMessages(input: Readonly<Record<string, unknown>>): QueueMessage[] {
  const entries = (input.Entries as Record<string, unknown>[] | undefined) ?? [input];
  return entries.map((entry) => ({
    body: JSON.parse(String(entry.MessageBody)),
    ...(entry.MessageGroupId === undefined ? {} : { groupId: String(entry.MessageGroupId) }),
    ...(entry.MessageDeduplicationId === undefined ? {} : { deduplicationId: String(entry.MessageDeduplicationId) }),
    ...(entry.DelaySeconds === undefined ? {} : { delaySeconds: Number(entry.DelaySeconds) }),
  }));
}

/** The stages the harness runs (deliver's jobs are only inspected). */
const RUN_STAGES = ['ingest', 'translate', 'publish', 'lifecycle'] as const satisfies readonly StageName[];

/**
 * Starts the emulators and the local SQS service, and builds ingest, translate, publish and
 * lifecycle with the composition root on a configuration built here (nothing is read from or
 * written to the environment); the test's clock, engine and CDN replace the built ones.
 */
export async function startPipeline(options: HarnessOptions): Promise<PipelineHarness> {
  const emulators = await startEmulators();
  const clock = steppingClock();
  const sqs = await startLocalSqs({
    queues: localQueueSettings().map(({ stage, settings }) => {
      const { queueName, visibilityTimeoutSeconds } = settings;
      // The lifecycle queue keeps the pipeline's time, so a delayed lift waits for `clock.advanceTo`.
      return { name: queueName, visibilityTimeoutSeconds, ...(stage === 'lifecycle' ? { now: () => clock.peek().getTime() } : {}) };
    }),
  });
  const queueUrl = (stage: StageName) => sqs.queueUrl(localStageSettings(stage).queueName);
  const clients = createAwsClients({
    s3: emulators.s3ClientConfig(),
    dynamo: emulators.dynamoClientConfig(),
    sqs: { endpoint: sqs.endpoint, region: emulators.dynamoClientConfig().region, credentials: emulators.dynamoClientConfig().credentials },
  });
  const { s3, dynamo } = clients;
  recordStageCommands(emulatorResourceNames(emulators), s3, dynamo, clients.sqs);

  const queue = (stage: StageName, name: string = stage) => new HarnessQueue(name, queueUrl(stage), localStageSettings(stage).fifo, clients.sqs);
  const bulkLane = localBulkLaneSettings('translate')!;
  const queues = {
    ingest: queue('ingest'),
    translate: queue('translate'),
    translateBulk: new HarnessQueue('translate-bulk', sqs.queueUrl(bulkLane.queueName), false, clients.sqs),
    publish: queue('publish'),
    webhook: queue('deliver', 'webhook'),
    lifecycle: queue('lifecycle'),
  };
  const byUrl = new Map(Object.values(queues).map((q) => [q.url, q]));
  const byQueueName = new Map(Object.values(queues).map((q) => [q.url.split('/').pop()!, q]));
  // Every message sent, by a stage or by the test, as the SDK request carried it.
  observeCommands(
    clients.sqs,
    (sent) => {
      if (sent.command === 'SendMessageBatchCommand' || sent.command === 'SendMessageCommand') byUrl.get(String(sent.input.QueueUrl))?.sent.push(...sentMessages(sent.input));
    },
    'polywireHarnessQueues',
  );

  const uploads = new S3ObjectStore({ client: s3, bucket: emulators.buckets.uploads });
  const distribution = new S3ObjectStore({ client: s3, bucket: emulators.buckets.distribution });
  const repository = new DynamoDbReleaseRepository({ client: dynamo, tableName: emulators.tableName });
  const feeds = new DynamoDbFeedIndex({ client: dynamo, tableName: emulators.tableName });
  const archive = new DynamoDbFeedArchive({ client: dynamo, tableName: emulators.tableName });
  const lifecycle = new DynamoDbLifecycleStore({ client: dynamo, tableName: emulators.tableName });
  const cdn = new RecordingCdn();
  const engine = options.engine ?? new PseudoEngine();

  const config: PipelineConfig = {
    tableName: emulators.tableName,
    uploadsBucket: emulators.buckets.uploads,
    distributionBucket: emulators.buckets.distribution,
    translateQueueUrl: queueUrl('translate'),
    translateBulkQueueUrl: queues.translateBulk.url,
    publishQueueUrl: queueUrl('publish'),
    webhookQueueUrl: queueUrl('deliver'),
    lifecycleQueueUrl: queueUrl('lifecycle'),
    publicBaseUrl: 'https://news.example.com',
    siteTitle: 'polywire test newsroom',
    targetLanguages: options.targetLanguages,
    engine: { name: 'pseudo', settings: {}, secrets: {} },
    priceTable: {},
    local: true,
    translateAhead: options.translateAhead ?? true,
    qaPolicy: options.qaPolicy ?? DEFAULT_QA_POLICY,
    // Quiet and local: no EMF documents, no traces, no logs below errors of the stages under test.
    observability: { logLevel: 'SILENT', metrics: false, tracing: false },
  };
  const overrides: { [S in (typeof RUN_STAGES)[number]]: StageOverrides[S] } = {
    // The lift scheduler is built on the system clock; the harness's schedules by its own.
    ingest: { clock, scheduler: new SqsLiftScheduler({ queue: queues.lifecycle, clock }) },
    translate: { clock, engine: async () => engine },
    publish: { clock, cdn },
    lifecycle: { clock },
  };
  const handlers = Object.fromEntries(
    RUN_STAGES.map((stage) => {
      const handler = buildStage(stage, config, clients, { overrides: overrides[stage] as never });
      // Commands sent inside an invocation are the stage's evidence (test/support/sdk-commands.ts).
      return [stage, { handler: (event: SQSEvent, context: Context) => asStage(stage, () => handler(event, context)) }];
    }),
  );
  const bindings = localBindings((name) => sqs.queue(name), handlers);
  if (options.ingestBatchSize !== undefined) bindings.find((b) => b.functionName === 'polywire-ingest')!.batchSize = options.ingestBatchSize;
  const deadLetterDir = mkdtempSync(join(tmpdir(), 'polywire-harness-'));
  // A failed message is visible again at once (no backoff): the next round retries it.
  const runner = new QueueRunner({ bindings, deadLetters: new DeadLetterStore(deadLetterDir), maxReceiveCount: MAX_RECEIVE_COUNT, backoffMs: () => 0, log: () => undefined });

  const ingestResponses: SQSBatchResponse[] = [];
  runner.on('result', (result: InvocationResult) => {
    if (result.queue === localStageSettings('ingest').queueName) ingestResponses.push({ batchItemFailures: result.failedMessageIds.map((id) => ({ itemIdentifier: id })) });
  });
  runner.on('dead-letter', (letter: DeadLetter) => byQueueName.get(letter.queue)?.deadLetters.push(letter));

  let sequence = 0n;
  const base = 0x65a1b2c3d4e5f6n;

  function nextSequencer(): string {
    sequence += 1n;
    return (base + sequence).toString(16).toUpperCase().padStart(18, '0');
  }

  return {
    emulators,
    s3,
    uploads,
    distribution,
    repository,
    feeds,
    archive,
    queues,
    sqs,
    runner,
    lifecycle,
    cdn,
    clock,
    ingestResponses,
    async upload(key, body) {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: key, Body: bytes }));
      return s3NotificationBody({ bucket: emulators.buckets.uploads, key, sequencer: nextSequencer(), size: bytes.length });
    },
    nextSequencer,
    async run(...ingestBodies) {
      if (ingestBodies.length > 0) await queues.ingest.send(ingestBodies.map((body) => ({ body: JSON.parse(body) })));
      await runner.drain();
    },
    async close() {
      await sqs.close();
      for (const client of Object.values(clients)) client.destroy();
      await emulators.close();
      rmSync(deadLetterDir, { recursive: true, force: true });
    },
  };
}
