/**
 * Test driver for the pipeline: the real handlers (makeHandler) with the real adapters against
 * the embedded emulators, and in-memory recording queues between the stages. The driver
 * delivers SQS-shaped events the way Lambda's event source mapping does: standard queues in
 * batches with redelivery of reported failures (receive count rising), FIFO queues one batch per
 * message group at a time, groups concurrently, a failed message and the rest of its group back
 * at the head of the group.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { S3ObjectStore } from '../../../functions/adapters/s3/object-store';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { DynamoDbFeedArchive } from '../../../functions/adapters/dynamodb/feed-archive';
import { DynamoDbFeedIndex } from '../../../functions/adapters/dynamodb/feed-index';
import { DynamoDbTranslationMemory } from '../../../functions/adapters/dynamodb/translation-memory';
import { SharpImageProcessor } from '../../../functions/adapters/sharp/image-processor';
import { PseudoEngine } from '../../../functions/adapters/pseudo/engine';
import { TranslationError } from '../../../functions/core/errors';
import { DEFAULT_PRICES, ENGINE_DISPLAY_NAMES } from '../../../functions/adapters/engines/registry';
import type { QaPolicy } from '../../../functions/core/qa';
import type { CdnInvalidator, Clock, EngineRequest, JobQueue, QueueMessage, TranslationEngine } from '../../../functions/ports';
import type { SqsHandler } from '../../../functions/shared/observability';
import { DynamoDbLifecycleStore } from '../../../functions/adapters/dynamodb/lifecycle-store';
import { SqsLiftScheduler } from '../../../functions/adapters/sqs/lift-scheduler';
import { localStageSettings, STAGE_NAMES, type LocalStageSettings, type StageName } from '../../../functions/stages';
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

interface Envelope {
  messageId: string;
  body: string;
  groupId?: string;
  deduplicationId?: string;
  receiveCount: number;
  /** Epoch ms before which a delayed message is not delivered (queues built with a clock). */
  visibleAt?: number;
}

/** An in-memory JobQueue that records what was sent; FIFO deduplication like SQS (ids within the run). */
export class RecordingQueue implements JobQueue {
  readonly sent: QueueMessage[] = [];
  pending: Envelope[] = [];
  readonly deadLetters: Envelope[] = [];
  private readonly seenDeduplicationIds = new Set<string>();

  /** With a clock, `delaySeconds` hides a message until the clock reaches it (see `due`). */
  constructor(
    readonly fifo: boolean,
    private readonly clock?: Clock,
  ) {}

  /** Takes the messages whose delay has passed by the clock, leaving the others pending. */
  takeDue(): Envelope[] {
    const now = this.clock?.now().getTime() ?? Number.POSITIVE_INFINITY;
    const due = this.pending.filter((e) => (e.visibleAt ?? 0) <= now);
    this.pending = this.pending.filter((e) => !due.includes(e));
    return due;
  }

  async send(messages: readonly QueueMessage[]): Promise<void> {
    for (const message of messages) {
      this.sent.push(message);
      if (this.fifo && message.deduplicationId !== undefined) {
        if (this.seenDeduplicationIds.has(message.deduplicationId)) continue;
        this.seenDeduplicationIds.add(message.deduplicationId);
      }
      this.pending.push({
        messageId: randomUUID(),
        body: JSON.stringify(message.body),
        ...(message.groupId === undefined ? {} : { groupId: message.groupId }),
        ...(message.deduplicationId === undefined ? {} : { deduplicationId: message.deduplicationId }),
        receiveCount: 0,
        ...(this.clock && message.delaySeconds ? { visibleAt: this.clock.now().getTime() + message.delaySeconds * 1000 } : {}),
      });
    }
  }

  bodies<T = unknown>(): T[] {
    return this.sent.map((m) => m.body as T);
  }
}

export function sqsRecord(envelope: Envelope): SQSRecord {
  const template = structuredClone(fixture(envelope.groupId === undefined ? 'sqs-record.json' : 'sqs-fifo-record.json')) as SQSRecord;
  const attributes = { ...template.attributes, ApproximateReceiveCount: String(envelope.receiveCount) } as SQSRecord['attributes'];
  if (envelope.groupId !== undefined) {
    attributes.MessageGroupId = envelope.groupId;
    attributes.MessageDeduplicationId = envelope.deduplicationId ?? envelope.messageId;
  }
  return { ...template, messageId: envelope.messageId, body: envelope.body, attributes };
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/26/[$LATEST]abc',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
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

/** A clock that advances one second per reading: deterministic and strictly increasing; tests may jump it ahead. */
export function steppingClock(start = Date.parse('2026-11-26T09:00:00Z')): Clock & { advanceTo(instant: string): void } {
  let now = start;
  return {
    now: () => new Date((now += 1000)),
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

/** Batch sizes and concurrency per stage: the local stack's, from the stage table (functions/stages.ts). */
export const HARNESS_SETTINGS: Readonly<Record<StageName, LocalStageSettings>> = Object.fromEntries(STAGE_NAMES.map((stage) => [stage, localStageSettings(stage)])) as Record<StageName, LocalStageSettings>;

export interface PipelineHarness {
  emulators: Emulators;
  s3: S3Client;
  uploads: S3ObjectStore;
  distribution: S3ObjectStore;
  repository: DynamoDbReleaseRepository;
  feeds: DynamoDbFeedIndex;
  archive: DynamoDbFeedArchive;
  queues: { ingest: RecordingQueue; translate: RecordingQueue; publish: RecordingQueue; webhook: RecordingQueue; lifecycle: RecordingQueue };
  lifecycle: DynamoDbLifecycleStore;
  /** What publish asked the CDN to invalidate (the cloud's CloudFront; nothing locally). */
  cdn: RecordingCdn;
  /** The pipeline's clock (one second per reading); `advanceTo` moves it to an instant. */
  clock: Clock & { advanceTo(instant: string): void };
  /** Responses of every ingest invocation, in order. */
  ingestResponses: SQSBatchResponse[];
  /** Puts an object into the uploads bucket and returns its notification body (not yet delivered). */
  upload(key: string, body: string | Uint8Array): Promise<string>;
  nextSequencer(): string;
  /** Delivers messages to the ingest queue, then runs every stage until all queues are empty. */
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
 * Starts emulators and builds the four stages (their `makeHandler`) with real adapters and the
 * recording queues; nothing is read from or written to the environment.
 */
export async function startPipeline(options: HarnessOptions): Promise<PipelineHarness> {
  const emulators = await startEmulators();
  const [ingestModule, translateModule, publishModule, lifecycleModule, observe] = await Promise.all([
    import('../../../functions/ingest/stage'),
    import('../../../functions/translate/stage'),
    import('../../../functions/publish/stage'),
    import('../../../functions/lifecycle/stage'),
    import('../../../functions/shared/observability'),
  ]);
  // Quiet and local: no EMF documents, no traces, no logs below errors of the stages under test.
  const createObservability = (service: string) => observe.createObservability(service, { logLevel: 'SILENT', metrics: false, tracing: false });

  const s3 = new S3Client(emulators.s3ClientConfig());
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(emulators.dynamoClientConfig()), {
    marshallOptions: { removeUndefinedValues: true },
  });
  recordStageCommands(emulatorResourceNames(emulators), s3, dynamo);
  const uploads = new S3ObjectStore({ client: s3, bucket: emulators.buckets.uploads });
  const distribution = new S3ObjectStore({ client: s3, bucket: emulators.buckets.distribution });
  const repository = new DynamoDbReleaseRepository({ client: dynamo, tableName: emulators.tableName });
  const feeds = new DynamoDbFeedIndex({ client: dynamo, tableName: emulators.tableName });
  const archive = new DynamoDbFeedArchive({ client: dynamo, tableName: emulators.tableName });
  const clock = steppingClock();
  const queues = {
    ingest: new RecordingQueue(HARNESS_SETTINGS.ingest.fifo),
    translate: new RecordingQueue(HARNESS_SETTINGS.translate.fifo),
    publish: new RecordingQueue(HARNESS_SETTINGS.publish.fifo),
    webhook: new RecordingQueue(HARNESS_SETTINGS.deliver.fifo),
    lifecycle: new RecordingQueue(HARNESS_SETTINGS.lifecycle.fifo, clock),
  };
  const lifecycle = new DynamoDbLifecycleStore({ client: dynamo, tableName: emulators.tableName });
  const cdn = new RecordingCdn();
  const translateAhead = options.translateAhead ?? true;
  const engine = options.engine ?? new PseudoEngine();

  const ingest = ingestModule.makeHandler({
    uploads,
    repository,
    translateQueue: queues.translate,
    clock,
    targetLanguages: options.targetLanguages,
    lifecycle,
    lifecycleQueue: queues.lifecycle,
    scheduler: new SqsLiftScheduler({ queue: queues.lifecycle, clock }),
    translateAhead,
    images: new SharpImageProcessor(),
    observability: createObservability('ingest'),
  });
  const translate = translateModule.makeHandler({
    uploads,
    repository,
    publishQueue: queues.publish,
    clock,
    engine: async () => engine,
    memory: new DynamoDbTranslationMemory({ client: dynamo, tableName: emulators.tableName }),
    prices: DEFAULT_PRICES,
    ...(options.qaPolicy ? { qaPolicy: options.qaPolicy } : {}),
    observability: createObservability('translate'),
  });
  const publish = publishModule.makeHandler({
    uploads,
    distribution,
    repository,
    feeds,
    archive,
    publishQueue: queues.publish,
    webhookQueue: queues.webhook,
    clock,
    site: { baseUrl: 'https://news.example.com', title: 'polywire test newsroom', engineNames: ENGINE_DISPLAY_NAMES },
    siteLanguages: options.targetLanguages,
    lifecycle,
    cdn,
    observability: createObservability('publish'),
  });
  const lifecycleHandler = lifecycleModule.makeHandler({
    repository,
    lifecycle,
    lifecycleQueue: queues.lifecycle,
    publishQueue: queues.publish,
    translateQueue: queues.translate,
    translateAhead,
    clock,
    observability: createObservability('lifecycle'),
  });

  const ingestResponses: SQSBatchResponse[] = [];
  let sequence = 0n;
  const base = 0x65a1b2c3d4e5f6n;

  function nextSequencer(): string {
    sequence += 1n;
    return (base + sequence).toString(16).toUpperCase().padStart(18, '0');
  }

  /** One invocation with `envelopes`; failures go back (receive count kept), the rest is done. */
  async function invoke(handler: SqsHandler, name: string, queue: RecordingQueue, envelopes: Envelope[]): Promise<SQSBatchResponse> {
    for (const envelope of envelopes) envelope.receiveCount++;
    const event: SQSEvent = { Records: envelopes.map(sqsRecord) };
    let response: SQSBatchResponse;
    try {
      response = await asStage(name, () => handler(event, lambdaContext(name)));
    } catch {
      // A thrown invocation fails the whole batch, as Lambda does.
      response = { batchItemFailures: envelopes.map((e) => ({ itemIdentifier: e.messageId })) };
    }
    const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
    const retry = envelopes.filter((e) => failed.has(e.messageId));
    for (const envelope of retry) if (envelope.receiveCount >= MAX_RECEIVE_COUNT) queue.deadLetters.push(envelope);
    // Failed messages return to the head, in order (FIFO keeps group order).
    queue.pending.unshift(...retry.filter((e) => e.receiveCount < MAX_RECEIVE_COUNT));
    return response;
  }

  /** Standard queue: batches of `batchSize`, up to `concurrency` invocations at once (Lambda scales out). */
  async function drainStandard(handler: SqsHandler, name: string, queue: RecordingQueue, batchSize: number, concurrency: number, responses?: SQSBatchResponse[]) {
    while (queue.pending.length > 0) {
      const due = queue.takeDue();
      if (due.length === 0) return;
      const batches: Envelope[][] = [];
      while (due.length > 0) batches.push(due.splice(0, batchSize));
      for (let start = 0; start < batches.length; start += concurrency) {
        const results = await Promise.all(batches.slice(start, start + concurrency).map((batch) => invoke(handler, name, queue, batch)));
        responses?.push(...results);
      }
    }
  }

  /** FIFO: per round, every group with messages gets one batch (≤ 10, its oldest), groups concurrently. */
  async function drainFifo(handler: SqsHandler, name: string, queue: RecordingQueue) {
    while (queue.pending.length > 0) {
      const groups = new Map<string, Envelope[]>();
      for (const envelope of queue.pending) {
        const list = groups.get(envelope.groupId!) ?? [];
        if (list.length < HARNESS_SETTINGS.publish.batchSize) list.push(envelope);
        groups.set(envelope.groupId!, list);
      }
      // At most the stage's local concurrency of groups per round, oldest groups first.
      const batches = [...groups.values()].slice(0, HARNESS_SETTINGS.publish.concurrency);
      const taken = new Set(batches.flat());
      queue.pending = queue.pending.filter((e) => !taken.has(e));
      await Promise.all(batches.map((batch) => invoke(handler, name, queue, batch)));
    }
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
      await queues.ingest.send(ingestBodies.map((body) => ({ body: JSON.parse(body) })));
      await drainStandard(ingest, 'ingest', queues.ingest, options.ingestBatchSize ?? HARNESS_SETTINGS.ingest.batchSize, HARNESS_SETTINGS.ingest.concurrency, ingestResponses);
      // Delayed lift messages stay queued until the clock reaches them (see `clock.advanceTo`).
      const due = () => queues.lifecycle.pending.some((e) => (e.visibleAt ?? 0) <= clock.now().getTime());
      while (queues.translate.pending.length > 0 || queues.publish.pending.length > 0 || due()) {
        await drainStandard(translate, 'translate', queues.translate, HARNESS_SETTINGS.translate.batchSize, HARNESS_SETTINGS.translate.concurrency);
        await drainFifo(publish, 'publish', queues.publish);
        await drainStandard(lifecycleHandler, 'lifecycle', queues.lifecycle, HARNESS_SETTINGS.lifecycle.batchSize, HARNESS_SETTINGS.lifecycle.concurrency);
      }
    },
    async close() {
      s3.destroy();
      await emulators.close();
    },
  };
}
