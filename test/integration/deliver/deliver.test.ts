/**
 * The real deliver handler (`makeHandler`) with the real DynamoDB adapter on dynalite, the real
 * SQS adapter sending to the local SQS service (recorded on the way, so the test hands the jobs
 * back to the handler itself), and a local receiver that verifies every request
 * with the standardwebhooks library, as a subscriber would.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDbSubscriptionStore } from '../../../functions/adapters/dynamodb/subscriptions';
import { SqsJobQueue } from '../../../functions/adapters/sqs/job-queue';
import { deliverWebhook } from '../../../functions/adapters/webhook/deliver';
import { createWebhookDispatcher } from '../../../functions/adapters/webhook/http-client';
import type { DeliveryJob, WebhookEvent, WebhookJob } from '../../../functions/core/webhooks/event';
import { MAX_ATTEMPTS } from '../../../functions/core/webhooks/retry';
import type { Subscription } from '../../../functions/core/webhooks/subscription';
import type { JobQueue, QueueMessage } from '../../../functions/ports';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { startLocalSqs, type LocalSqs } from '../../../infra/local/sqs/server';
import { lambdaContext } from '../../../infra/local/runner';
import { createObservability } from '../../../functions/shared/observability';
import { localStageSettings } from '../../../functions/stages';
import { publishedEvent } from '../../unit/core/webhooks/fixtures';
import { asStage, emulatorResourceNames, recordStageCommands } from '../../support/sdk-commands';

type MakeHandler = typeof import('../../../functions/deliver/stage').makeHandler;

// ---- a subscriber's endpoint ------------------------------------------------------------------

interface Delivery {
  path: string;
  webhookId: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
}

const secrets = new Map<string, string>();
let received: Delivery[] = [];
let rejected: string[] = [];
let answer: (path: string) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });
let receiver: Server;
let receiverPort: number;

function receive(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const path = req.url ?? '';
    const body = Buffer.concat(chunks).toString('utf8');
    const secret = secrets.get(path);
    try {
      if (!secret) throw new Error(`no subscriber at ${path}`);
      const payload = new Webhook(secret).verify(body, req.headers as Record<string, string>) as Delivery['payload'];
      const { status, headers } = answer(path);
      received.push({ path, webhookId: String(req.headers['webhook-id']), payload });
      res.writeHead(status, headers).end();
    } catch (error) {
      rejected.push(`${path}: ${(error as Error).message}`);
      res.writeHead(400).end();
    }
  });
}

// ---- the webhook queue and the clock ----------------------------------------------------------

/** The real SQS adapter on the local SQS service, recording what it sent (the test delivers it to the handler). */
class RecordingQueue implements JobQueue {
  sent: QueueMessage[] = [];
  constructor(private readonly sqs: SqsJobQueue) {}
  async send(messages: readonly QueueMessage[]): Promise<void> {
    await this.sqs.send(messages);
    this.sent.push(...messages.map((m) => structuredClone(m)));
  }
  take(): QueueMessage[] {
    const taken = this.sent;
    this.sent = [];
    return taken;
  }
}

/** SQS records as Lambda receives them from the webhook queue. */
function sqsEvent(bodies: unknown[]): SQSEvent {
  return {
    Records: bodies.map((body) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      return {
        messageId: randomUUID(),
        receiptHandle: `AQEB${randomUUID().replace(/-/g, '')}`,
        body: text,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: String(Date.now()),
          SenderId: 'AROAEXAMPLE:polywire-publish',
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(text).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:polywire-webhooks',
        awsRegion: 'us-east-1',
      };
    }),
  };
}

// The fixture's event with a single category (the filter tests below rely on it).
const event: WebhookEvent = { ...publishedEvent, categories: ['À la une'] };

let emulators: Emulators;
let sqs: LocalSqs;
let sqsClient: SQSClient;
let store: DynamoDbSubscriptionStore;
let makeHandler: MakeHandler;
let lambdaHandler: typeof import('../../../functions/deliver/handler').handler;
const dispatcher = createWebhookDispatcher({ allowLoopback: true });
let queue: RecordingQueue;
let clockMs: number;
let logs: unknown[][];
let random: () => number;

function handler() {
  const record = (...args: unknown[]) => logs.push(args);
  // The stage's own observability, quiet, with its log calls recorded instead of printed.
  const observability = createObservability('deliver', { logLevel: 'SILENT', metrics: false, tracing: false });
  for (const level of ['debug', 'info', 'warn', 'error'] as const) vi.spyOn(observability.logger, level).mockImplementation(record);
  const stage = makeHandler({
    store,
    queue,
    clock: { now: () => new Date(clockMs) },
    // Signed with the real time: the receiver checks the timestamp against its own clock.
    deliver: (subscription, job) => deliverWebhook(subscription, job, { dispatcher, allowLoopback: true, random }),
    observability,
  });
  return (event: SQSEvent) => asStage('deliver', () => stage(event, lambdaContext('polywire-deliver', Date.now() + 60_000)));
}

let counter = 0;
async function subscribe(overrides: Partial<Subscription> = {}): Promise<Subscription> {
  counter += 1;
  const id = `sub_it${counter}_${randomUUID().slice(0, 8)}`;
  const path = `/hooks/${id}`;
  const secret = `whsec_${Buffer.from(randomUUID() + randomUUID())
    .toString('base64')
    .slice(0, 40)}`;
  const subscription: Subscription = { id, url: `http://127.0.0.1:${receiverPort}${path}`, secret, status: 'active', ...overrides };
  secrets.set(path, subscription.secret);
  await store.create(subscription);
  return subscription;
}

/** Runs queued delivery jobs for one subscription through the handler, as SQS would. */
async function runQueued(forSubscription?: string): Promise<DeliveryJob[]> {
  const jobs = queue.take().map((m) => m.body as DeliveryJob);
  const mine = forSubscription ? jobs.filter((j) => j.subscriptionId === forSubscription) : jobs;
  if (mine.length) await handler()(sqsEvent(mine));
  return mine;
}

beforeAll(async () => {
  emulators = await startEmulators();
  vi.stubEnv('TABLE_NAME', emulators.tableName);
  vi.stubEnv('WEBHOOK_QUEUE_URL', 'http://127.0.0.1:9324/000000000000/polywire-webhooks');
  vi.stubEnv('AWS_REGION', 'us-east-1');
  // The module-scope Lambda handler reaches dynalite too, quietly (no EMF output, no traces).
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', emulators.dynamoEndpoint);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'true');
  vi.stubEnv('POWERTOOLS_TRACE_ENABLED', 'false');
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'WARN');
  ({ makeHandler } = await import('../../../functions/deliver/stage'));
  ({ handler: lambdaHandler } = await import('../../../functions/deliver/handler'));
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(emulators.dynamoClientConfig()));
  sqs = await startLocalSqs({ queues: [{ name: localStageSettings('deliver').queueName }] });
  sqsClient = new SQSClient({ endpoint: sqs.endpoint, region: emulators.dynamoClientConfig().region, credentials: emulators.dynamoClientConfig().credentials });
  recordStageCommands(emulatorResourceNames(emulators), client, sqsClient);
  store = new DynamoDbSubscriptionStore({ client, tableName: emulators.tableName });
  receiver = createServer(receive);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverPort = (receiver.address() as AddressInfo).port;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await dispatcher.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
  sqsClient?.destroy();
  await sqs?.close();
  await emulators?.close();
});

beforeEach(() => {
  received = [];
  rejected = [];
  answer = () => ({ status: 200 });
  queue = new RecordingQueue(new SqsJobQueue({ client: sqsClient, queueUrl: sqs.queueUrl(localStageSettings('deliver').queueName) }));
  clockMs = Date.parse('2026-11-26T09:30:05Z');
  logs = [];
  random = () => 0.5;
});

describe('deliver stage against dynalite and a local receiver', () => {
  it('fans an event out to matching active subscriptions and delivers signed, verified webhooks', async () => {
    const everything = await subscribe();
    const french = await subscribe({ languages: ['fr'], events: ['release.published', 'release.withdrawn'] });
    const german = await subscribe({ languages: ['de'] });
    const disabled = await subscribe({ status: 'disabled', disabledReason: 'HTTP 410 Gone' });
    const job: WebhookJob = { event };

    const fanOut = await handler()(sqsEvent([job]));
    expect(fanOut.batchItemFailures).toEqual([]);
    const targets = queue.sent.map((m) => (m.body as DeliveryJob).subscriptionId);
    expect(targets).toContain(everything.id);
    expect(targets).toContain(french.id);
    expect(targets).not.toContain(german.id);
    expect(targets).not.toContain(disabled.id);

    await runQueued();
    expect(rejected).toEqual([]);
    const mine = received.filter((d) => d.path.endsWith(everything.id) || d.path.endsWith(french.id));
    expect(mine).toHaveLength(2);
    for (const delivery of mine) {
      expect(delivery.payload).toMatchObject({ type: 'release.published', timestamp: event.occurredAt, data: { releaseId: event.releaseId, language: 'fr' } });
    }

    const record = await store.getDelivery(french.id, mine.find((d) => d.path.endsWith(french.id))!.webhookId);
    expect(record).toMatchObject({ status: 'delivered', attempts: 1, lastStatus: 200, history: [{ attempt: 1, outcome: 'delivered', status: 200 }] });
  });

  it('delivers a duplicated job once: one delivery recorded, never two different webhook ids', async () => {
    const subscription = await subscribe();
    const job: WebhookJob = { event: { ...event, releaseId: 'duplicate-fan-out-check' } };

    // The publish stage's message arrives twice (SQS is at-least-once)…
    await handler()(sqsEvent([job]));
    await handler()(sqsEvent([job]));
    const jobs = queue.take().filter((m) => (m.body as DeliveryJob).subscriptionId === subscription.id);
    expect(jobs).toHaveLength(2);
    // …and both delivery jobs run in the same batch, concurrently.
    const result = await handler()(sqsEvent(jobs.map((m) => m.body)));
    expect(result.batchItemFailures).toEqual([]);
    // A later redelivery of the same job changes nothing.
    await handler()(sqsEvent([jobs[0]!.body]));

    const mine = received.filter((d) => d.path.endsWith(subscription.id));
    expect(mine).toHaveLength(1);
    expect(new Set(mine.map((d) => d.webhookId)).size).toBe(1);
    const records = await store.listDeliveries(subscription.id);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'delivered', attempts: 1, history: [{ outcome: 'delivered' }] });
  });

  it('retries a 503 after its Retry-After with the same webhook id, recording both attempts', async () => {
    const subscription = await subscribe();
    let calls = 0;
    answer = () => (++calls === 1 ? { status: 503, headers: { 'retry-after': '30' } } : { status: 204 });

    await handler()(sqsEvent([{ event }]));
    await runQueued(subscription.id);
    const [retry] = queue.take();
    expect(retry).toMatchObject({ delaySeconds: 30, body: { subscriptionId: subscription.id, attempt: 2 } });
    expect((retry!.body as DeliveryJob).notBefore).toBeUndefined();
    const messageId = (retry!.body as DeliveryJob).messageId;
    expect(await store.getDelivery(subscription.id, messageId)).toMatchObject({ status: 'retrying', attempts: 1, lastStatus: 503 });

    clockMs += 30_000;
    await handler()(sqsEvent([retry!.body]));
    const mine = received.filter((d) => d.path.endsWith(subscription.id));
    expect(mine.map((d) => d.webhookId)).toEqual([messageId, messageId]);
    const record = await store.getDelivery(subscription.id, messageId);
    expect(record).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 204 });
    expect(record!.history.map((h) => [h.attempt, h.outcome, h.status])).toEqual([
      [1, 'retry', 503],
      [2, 'delivered', 204],
    ]);
  });

  it('waits out a back-off longer than SQS allows by re-delaying until the job is due', async () => {
    const subscription = await subscribe();
    answer = () => ({ status: 500 });
    random = () => 0.9; // attempt 4 follows 30 min × 0.9 = 27 min after attempt 3
    const job: DeliveryJob = {
      subscriptionId: subscription.id,
      messageId: `msg_${randomUUID().replace(/-/g, '')}`,
      event,
      attempt: 3,
    };
    await handler()(sqsEvent([job]));
    const [next] = queue.take();
    expect(next!.delaySeconds).toBe(900);
    const due = (next!.body as DeliveryJob).notBefore!;
    expect(due - clockMs).toBe(27 * 60_000);

    // Arrives after 15 min: not due, delayed again, nothing sent.
    clockMs += 900_000;
    answer = () => ({ status: 200 });
    await handler()(sqsEvent([next!.body]));
    const [again] = queue.take();
    expect(again!.delaySeconds).toBe(12 * 60);
    expect(received.filter((d) => d.path.endsWith(subscription.id))).toHaveLength(1);

    clockMs = due;
    await handler()(sqsEvent([again!.body]));
    expect(received.filter((d) => d.path.endsWith(subscription.id))).toHaveLength(2);
    expect(await store.getDelivery(subscription.id, job.messageId)).toMatchObject({ status: 'delivered', attempts: 4 });
  });

  it('disables a subscription that answers 410 and leaves it out of later fan-outs', async () => {
    const subscription = await subscribe();
    answer = (path) => (path.endsWith(subscription.id) ? { status: 410 } : { status: 200 });
    await handler()(sqsEvent([{ event }]));
    await runQueued(subscription.id);

    const stored = await store.get(subscription.id);
    expect(stored).toMatchObject({ status: 'disabled', disabledReason: expect.stringMatching(/410/) });
    await handler()(sqsEvent([{ event: { ...event, type: 'release.withdrawn' } }]));
    expect(queue.sent.map((m) => (m.body as DeliveryJob).subscriptionId)).not.toContain(subscription.id);
  });

  it('records a delivery as failed when the last attempt fails, so the failure is visible', async () => {
    const subscription = await subscribe();
    answer = () => ({ status: 502 });
    const job: DeliveryJob = { subscriptionId: subscription.id, messageId: `msg_${randomUUID().replace(/-/g, '')}`, event, attempt: MAX_ATTEMPTS };
    await handler()(sqsEvent([job]));
    expect(queue.sent).toEqual([]);
    const [record] = await store.listDeliveries(subscription.id);
    expect(record).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, lastStatus: 502, lastError: expect.stringMatching(/gave up after 8 attempts/) });
  });

  it('reports a malformed message as a batch item failure without failing the others, and never logs a secret', async () => {
    const subscription = await subscribe();
    const batch = sqsEvent(['{"event":', { event: { ...event, language: 'de' } }]);
    const result = await handler()(batch);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: batch.Records[0]!.messageId }]);
    await runQueued(subscription.id);
    expect(received.filter((d) => d.path.endsWith(subscription.id))).toHaveLength(1);

    const secretBody = subscription.secret.slice('whsec_'.length);
    expect(logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(logs)).not.toContain(secretBody);
  });
});

describe('DynamoDbSubscriptionStore claims', () => {
  const claimFor = (subscriptionId: string, messageId: string, attempt: number) => ({
    subscriptionId,
    messageId,
    attempt,
    eventType: event.type,
    releaseId: event.releaseId,
    version: event.version,
    language: event.language,
  });

  it('lets a crashed worker’s attempt be taken over after the lease, and never an earlier attempt', async () => {
    const subscription = await subscribe();
    const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
    const start = new Date('2026-11-26T09:30:00Z');

    expect(await store.claimAttempt(claimFor(subscription.id, messageId, 1), start)).toBe(true);
    // The same attempt while the first claim holds: refused.
    expect(await store.claimAttempt(claimFor(subscription.id, messageId, 1), new Date(start.getTime() + 10_000))).toBe(false);
    // The worker died; SQS hands the message out again after the visibility timeout.
    expect(await store.claimAttempt(claimFor(subscription.id, messageId, 1), new Date(start.getTime() + 10 * 60_000))).toBe(true);

    await store.recordAttempt({ subscriptionId: subscription.id, messageId, attempt: 1, status: 'retrying', entry: { attempt: 1, at: start.toISOString(), outcome: 'retry', status: 500, error: 'HTTP 500' } }, start);
    // A late duplicate of attempt 1 cannot start a second retry chain.
    expect(await store.claimAttempt(claimFor(subscription.id, messageId, 1), new Date(start.getTime() + 20 * 60_000))).toBe(false);
    expect(await store.claimAttempt(claimFor(subscription.id, messageId, 2), new Date(start.getTime() + 20 * 60_000))).toBe(true);
  });

  it('records who was sent a release (embargoed or published) and sends its withdrawal to them alone', async () => {
    const french = await subscribe({ languages: ['fr'] });
    const german = await subscribe({ languages: ['de'] });
    const trusted = await subscribe({ languages: ['fr'], embargoed: true });
    const releaseId = `recipients-${randomUUID().slice(0, 8)}`;
    const published: WebhookEvent = { ...event, releaseId };
    const targets = () => queue.sent.map((m) => (m.body as DeliveryJob).subscriptionId);

    const embargoed: WebhookEvent = {
      ...published,
      type: 'release.embargoed',
      embargoedUntil: '2026-11-27T09:00:00.000Z',
      ninjs: { uri: `urn:polywire:${releaseId}:fr`, pubStatus: 'withheld', embargoedUntil: '2026-11-27T09:00:00.000Z' },
    };
    await handler()(sqsEvent([{ event: embargoed }]));
    expect(targets()).toEqual([trusted.id]);
    await runQueued(trusted.id);
    const early = received.find((d) => d.path.endsWith(trusted.id))!;
    expect(early.payload).toMatchObject({ type: 'release.embargoed', data: { embargoedUntil: '2026-11-27T09:00:00.000Z', ninjs: { pubStatus: 'withheld' } } });
    expect(await store.listDeliveries(trusted.id)).toEqual([expect.objectContaining({ eventType: 'release.embargoed', status: 'delivered' })]);

    await handler()(sqsEvent([{ event: published }]));
    const publishedTo = targets();
    queue.take();
    expect(publishedTo).toContain(french.id);
    expect(publishedTo).toContain(trusted.id);
    expect(publishedTo).not.toContain(german.id);
    expect(await store.listRecipients(releaseId, 'fr')).toEqual([...publishedTo].sort());
    expect(await store.listRecipients(releaseId, 'de')).toBeUndefined();

    // Filters changed and a subscriber arrived since: the withdrawal follows the copies, not the filters.
    const late = await subscribe();
    const withdrawn: WebhookEvent = { ...published, type: 'release.withdrawn', reason: 'Issued in error' };
    await handler()(sqsEvent([{ event: withdrawn }]));
    expect(targets().sort()).toEqual([...publishedTo].sort());
    expect(targets()).not.toContain(late.id);
    expect(targets()).not.toContain(german.id);
  });

  it('lists subscriptions through gsi1 and keeps their filters', async () => {
    const subscription = await subscribe({ languages: ['zh-Hans', 'ja'], categories: ['Top-Story'], events: ['release.withdrawn'] });
    const listed = (await store.list()).find((s) => s.id === subscription.id);
    expect(listed).toEqual(subscription);
    expect(await store.disable(subscription.id, 'operator', new Date())).toBe(true);
    expect((await store.listActive()).map((s) => s.id)).not.toContain(subscription.id);
    expect(await store.enable(subscription.id)).toBe(true);
    expect((await store.listActive()).map((s) => s.id)).toContain(subscription.id);
    expect(await store.enable('sub_missing')).toBe(false);
  });

  it('runs the Lambda handler (shared wiring) with overlapping invocations and no empty-metrics warning on the terminal', async () => {
    const printed: string[] = [];
    const capture = (stream: NodeJS.WriteStream) => {
      const write = stream.write.bind(stream);
      return vi.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(String(chunk));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    };
    const spies = [capture(process.stdout), capture(process.stderr)];
    try {
      // Two batches in flight at once on one module (as the local runner does); each fails fast
      // (not JSON), so the first flush publishes both invocations' metrics and the second finds none.
      const events = [sqsEvent(['not json {']), sqsEvent(['not json either {'])];
      const results = await Promise.all(events.map((e) => lambdaHandler(e, lambdaContext('polywire-deliver', Date.now() + 60_000))));
      expect(results).toEqual(events.map((e) => ({ batchItemFailures: [{ itemIdentifier: e.Records[0]!.messageId }] })));
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    expect(printed.join('')).not.toContain('No application metrics to publish');
  });
});
