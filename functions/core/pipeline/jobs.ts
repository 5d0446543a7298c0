/**
 * The messages between stages. Bodies are JSON; every job names exactly what to do, so a
 * duplicated or re-driven message does the same thing again (all stages are idempotent).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { builtOnFirstUse } from '../first-use';
import { blockText, LanguageTagSchema, ReleaseIdSchema, type ReleaseContent } from '../release';
import type { Variant } from '../variant';
import type { JobQueue, QueueMessage } from '../../ports';

/**
 * A short hash of a variant's content and provenance: equal for a repeat of the same
 * translation, different for a new one (a second human translation of the same version).
 */
export function variantContentHash(variant: Pick<Variant, 'content' | 'provenance'>): string {
  return createHash('sha256')
    .update(JSON.stringify([variant.provenance.kind, variant.content]))
    .digest('hex')
    .slice(0, 16);
}

/** SQS's limit on a deduplication id. */
const MAX_DEDUPLICATION_ID = 128;

/**
 * Translate one version of a release into one language (the source language: its original variant).
 * Built on first use, as is {@link PublishJobSchema}: each function validates only the jobs of its
 * own queue, and every function that imports this module would otherwise build both at start-up.
 */
export const TranslateJobSchema = builtOnFirstUse(() =>
  z.object({
    releaseId: ReleaseIdSchema,
    version: z.int().check(z.gte(1)),
    language: LanguageTagSchema,
    /** Translate again even when done: a human translation arrived for this language. */
    force: z.optional(z.boolean()),
  }),
);
export type TranslateJob = z.infer<typeof TranslateJobSchema>;

const variantRef = () => ({
  releaseId: ReleaseIdSchema,
  version: z.int().check(z.gte(1)),
  language: LanguageTagSchema,
});

/**
 * Jobs on the FIFO publish queue. A variant's jobs share the message group of its release and
 * language ({@link publishGroupId}), so they run in order while different releases of one language
 * publish at once. What must be serialized per language — numbering entries in the RFC 5005
 * archives, closing archive pages, writing the feeds — is done by `render-feed` jobs in the
 * language's own group ({@link feedGroupId}), coalesced per batch.
 *  - `variant`: publish a translated variant;
 *  - `failed`: a variant failed; run the version's completion logic;
 *  - `rerender`: render a published variant's pages again (its language set changed);
 *  - `rebuild-root`: render the root index and sitemaps (group `_root`), unless a rebuild that
 *    started after the request (`after`) already finished;
 *  - `withdraw`: replace a withdrawn release's page and ninjs in one language and drop it from
 *    that language's feeds (sent by the lifecycle stage; see core/pipeline/lifecycle.ts);
 *  - `approve`: an editor approved a variant the QA policy held (`polywire review --approve`):
 *    publish it if its content is still the one reviewed (`contentHash`);
 *  - `lift`: publish every language of a release ready at its lift, in one invocation (group
 *    `_lift.<release>`), so that all become public together (sent by the lifecycle stage);
 *  - `render-feed`: number a language's new feed entries in its archives, write the archive pages
 *    that closed and the language's (and `categories`') feeds, from the index's state; `entries`
 *    names the entries the requesting batch wrote (found even when not among the newest), and
 *    `requestedAt` keeps two requests with the same content apart (deduplication).
 */
export const PublishJobSchema = builtOnFirstUse(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('variant'), ...variantRef() }),
    z.object({ kind: z.literal('failed'), ...variantRef() }),
    z.object({ kind: z.literal('rerender'), ...variantRef() }),
    z.object({
      kind: z.literal('rebuild-root'),
      requestedAt: z.iso.datetime({ offset: true }),
      /**
       * How many root rebuilds had started when the requester read the counters, after its index
       * writes: any rebuild numbered higher covers the request (absent in requests sent before the
       * counters existed: those always rebuild).
       */
      after: z.optional(z.int().check(z.gte(0))),
      /** Also invalidate the root pages in the CDN (the batch withdrew, corrected or lifted something). */
      invalidate: z.optional(z.boolean()),
    }),
    z.object({ kind: z.literal('withdraw'), ...variantRef() }),
    z.object({
      kind: z.literal('approve'),
      ...variantRef(),
      contentHash: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
      approvedBy: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(200))),
    }),
    z.object({
      kind: z.literal('lift'),
      releaseId: ReleaseIdSchema,
      version: z.int().check(z.gte(1)),
      languages: z.array(LanguageTagSchema).check(z.minLength(1)),
    }),
    z.object({
      kind: z.literal('render-feed'),
      language: LanguageTagSchema,
      categories: z.array(z.string()),
      entries: z.array(z.object({ releaseId: ReleaseIdSchema, publishedAt: z.iso.datetime({ offset: true }), categories: z.array(z.string()) })),
      requestedAt: z.iso.datetime({ offset: true }),
      /** Also invalidate the language's feeds and index pages in the CDN (a withdrawal, correction or lift). */
      invalidate: z.optional(z.boolean()),
    }),
  ]),
);
export type PublishJob = z.infer<typeof PublishJobSchema>;

/** Message group of the root rebuild (never a language tag). */
export const ROOT_GROUP = '_root';

/** SQS's limit on a message group id. */
const MAX_GROUP_ID = 128;

/** Keeps a group id within SQS's limit: a long release id is hashed, the prefix stays readable. */
function groupId(prefix: string, releaseId: string): string {
  const id = `${prefix}${releaseId}`;
  return id.length <= MAX_GROUP_ID ? id : `${prefix}${createHash('sha256').update(releaseId).digest('hex').slice(0, 32)}`;
}

/**
 * The message group of a release's jobs in one language: `<language>.<releaseId>`. Versions share
 * it, so a correction's jobs queue behind the previous version's in that language; releases never
 * wait for each other, so the language is no cap on concurrency.
 */
export function publishGroupId(releaseId: string, language: string): string {
  return groupId(`${language}.`, releaseId);
}

/** The message group of a language's feed renders (never a language tag nor a release group). */
export function feedGroupId(language: string): string {
  return `_feed.${language}`;
}

/** A translate job as a queue message (standard queue). */
export function translateMessage(job: TranslateJob): QueueMessage {
  return { body: job };
}

/**
 * Which translate queue a release's jobs go to. `bulk`: a release far beyond a press release's
 * size (a typical one has 3,000–15,000 characters in 10–60 blocks). Its jobs are many engine
 * requests and seconds to tens of seconds of CPU per language; in the shared queue they would fill whole batches (a batch's jobs run
 * at once, in one invocation, against one timeout) and the translate slots, and ordinary releases
 * would wait behind them or fail with their batch. The bulk queue feeds the same function one job
 * per invocation at a small concurrency of its own (functions/stages.ts, `translate.bulkLane`).
 */
export type TranslateLane = 'standard' | 'bulk';

/** Translatable characters (headline, body, boilerplates …) over which a release goes to the bulk lane. */
export const BULK_LANE_CHARACTERS = 50_000;
/** Body blocks over which a release goes to the bulk lane (every block is segments, memory look-ups and markup to carry). */
export const BULK_LANE_BLOCKS = 1_000;

/** The lane of a release's translate jobs, from its size (linear in the release, computed once at ingest). */
export function translateLaneOf(release: ReleaseContent): TranslateLane {
  if (release.body.length > BULK_LANE_BLOCKS) return 'bulk';
  let characters = release.headline.length + (release.subheadline?.length ?? 0) + (release.disclaimer?.length ?? 0);
  for (const block of release.body) {
    characters += blockText(block).length;
    if (characters > BULK_LANE_CHARACTERS) return 'bulk';
  }
  for (const boilerplate of release.boilerplates) {
    characters += (boilerplate.title?.length ?? 0) + boilerplate.body.reduce((sum, block) => sum + blockText(block).length, 0);
  }
  return characters > BULK_LANE_CHARACTERS ? 'bulk' : 'standard';
}

/** The translate queues a stage sends to; without `bulk` (a deployment without the lane) every job takes `standard`. */
export interface TranslateQueues {
  translateQueue: JobQueue;
  bulkTranslateQueue?: JobQueue;
}

/** The queue of a lane. */
export function translateQueueOf(queues: TranslateQueues, lane: TranslateLane | undefined): JobQueue {
  return lane === 'bulk' ? (queues.bulkTranslateQueue ?? queues.translateQueue) : queues.translateQueue;
}

/**
 * A publish job as a FIFO message. Deduplication ids make a re-sent job within SQS's five-minute
 * window a no-op; `variant` ids carry the discriminator the translate stage gives (provenance and
 * {@link variantContentHash}) so that a new translation of the same version — a human one
 * replacing a machine one, or a second human one — is not dropped as a duplicate.
 */
export function publishMessage(job: PublishJob, discriminator?: string): QueueMessage {
  if (job.kind === 'rebuild-root') {
    // An invalidating request must not be dropped as the duplicate of a plain one of the same instant.
    const suffix = job.invalidate ? '.invalidate' : '';
    // Requests made at one rebuild count are one request: the next rebuild covers them all.
    const id = job.after === undefined ? job.requestedAt.replace(/[^0-9A-Za-z]/g, '') : `after.${job.after}`;
    return { body: job, groupId: ROOT_GROUP, deduplicationId: `root.${id}${suffix}` };
  }
  if (job.kind === 'lift') {
    // Its own group per release: two releases lifting at the same instant do not wait for each other.
    const id = `${job.releaseId}.${job.version}.lift${discriminator ? `.${discriminator}` : ''}`;
    const short = (value: string) => (value.length <= MAX_DEDUPLICATION_ID ? value : createHash('sha256').update(value).digest('hex'));
    return { body: job, groupId: short(`_lift.${job.releaseId}`), deduplicationId: short(id) };
  }
  if (job.kind === 'render-feed') {
    // The content (with its request time) is the id: a re-sent request is dropped, a new one is not.
    const digest = createHash('sha256').update(JSON.stringify(job)).digest('hex').slice(0, 40);
    return { body: job, groupId: feedGroupId(job.language), deduplicationId: `feed.${job.language}.${digest}` };
  }
  const base = `${job.releaseId}.${job.version}.${job.language}`;
  const suffix = job.kind === 'variant' ? (discriminator ? `.${discriminator}` : '') : `.${job.kind}${discriminator ? `.${discriminator}` : ''}`;
  const id = `${base}${suffix}`;
  // A long release id must not cut off the discriminator: shorten the id's stable part instead.
  const deduplicationId = id.length <= MAX_DEDUPLICATION_ID ? id : `${createHash('sha256').update(base).digest('hex').slice(0, 32)}${suffix}`.slice(0, MAX_DEDUPLICATION_ID);
  return { body: job, groupId: publishGroupId(job.releaseId, job.language), deduplicationId };
}
