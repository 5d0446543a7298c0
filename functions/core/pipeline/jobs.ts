/**
 * The messages between stages. Bodies are JSON; every job names exactly what to do, so a
 * duplicated or re-driven message does the same thing again (all stages are idempotent).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { LanguageTagSchema, ReleaseIdSchema } from '../release';
import type { Variant } from '../variant';
import type { QueueMessage } from '../../ports';

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

/** Translate one version of a release into one language (the source language: its original variant). */
export const TranslateJobSchema = z.object({
  releaseId: ReleaseIdSchema,
  version: z.int().check(z.gte(1)),
  language: LanguageTagSchema,
  /** Translate again even when done: a human translation arrived for this language. */
  force: z.optional(z.boolean()),
});
export type TranslateJob = z.infer<typeof TranslateJobSchema>;

const VariantRef = {
  releaseId: ReleaseIdSchema,
  version: z.int().check(z.gte(1)),
  language: LanguageTagSchema,
};

/**
 * Jobs on the FIFO publish queue. Language jobs use the language as message group, so one
 * language's pages and feeds are normally written by one invocation at a time. That only reduces
 * contention: feed correctness no longer depends on it (publish verifies every feed write).
 *  - `variant`: publish a translated variant;
 *  - `failed`: a variant failed; run the version's completion logic;
 *  - `rerender`: render a published variant's pages again (its language set changed);
 *  - `rebuild-root`: render the root index and sitemaps (group `_root`);
 *  - `withdraw`: replace a withdrawn release's page and ninjs in one language and drop it from
 *    that language's feeds (sent by the lifecycle stage; see core/pipeline/lifecycle.ts);
 *  - `approve`: an editor approved a variant the QA policy held (`polywire review --approve`):
 *    publish it if its content is still the one reviewed (`contentHash`);
 *  - `lift`: publish every language of a release ready at its lift, in one invocation (group
 *    `_lift.<release>`), so that all become public together (sent by the lifecycle stage).
 */
export const PublishJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('variant'), ...VariantRef }),
  z.object({ kind: z.literal('failed'), ...VariantRef }),
  z.object({ kind: z.literal('rerender'), ...VariantRef }),
  z.object({
    kind: z.literal('rebuild-root'),
    requestedAt: z.iso.datetime({ offset: true }),
    /** Also invalidate the root pages in the CDN (the batch withdrew, corrected or lifted something). */
    invalidate: z.optional(z.boolean()),
  }),
  z.object({ kind: z.literal('withdraw'), ...VariantRef }),
  z.object({
    kind: z.literal('approve'),
    ...VariantRef,
    contentHash: z.string().check(z.regex(/^[0-9a-f]{16}$/)),
    approvedBy: z.optional(z.string().check(z.minLength(1)).check(z.maxLength(200))),
  }),
  z.object({
    kind: z.literal('lift'),
    releaseId: ReleaseIdSchema,
    version: z.int().check(z.gte(1)),
    languages: z.array(LanguageTagSchema).check(z.minLength(1)),
  }),
]);
export type PublishJob = z.infer<typeof PublishJobSchema>;

/** Message group of the root rebuild (never a language tag). */
export const ROOT_GROUP = '_root';

/** A translate job as a queue message (standard queue). */
export function translateMessage(job: TranslateJob): QueueMessage {
  return { body: job };
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
    return { body: job, groupId: ROOT_GROUP, deduplicationId: `root.${job.requestedAt.replace(/[^0-9A-Za-z]/g, '')}${suffix}` };
  }
  if (job.kind === 'lift') {
    // Its own group per release: two releases lifting at the same instant do not wait for each other.
    const id = `${job.releaseId}.${job.version}.lift${discriminator ? `.${discriminator}` : ''}`;
    const short = (value: string) => (value.length <= MAX_DEDUPLICATION_ID ? value : createHash('sha256').update(value).digest('hex'));
    return { body: job, groupId: short(`_lift.${job.releaseId}`), deduplicationId: short(id) };
  }
  const base = `${job.releaseId}.${job.version}.${job.language}`;
  const suffix = job.kind === 'variant' ? (discriminator ? `.${discriminator}` : '') : `.${job.kind}${discriminator ? `.${discriminator}` : ''}`;
  const id = `${base}${suffix}`;
  // A long release id must not cut off the discriminator: shorten the id's stable part instead.
  const deduplicationId = id.length <= MAX_DEDUPLICATION_ID ? id : `${createHash('sha256').update(base).digest('hex').slice(0, 32)}${suffix}`.slice(0, MAX_DEDUPLICATION_ID);
  return { body: job, groupId: job.language, deduplicationId };
}
