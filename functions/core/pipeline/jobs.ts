/**
 * The messages between stages. Bodies are JSON; every job names exactly what to do, so a
 * duplicated or re-driven message does the same thing again (all stages are idempotent).
 */
import { z } from 'zod';
import { LanguageTagSchema, ReleaseIdSchema } from '../release';
import type { QueueMessage } from '../../ports';

/** Translate one version of a release into one language (the source language: its original variant). */
export const TranslateJobSchema = z.object({
  releaseId: ReleaseIdSchema,
  version: z.number().int().min(1),
  language: LanguageTagSchema,
  /** Translate again even when done: a human translation arrived for this language. */
  force: z.boolean().optional(),
});
export type TranslateJob = z.infer<typeof TranslateJobSchema>;

const VariantRef = {
  releaseId: ReleaseIdSchema,
  version: z.number().int().min(1),
  language: LanguageTagSchema,
};

/**
 * Jobs on the FIFO publish queue. Language jobs use the language as message group, so one
 * language's pages and feeds are normally written by one invocation at a time. That only reduces
 * contention: feed correctness no longer depends on it (publish verifies every feed write).
 *  - `variant`: publish a translated variant;
 *  - `failed`: a variant failed; run the version's completion logic;
 *  - `rerender`: render a published variant's pages again (its language set changed);
 *  - `rebuild-root`: render the root index and sitemaps (group `_root`).
 */
export const PublishJobSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('variant'), ...VariantRef }),
  z.object({ kind: z.literal('failed'), ...VariantRef }),
  z.object({ kind: z.literal('rerender'), ...VariantRef }),
  z.object({ kind: z.literal('rebuild-root'), requestedAt: z.iso.datetime({ offset: true }) }),
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
 * window a no-op; `variant` ids carry the provenance so that a human translation replacing a
 * machine one is not dropped as a duplicate.
 */
export function publishMessage(job: PublishJob, discriminator?: string): QueueMessage {
  if (job.kind === 'rebuild-root') {
    return { body: job, groupId: ROOT_GROUP, deduplicationId: `root.${job.requestedAt.replace(/[^0-9A-Za-z]/g, '')}` };
  }
  const base = `${job.releaseId}.${job.version}.${job.language}`;
  const suffix = job.kind === 'variant' ? (discriminator ? `.${discriminator}` : '') : `.${job.kind}${discriminator ? `.${discriminator}` : ''}`;
  return { body: job, groupId: job.language, deduplicationId: `${base}${suffix}`.slice(0, 128) };
}
