/**
 * The largest accepted release of each shape against the *cloud* stage timeouts: one invocation
 * of the real ingest, translate and publish handlers with a full cloud batch (the stage table's
 * `batchSize`, not the local stack's smaller one), timed from call to return, as Lambda's
 * timeout counts it.
 *
 * How: a local stack (in-process, pseudo engine, every wire language) whose queues are drained by
 * capturing handlers, so no message is processed by the runner; this module then calls the real
 * stage handlers itself with batches of the captured records, in pipeline order:
 * - ingest: one batch of `batchSize` uploads of the shape's largest release (each under its own
 *   key, headlines numbered so none is a duplicate of another);
 * - translate: `batchSize` messages of one of those releases, one target language each (the
 *   stage's message is one release version × one language);
 * - publish: every publish message those produced, in arrival order, `batchSize` per invocation;
 *   the slowest invocation counts.
 * Records of one invocation run as the handler runs them in Lambda (standard queues: in parallel).
 *
 * Caveat: the emulators (S3, DynamoDB, SQS) answer from this same process, so their work is in
 * the measured time; the cloud's services answer over the network instead. On this shared
 * machine that makes the figure an upper estimate rather than a prediction.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { performance } from 'node:perf_hooks';
import { buildStage } from '../functions/compose';
import { loadConfig } from '../functions/config';
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { InMemoryTranslationMemory } from '../functions/core/translation/index';
import { createAwsClients } from '../functions/shared/aws';
import { STAGES, STAGE_NAMES, type StageName } from '../functions/stages';
import { lambdaContext } from '../infra/local/runner';
import type { SqsHandler } from '../infra/local/runner';
import { startBenchStack } from './pipeline';

/** A largest accepted release: its shape's title and the text of copy `n` (numbered headline). */
export interface LargestRelease {
  id: string;
  title: string;
  text(copy: number): string;
}

export interface InvocationTiming {
  stage: 'ingest' | 'translate' | 'publish';
  /** Wall time of the slowest invocation of this stage for the release, ms. */
  slowestMs: number;
  invocations: number;
  /** Records in the slowest invocation. */
  records: number;
  /** Records the handler reported as failed (batchItemFailures), over all invocations of the stage. */
  failed: number;
  timeoutSeconds: number;
  /** Translate only: the same kind of batch (another copy) with the translation memory in this process instead of the DynamoDB emulator. */
  inMemoryMs?: number;
}

const TIMED_STAGES = ['ingest', 'translate', 'publish'] as const;

/** Until `captured` holds `count` records, polling the capture (the runner delivers asynchronously). */
async function waitFor(captured: SQSRecord[], count: number, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (captured.length < count) {
    if (Date.now() > deadline) throw new Error(`${what}: ${captured.length} of ${count} messages arrived in ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One invocation of `handler` with `records` and the cloud timeout as its deadline: wall time and failures. */
async function invoke(stage: StageName, handler: SqsHandler, records: SQSRecord[]): Promise<{ ms: number; failed: number }> {
  const timeoutMs = STAGES[stage].timeoutSeconds * 1000;
  const event: SQSEvent = { Records: records };
  const started = performance.now();
  const response = (await handler(event, lambdaContext(`polywire-${stage}`, Date.now() + timeoutMs))) as SQSBatchResponse | undefined;
  return { ms: performance.now() - started, failed: response?.batchItemFailures.length ?? 0 };
}

/** Times the three release-sized stages for each release, each with its cloud batch size. */
export async function timeCloudInvocations(releases: readonly LargestRelease[], log: (line: string) => void): Promise<Map<string, InvocationTiming[]>> {
  const captured: Record<StageName, SQSRecord[]> = Object.fromEntries(STAGE_NAMES.map((stage) => [stage, []])) as unknown as Record<StageName, SQSRecord[]>;
  const capture =
    (stage: StageName): SqsHandler =>
    (event) => {
      captured[stage].push(...event.Records);
      return { batchItemFailures: [] };
    };
  const stack = await startBenchStack({
    languages: DEFAULT_TARGET_LANGUAGES,
    handlers: Object.fromEntries(STAGE_NAMES.map((stage) => [stage, capture(stage)])),
  });
  const results = new Map<string, InvocationTiming[]>();
  try {
    // The real stages, wired as the local stack's in-process mode wires them (functions/compose.ts).
    const config = loadConfig(stack.environment);
    const dynamo = stack.emulators.dynamoClientConfig();
    const clients = createAwsClients({
      s3: stack.emulators.s3ClientConfig(),
      dynamo,
      sqs: { endpoint: stack.sqs.endpoint, region: dynamo.region, credentials: dynamo.credentials },
    });
    const observability = { logLevel: 'ERROR' as const, metrics: false, tracing: false };
    const handlers = {
      ingest: buildStage('ingest', { ...config, observability }, clients),
      translate: buildStage('translate', { ...config, observability }, clients),
      publish: buildStage('publish', { ...config, observability }, clients),
      translateInMemory: () => buildStage('translate', { ...config, observability }, clients, { overrides: { memory: new InMemoryTranslationMemory() } }),
    };
    for (const release of releases) {
      for (const stage of STAGE_NAMES) captured[stage].length = 0;
      const timings: InvocationTiming[] = [];
      const record = (stage: (typeof TIMED_STAGES)[number], runs: { ms: number; failed: number; records: number }[], inMemoryMs?: number) => {
        const slowest = runs.reduce((a, b) => (b.ms > a.ms ? b : a));
        timings.push({
          stage,
          slowestMs: slowest.ms,
          invocations: runs.length,
          records: slowest.records,
          failed: runs.reduce((n, r) => n + r.failed, 0),
          timeoutSeconds: STAGES[stage].timeoutSeconds,
          ...(inMemoryMs === undefined ? {} : { inMemoryMs }),
        });
        log(`${release.id} ${stage}: slowest of ${runs.length} invocations ${Math.round(slowest.ms)} ms (${slowest.records} records), cloud timeout ${STAGES[stage].timeoutSeconds} s`);
      };

      const copies = STAGES.ingest.batchSize;
      for (let copy = 0; copy < copies; copy++) {
        await stack.s3.send(new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: `incoming/largest/${release.id}-${copy}.txt`, Body: release.text(copy) }));
      }
      await waitFor(captured.ingest, copies, `${release.id}: upload notifications`);
      const ingest = await invoke('ingest', handlers.ingest, captured.ingest.splice(0, copies));
      record('ingest', [{ ...ingest, records: copies }]);

      // The translate jobs of one release (the first one planned), one language each, a full batch of them.
      const firstBody = captured.translate[0]?.body;
      if (firstBody === undefined) throw new Error(`${release.id}: ingest planned no translate job`);
      const releaseOf = (body: string) => (JSON.parse(body) as { releaseId?: string }).releaseId;
      const releaseId = releaseOf(firstBody);
      const languages = Math.min(STAGES.translate.batchSize, DEFAULT_TARGET_LANGUAGES.length - 1);
      const batch = captured.translate.filter((r) => releaseOf(r.body) === releaseId).slice(0, languages);
      if (batch.length < languages) throw new Error(`${release.id}: ${batch.length} translate jobs for one release, expected ${languages}`);
      const published = captured.publish.length;
      let inMemoryMs: number | undefined;
      const translate = await invoke('translate', handlers.translate, batch);
      // The same batch for another copy with the translation memory in this process instead of the
      // DynamoDB emulator: how much of the invocation is the memory's reads and writes (which the
      // cloud's DynamoDB serves over the network, not in the function's own thread).
      const otherId = captured.translate.map((r) => releaseOf(r.body)).find((id) => id !== releaseId);
      const other = captured.translate.filter((r) => releaseOf(r.body) === otherId).slice(0, languages);
      if (other.length === languages) {
        const inMemory = await invoke('translate', handlers.translateInMemory(), other);
        log(`${release.id} translate with an in-process translation memory: ${Math.round(inMemory.ms)} ms (${other.length} records)`);
        inMemoryMs = inMemory.ms;
      }
      record('translate', [{ ...translate, records: batch.length }], inMemoryMs);

      // Publish: what the ingest and that batch queued, and whatever those jobs queue in turn (feeds), a cloud batch at a time.
      await waitFor(captured.publish, published + batch.length - translate.failed, `${release.id}: publish jobs of the translated languages`);
      const runs: { ms: number; failed: number; records: number }[] = [];
      for (let round = 0; captured.publish.length > 0 && round < 50; round++) {
        const records = captured.publish.splice(0, STAGES.publish.batchSize);
        runs.push({ ...(await invoke('publish', handlers.publish, records)), records: records.length });
        // Jobs a publish queues (a language's feeds) arrive through the local SQS; give them a moment to be captured.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      record('publish', runs);
      results.set(release.id, timings);
    }
  } finally {
    await stack.close(1_000);
  }
  return results;
}
