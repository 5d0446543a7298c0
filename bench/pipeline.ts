/**
 * Drives the local stack (`infra/local/stack.ts`: emulators, local SQS, the queue runner invoking
 * the real handlers) for the end-to-end benchmarks: upload releases into `incoming/`, wait until
 * the pipeline is idle, check that the outputs are there.
 */
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { QUEUE_NAMES, startLocalStack, type LocalStack, type LocalStackOptions } from '../infra/local/stack';
import type { InvocationResult } from '../infra/local/runner';

export interface UploadDocument {
  name: string;
  text: string;
}

export interface StageTiming {
  invocations: number;
  records: number;
  /** Sum of the invocations' durations (they overlap when batches run in parallel). */
  busyMs: number;
}

export interface PipelineOutcome {
  /** Messages that failed at least once or were dead-lettered, by queue. */
  failures: Map<string, number>;
  /** Handler invocations by queue. */
  stages: Map<string, StageTiming>;
  deadLetters: number;
  firstError?: string;
}

/**
 * Starts the local stack in this process with a throwaway data folder and quiet handlers. The
 * handlers run in this thread unless a benchmark asks for workers: the figures are about the
 * pipeline's work (a CPU profile and the request counters see one thread), and the isolation
 * benchmark measures what workers add.
 */
export async function startBenchStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    isolation: 'in-process',
    ...options,
    writeStackFile: false,
    // A retry would hide a failure behind a delay; the benchmark wants to see it.
    backoffMs: () => 50,
    environment: { POWERTOOLS_LOG_LEVEL: 'ERROR', ...options.environment },
  });
}

/** Records failures reported by the runner from now on. */
export function watchFailures(stack: LocalStack): { outcome(): PipelineOutcome; stop(): void } {
  const failures = new Map<string, number>();
  const stages = new Map<string, StageTiming>();
  let deadLetters = 0;
  let firstError: string | undefined;
  const onResult = (result: InvocationResult) => {
    const stage = stages.get(result.queue) ?? { invocations: 0, records: 0, busyMs: 0 };
    stage.invocations++;
    stage.records += result.records.length;
    stage.busyMs += result.durationMs;
    stages.set(result.queue, stage);
    const failed = result.error ? result.records.length : result.failedMessageIds.length;
    if (failed > 0) {
      failures.set(result.queue, (failures.get(result.queue) ?? 0) + failed);
      firstError ??= result.error?.message ?? `${result.functionName}: ${failed} messages reported as failed`;
    }
  };
  const onDeadLetter = () => {
    deadLetters++;
  };
  stack.runner.on('result', onResult);
  stack.runner.on('dead-letter', onDeadLetter);
  return {
    outcome: () => ({ failures, stages, deadLetters, ...(firstError ? { firstError } : {}) }),
    stop() {
      stack.runner.off('result', onResult);
      stack.runner.off('dead-letter', onDeadLetter);
    },
  };
}

/**
 * Uploads the documents into `incoming/` and resolves when every one has been ingested and the
 * whole pipeline (translate, publish, webhooks) has gone idle.
 */
export async function publishThroughStack(stack: LocalStack, documents: readonly UploadDocument[], uploadConcurrency = 8): Promise<void> {
  const ingestQueue = QUEUE_NAMES.ingest;
  let ingested = 0;
  const allIngested = new Promise<void>((resolve) => {
    const onInvoke = (event: { queue: string; records: unknown[] }) => {
      if (event.queue !== ingestQueue) return;
      ingested += event.records.length;
      if (ingested >= documents.length) {
        stack.runner.off('invoke', onInvoke);
        resolve();
      }
    };
    stack.runner.on('invoke', onInvoke);
  });
  const limit = pLimit(uploadConcurrency);
  await Promise.all(
    documents.map((document) =>
      limit(() =>
        stack.s3.send(
          new PutObjectCommand({
            Bucket: stack.emulators.buckets.uploads,
            Key: `incoming/${document.name}`,
            Body: document.text,
            ContentType: 'text/plain; charset=utf-8',
          }),
        ),
      ),
    ),
  );
  await allIngested;
  await stack.whenIdle();
}

/** Keys among `keys` that are missing from the distribution bucket. */
export async function missingOutputs(stack: LocalStack, keys: readonly string[]): Promise<string[]> {
  const limit = pLimit(8);
  const missing: string[] = [];
  await Promise.all(
    keys.map((key) =>
      limit(async () => {
        try {
          await stack.s3.send(new HeadObjectCommand({ Bucket: stack.emulators.buckets.distribution, Key: key }));
        } catch {
          missing.push(key);
        }
      }),
    ),
  );
  return missing.sort();
}

/** A one-line description of what went wrong, or undefined when nothing did. */
export function describeFailures(outcome: PipelineOutcome, missing: readonly string[] = []): string | undefined {
  const parts: string[] = [];
  for (const [queue, count] of outcome.failures) parts.push(`${count} failed message(s) on ${queue}`);
  if (outcome.deadLetters > 0) parts.push(`${outcome.deadLetters} dead-lettered`);
  if (missing.length > 0) parts.push(`${missing.length} expected output(s) missing, e.g. ${missing[0]}`);
  if (parts.length === 0) return undefined;
  return `${parts.join('; ')}${outcome.firstError ? ` — first error: ${outcome.firstError.split('\n')[0]}` : ''}`;
}

/** Table rows: per queue, invocations, records and the mean handler duration per record. */
export function stageRows(outcome: PipelineOutcome): string[][] {
  return [
    ['Stage (queue)', 'Invocations', 'Records', 'Mean invocation', 'Handler time per record'],
    ...[...outcome.stages].map(([queue, t]) => [queue, String(t.invocations), String(t.records), `${Math.round(t.busyMs / t.invocations)} ms`, `${Math.round(t.busyMs / Math.max(1, t.records))} ms`]),
  ];
}
