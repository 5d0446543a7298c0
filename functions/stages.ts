/**
 * The one stage table: per pipeline stage its queue, how Lambda feeds it (batch size, batching
 * window, concurrency), the function's timeout and memory, the message it consumes and how its
 * outcomes become metrics. The CDK stack (`infra/stacks/pipeline-stack.ts`), the local stack
 * (`infra/local/stack.ts`) and the integration harness (`test/integration/pipeline/harness.ts`)
 * read it; `test/unit/infra/stage-table.test.ts` checks that what they build matches it.
 *
 * Type-only imports: the table is read by the CDK app and by every handler bundle, so it must not
 * pull the core or the SDK in at run time.
 */
import type { IngestOutcome } from './core/pipeline/ingest';
import type { LifecycleOutcome } from './core/pipeline/lifecycle';
import type { PublishOutcome } from './core/pipeline/publish';
import type { TranslateOutcome } from './core/pipeline/translate';
import type { DeliverResult } from './core/webhooks/deliver';
import type { PipelineMetric } from './shared/observability';

export const STAGE_NAMES = ['ingest', 'translate', 'publish', 'deliver', 'lifecycle'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** AWS's guidance for SQS event sources: visibility timeout ≥ 6 × the consumer's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** Count metrics one outcome adds (zero values are left out when recorded). */
export type MetricCounts = Partial<Record<PipelineMetric, number>>;

export interface StageDefinition<Outcome> {
  readonly description: string;
  /** The queue the stage consumes; `name` is the CDK id stem and, prefixed `polywire-`, the local queue name. */
  readonly queue: { readonly name: string; readonly fifo: boolean };
  /** Messages per invocation (SQS allows at most 10). */
  readonly batchSize: number;
  /** How long the event source gathers a batch; undefined = none (FIFO queues cannot have one). */
  readonly maxBatchingWindowSeconds: number | undefined;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * The cloud event source's maximum concurrency (2–1000); `undefined` for translate, whose
   * concurrency and batch size are sized from the engine budget (`stageConcurrency` in the stack).
   */
  readonly maxConcurrency: number | undefined;
  /**
   * A second queue the same function consumes, for jobs too big to share a batch (translate: the
   * releases `translateLaneOf` in functions/core/pipeline/jobs.ts sends to the bulk lane): one
   * message per invocation, so a bulk job has the function's whole timeout and memory to itself
   * and never holds an ordinary job back in its batch; its own small concurrency, so bulk work
   * never takes the slots ordinary releases need.
   */
  readonly bulkLane?: {
    readonly queue: { readonly name: string; readonly fifo: false };
    readonly batchSize: number;
    /** The cloud event source's maximum concurrency (SQS's lowest is 2). */
    readonly maxConcurrency: number;
    readonly local: { readonly concurrency: number };
  };
  /** The message body the stage parses, and where its schema lives. */
  readonly message: string;
  /** How one outcome of the use case becomes metrics (CloudWatch, namespace `polywire`). */
  readonly metrics: (outcome: Outcome) => MetricCounts;
  /**
   * The local stack (one machine, `infra/local/runner.ts`): batches in flight at once, and where
   * it deliberately departs from the cloud settings above, the values with the reason.
   */
  readonly local: {
    readonly concurrency: number;
    readonly differs?: { readonly batchSize?: number; readonly timeoutSeconds?: number; readonly reason: string };
  };
}

/** The outcome each stage's use case returns, per record (publish: per job, plus the batch's feeds). */
export interface StageOutcomes {
  ingest: IngestOutcome;
  translate: TranslateOutcome;
  publish: PublishOutcome | { kind: 'feeds'; outputsWritten: number };
  deliver: DeliverResult;
  lifecycle: LifecycleOutcome | undefined;
}

/** Removing a stage's entry (or adding a stage name without one) fails the type-check. */
export const STAGES = {
  ingest: {
    description: 'Parses uploads from incoming/ into releases and plans one translate job per language',
    queue: { name: 'ingest', fifo: false },
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    timeoutSeconds: 60,
    memoryMb: 1024,
    maxConcurrency: 5,
    message: 'S3 ObjectCreated notification of incoming/ (functions/core/pipeline/s3-events.ts, readS3Message)',
    metrics: (outcome) => {
      switch (outcome.kind) {
        case 'release':
          return { [outcome.decision === 'new' ? 'ReleasesIngested' : outcome.decision === 'duplicate' ? 'ReleasesDuplicate' : 'ReleasesStale']: 1 };
        case 'rejected':
          return { ReleasesRejected: 1 };
        case 'translation':
          return { TranslationsReceived: 1 };
        default:
          return { EventsSkipped: 1 };
      }
    },
    local: {
      concurrency: 2,
      differs: { batchSize: 5, reason: "one machine: smaller batches spread a burst of uploads over the runner's concurrent batches instead of one long invocation" },
    },
  },
  translate: {
    description: 'Translates one release version into one language',
    queue: { name: 'translate', fifo: false },
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    timeoutSeconds: 120,
    memoryMb: 1024,
    maxConcurrency: undefined,
    bulkLane: { queue: { name: 'translate-bulk', fifo: false }, batchSize: 1, maxConcurrency: 2, local: { concurrency: 2 } },
    message: 'TranslateJob (functions/core/pipeline/jobs.ts, TranslateJobSchema)',
    metrics: (outcome) => {
      switch (outcome.kind) {
        case 'translated':
        case 'held':
          return {
            VariantsTranslated: 1,
            ...(outcome.kind === 'held' ? { VariantsHeld: 1 } : {}),
            BilledCharacters: outcome.variant.ledger.billedCharacters,
            MemoryCharacters: outcome.variant.ledger.memoryCharacters,
          };
        case 'failed':
          return { VariantsFailed: 1 };
        default:
          return { VariantsSkipped: 1 };
      }
    },
    local: {
      concurrency: 4,
      differs: {
        batchSize: 5,
        timeoutSeconds: 300,
        reason: 'one machine, no scale-out: a batch of five keeps four batches in flight, and a self-hosted LibreTranslate or a throttled account answers slower than the cloud budget assumes',
      },
    },
  },
  publish: {
    description: 'Renders pages, feeds and sitemaps of one language into the distribution bucket',
    // FIFO, grouped by release × language (a variant's jobs run in order, releases of one language
    // at once); feeds and archives are written by one render job per language at a time, in the
    // language's own group (functions/core/pipeline/jobs.ts).
    queue: { name: 'publish', fifo: true },
    batchSize: 10,
    maxBatchingWindowSeconds: undefined,
    timeoutSeconds: 120,
    memoryMb: 1024,
    // The languages are no cap (groups are release × language): this bounds the table's and the
    // bucket's load instead; raise it with `maxConcurrency`.
    maxConcurrency: 50,
    message: 'PublishJob, message group = <language>.<release>, _feed.<language>, _lift.<release> or _root (functions/core/pipeline/jobs.ts, PublishJobSchema)',
    metrics: (outcome) => ({
      ...(outcome.kind === 'published' ? { VariantsPublished: 1 } : {}),
      ...('outputsWritten' in outcome ? { OutputsWritten: outcome.outputsWritten } : {}),
    }),
    local: { concurrency: 8 },
  },
  deliver: {
    description: 'Delivers signed webhooks to subscribers',
    queue: { name: 'webhook', fifo: false },
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    timeoutSeconds: 60,
    memoryMb: 512,
    maxConcurrency: 10,
    message: 'WebhookJob or DeliveryJob (functions/core/webhooks/event.ts)',
    metrics: (outcome) => {
      switch (outcome.kind) {
        case 'fanned-out':
          return { WebhookFanOut: outcome.subscribers };
        case 'inactive':
          return { WebhookSkippedInactive: 1 };
        case 'duplicate':
          return { WebhookDuplicateSkipped: 1 };
        case 'delivered':
          return { WebhookDelivered: 1 };
        case 'retry-scheduled':
          return { WebhookRetryScheduled: 1 };
        case 'disabled':
          return { WebhookSubscriptionDisabled: 1 };
        case 'failed':
          return { WebhookFailed: 1 };
        default:
          return {};
      }
    },
    local: { concurrency: 2 },
  },
  lifecycle: {
    description: 'Lifts embargoed and scheduled releases at their instant and withdraws releases',
    // Standard: lift jobs are delayed to their second (DelaySeconds), which FIFO queues ignore.
    queue: { name: 'lifecycle', fifo: false },
    batchSize: 10,
    // No batching window: a lift arrives at its second and should not wait for company.
    maxBatchingWindowSeconds: undefined,
    timeoutSeconds: 60,
    memoryMb: 512,
    // Lifts and withdrawals: a handful at a time; 2 is SQS's lowest maximum concurrency.
    maxConcurrency: 2,
    message: 'LifecycleJob: lift or withdraw (functions/core/lifecycle.ts, LifecycleJobSchema)',
    metrics: () => ({}),
    local: { concurrency: 2 },
  },
} as const satisfies { readonly [S in StageName]: StageDefinition<StageOutcomes[S]> };

/** What the local runner and the integration harness use for a stage: the cloud values unless `local.differs` says otherwise. */
export interface LocalStageSettings {
  queueName: string;
  fifo: boolean;
  batchSize: number;
  concurrency: number;
  timeoutSeconds: number;
  /** The local queue's visibility timeout, sized like the cloud's (without the batching window). */
  visibilityTimeoutSeconds: number;
}

export function localStageSettings(stage: StageName): LocalStageSettings {
  const definition: StageDefinition<never> = STAGES[stage];
  const timeoutSeconds = definition.local.differs?.timeoutSeconds ?? definition.timeoutSeconds;
  return {
    queueName: `polywire-${definition.queue.name}${definition.queue.fifo ? '.fifo' : ''}`,
    fifo: definition.queue.fifo,
    batchSize: definition.local.differs?.batchSize ?? definition.batchSize,
    concurrency: definition.local.concurrency,
    timeoutSeconds,
    visibilityTimeoutSeconds: timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
  };
}

/** The local settings of a stage's bulk lane (its own queue, the stage's timeout), if it has one. */
export function localBulkLaneSettings(stage: StageName): LocalStageSettings | undefined {
  const definition: StageDefinition<never> = STAGES[stage];
  const lane = definition.bulkLane;
  if (!lane) return undefined;
  const { timeoutSeconds, visibilityTimeoutSeconds } = localStageSettings(stage);
  return { queueName: `polywire-${lane.queue.name}`, fifo: false, batchSize: lane.batchSize, concurrency: lane.local.concurrency, timeoutSeconds, visibilityTimeoutSeconds };
}

/** Every local queue: each stage's own, then the bulk lanes'. */
export function localQueueSettings(): { stage: StageName; lane: 'standard' | 'bulk'; settings: LocalStageSettings }[] {
  return [
    ...STAGE_NAMES.map((stage) => ({ stage, lane: 'standard' as const, settings: localStageSettings(stage) })),
    ...STAGE_NAMES.flatMap((stage) => {
      const settings = localBulkLaneSettings(stage);
      return settings ? [{ stage, lane: 'bulk' as const, settings }] : [];
    }),
  ];
}

/** The metrics one outcome of `stage` adds. */
export function stageMetrics<S extends StageName>(stage: S, outcome: StageOutcomes[S]): MetricCounts {
  return (STAGES[stage].metrics as (outcome: StageOutcomes[S]) => MetricCounts)(outcome);
}
