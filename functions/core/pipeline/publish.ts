/**
 * Publish: renders translated variants into the distribution bucket, keeps the "latest 50" feed
 * index, and announces each published language version on the webhook queue.
 *
 * Jobs arrive on a FIFO queue grouped by release × language, so releases of one language publish
 * at once. A batch writes pages and the feed index, then asks for one coalesced `render-feed` job
 * per touched language, in that language's own group: feeds and RFC 5005 archives (numbering,
 * pages written once) are thus written by one invocation per language at a time, from the index's
 * state (never from the message); the same send asks for a root rebuild (`_root` group). Every
 * feed write is also verified against the index afterwards (see {@link writeVerified}). Every
 * step is version-guarded: an older state never overwrites a newer one.
 */
import { ProviderError } from '../errors';
import { publicationState, publicationTime } from '../lifecycle';
import { renderWithdrawnFiles } from '../render/withdrawn';
import { ReleaseSchema, type Release } from '../release';
import { truncate } from '../text';
import { invalidationPaths, invalidationReference } from '../publish/invalidation';
import { writeOutputs } from '../publish/write-outputs';
import { categorySlug, feedEntryOf, MAX_FEED_ITEMS, paths, renderEmbargoedNinjs, renderLanguageFiles, renderRootFiles, renderVariantFiles, urlOf, type OutputFile, type SiteConfig } from '../render';
// Loaders of the libraries only feed renders and root rebuilds use (not every cold start).
import { loadFeedRenderer, loadSitemapRenderer } from '../render';
import { VariantSchema, type FeedEntry, type Variant } from '../variant';
import type { WebhookJob } from '../webhooks/event';
import type { CdnInvalidator, PublicationRecord, VariantRecord } from '../../ports';
import { feedName } from './feed-names';
import { numberNewEntries, unarchivedEntries, writeArchivePages, type EntryRef } from './feed-archive';
import { readJson, silentLogger, type PublishStageDeps } from './deps';
import { publishMessage, variantContentHash, type PublishJob } from './jobs';
import { objectKeys } from './keys';
import { publishPictures } from './pictures';

export interface PublishDeps extends PublishStageDeps {
  site: SiteConfig;
  /** The languages the root page lists even before they have releases (the deployment's). */
  siteLanguages: readonly string[];
  /**
   * The CDN in front of the distribution bucket. Withdrawals, corrections and lifts invalidate
   * the paths they change (pages, ninjs, the language's feeds and index pages, the root pages);
   * ordinary first publications do not (their lists expire within a minute by Cache-Control).
   */
  cdn?: CdnInvalidator;
}

export type PublishOutcome =
  | { kind: 'published'; releaseId: string; version: number; language: string; event: WebhookJob['event']['type']; outputsWritten: number }
  | { kind: 'rerendered'; releaseId: string; version: number; language: string; outputsWritten: number }
  | { kind: 'root'; outputsWritten: number }
  | { kind: 'withdrawn'; releaseId: string; language: string; outputsWritten: number }
  | { kind: 'lifted'; releaseId: string; version: number; published: string[]; outputsWritten: number }
  | { kind: 'skipped'; reason: string };

/** A language's feed render: what the `render-feed` jobs of a batch (or its own touches) ask for. */
interface FeedRender {
  categories: Set<string>;
  /** Entries written to the index (found by key even when not among the newest). */
  entries: Map<string, EntryRef>;
  invalidate: boolean;
}

/**
 * What one batch touched. Its end asks for one feed render per touched language; the `render-feed`
 * jobs it holds are rendered at its end, coalesced per language.
 */
export class PublishBatch {
  /** language → category names touched in it. */
  readonly touched = new Map<string, Set<string>>();
  /** language → entries the batch wrote to the index (first publications and corrections). */
  readonly written = new Map<string, Map<string, EntryRef>>();
  /** language → the feed render its `render-feed` jobs asked for. */
  readonly renders = new Map<string, FeedRender>();

  /** Bucket keys whose cached copies must go once the batch is written. */
  readonly invalidateKeys = new Set<string>();
  /** Languages whose feeds and index pages (as rendered at the end of the batch) must go too. */
  readonly invalidateFeedsOf = new Set<string>();

  touch(language: string, categories: readonly string[] = [], entry?: EntryRef): void {
    const set = this.touched.get(language) ?? new Set<string>();
    for (const category of categories) set.add(category);
    this.touched.set(language, set);
    if (entry) {
      const written = this.written.get(language) ?? new Map<string, EntryRef>();
      written.set(entry.releaseId, { releaseId: entry.releaseId, publishedAt: entry.publishedAt, categories: [...entry.categories] });
      this.written.set(language, written);
    }
  }

  /** A `render-feed` job: rendered at the batch's end, merged with the language's other requests. */
  requestRender(job: { language: string; categories: readonly string[]; entries: readonly EntryRef[]; invalidate?: boolean | undefined }): void {
    const render = this.renders.get(job.language) ?? { categories: new Set<string>(), entries: new Map<string, EntryRef>(), invalidate: false };
    for (const category of job.categories) render.categories.add(category);
    for (const entry of job.entries) render.entries.set(entry.releaseId, entry);
    render.invalidate ||= job.invalidate === true;
    this.renders.set(job.language, render);
  }

  /** A withdrawal, correction or lift changed these keys of `language`, and so its feeds. */
  invalidate(language: string, keys: readonly string[]): void {
    for (const key of keys) this.invalidateKeys.add(key);
    this.invalidateFeedsOf.add(language);
  }
}

/** Final for the version's completion: a held variant waits for an editor, not for the pipeline. */
const TERMINAL = new Set(['published', 'failed', 'superseded', 'held']);

/**
 * Runs one publish job of a batch. Records what to render in `batch`; call
 * {@link finishPublishBatch} after the batch's jobs.
 */
export async function publishJob(deps: PublishDeps, job: PublishJob, batch: PublishBatch): Promise<PublishOutcome> {
  switch (job.kind) {
    case 'variant':
      return publishVariant(deps, job, batch);
    case 'failed':
      await completeVersion(deps, job.releaseId, job.version);
      return { kind: 'skipped', reason: 'variant failed; completion checked' };
    case 'rerender':
      return rerenderVariant(deps, job);
    case 'rebuild-root':
      return rebuildRoot(deps, job);
    case 'withdraw':
      return withdrawVariant(deps, job, batch);
    case 'approve':
      return approveVariant(deps, job, batch);
    case 'lift':
      return publishLift(deps, job, batch);
    case 'render-feed':
      batch.requestRender(job);
      return { kind: 'skipped', reason: 'feed render coalesced into the batch end' };
  }
}

/**
 * The lift: every language ready at it, published in parallel in this one invocation, so the
 * batch renders each language's feeds once and asks for one root rebuild for all of them (one
 * job per language would run up to 15 batches, each with its own root rebuild). Each language
 * goes through {@link publishVariant}, so a repeat skips what is done; one failure fails the job
 * and the retry publishes the rest.
 */
async function publishLift(deps: PublishDeps, job: { releaseId: string; version: number; languages: readonly string[] }, batch: PublishBatch): Promise<PublishOutcome> {
  const { releaseId, version } = job;
  const outcomes = await Promise.all(job.languages.map((language) => publishVariant(deps, { releaseId, version, language }, batch)));
  const published = outcomes.flatMap((o) => (o.kind === 'published' ? [o.language] : []));
  const outputsWritten = outcomes.reduce((sum, o) => sum + ('outputsWritten' in o ? o.outputsWritten : 0), 0);
  return { kind: 'lifted', releaseId, version, published, outputsWritten };
}

async function publishVariant(deps: PublishDeps, job: { releaseId: string; version: number; language: string }, batch: PublishBatch): Promise<PublishOutcome> {
  const { repository } = deps;
  const logger = deps.logger ?? silentLogger;
  const { releaseId, version, language } = job;
  const [record, publication] = await Promise.all([repository.getVariant(releaseId, version, language), repository.getPublication(releaseId, language)]);
  if (!record || record.status === 'superseded' || record.status === 'failed' || record.status === 'pending') {
    return { kind: 'skipped', reason: `variant is ${record?.status ?? 'missing'}` };
  }
  if (record.status === 'held') {
    // Not public, not announced. Pages published before the hold may list it: completion re-renders them.
    await completeVersion(deps, releaseId, version);
    return { kind: 'skipped', reason: `held for QA review (${record.review?.checks.join(', ') ?? 'QA errors'})` };
  }
  if (publication && publication.version > version) {
    // Only a variant still on its way is superseded: a published one keeps its history.
    if (record.status === 'translated') {
      await repository.updateVariant(releaseId, version, language, { status: 'superseded', updatedAt: deps.clock.now().toISOString() });
    }
    return { kind: 'skipped', reason: `version ${publication.version} is already published` };
  }
  // The planned languages, not the live ones: the one variant listing of this job is the
  // completion's, after the mark (a listing before it cannot tell whether this job is the last).
  // A language that fails or is held meanwhile is dropped from this page by the completion's
  // re-render, as for the pages published before it failed.
  const [{ release, variant }, versionRecord, lifecycle] = await Promise.all([loadVersion(deps, releaseId, version, language), repository.getVersion(releaseId, version), deps.lifecycle?.get(releaseId)]);
  const languages = versionRecord?.languages ?? [];
  // The hold: nothing of an embargoed, scheduled or withdrawn release is written, and only
  // subscribers trusted with embargoed content hear of an embargoed one (never of a scheduled one).
  // The variant stays `translated`; the lift sends its publish job again.
  const state = publicationState(release, lifecycle, deps.clock.now());
  if (state.pubStatus !== 'usable') {
    if (state.pubStatus === 'withheld' && state.hold.kind === 'embargo') {
      await announceEmbargoed(deps, { release, variant, languages, until: state.hold.until, occurredAt: record.updatedAt });
    }
    return { kind: 'skipped', reason: state.pubStatus === 'withheld' ? `held (${state.hold.kind}) until ${state.hold.until}` : 'release withdrawn' };
  }
  const contentHash = variantContentHash(variant);
  const samePublication = publication?.version === version && record.provenance?.kind === variant.provenance.kind && (publication.contentHash === undefined || publication.contentHash === contentHash);
  if (record.status === 'published' && samePublication) {
    // A re-delivered job: the state is there; only make sure this batch renders the feeds, and
    // that the completion ran (a crash right after marking the variant published skipped it).
    batch.touch(language, [...variant.content.categories, ...publication.categories], { releaseId, publishedAt: publication.firstPublishedAt, categories: publication.categories });
    // A retried batch writes nothing new, so it would invalidate nothing: ask again.
    if ((publication.firstVersion ?? version) !== version || lifecycle?.liftedAt !== undefined) {
      batch.invalidate(language, [paths.page(language, releaseId), paths.ninjs(language, releaseId)]);
    }
    await completeVersion(deps, releaseId, version);
    return { kind: 'skipped', reason: 'already published' };
  }

  const now = deps.clock.now().toISOString();
  // The date rule (docs/lifecycle.md): first publication = the lift for a language ready then,
  // else when this language became public; the issuer's own date is shown as written.
  const firstPublishedAt = publication?.firstPublishedAt ?? publicationTime(lifecycle, record.updatedAt, now);
  const times = { publishedAt: firstPublishedAt, updatedAt: publication ? now : firstPublishedAt };
  await publishPictures(deps, variant);
  const files = renderVariantFiles({ site: deps.site, release, variant, languages, times, state });
  // Never published in this language: its page, ninjs and NewsML cannot exist yet, so no HEAD.
  const { written } = await writeOutputs(deps.distribution, files, { newKeys: publication === undefined });

  const type = eventTypeOf(publication, version, variant.provenance.kind, contentHash);
  const recorded = await repository.recordPublication({
    releaseId,
    language,
    version,
    firstPublishedAt: times.publishedAt,
    updatedAt: times.updatedAt,
    categories: [...variant.content.categories],
    firstVersion: publication?.firstVersion ?? publication?.version ?? version,
    provenance: variant.provenance.kind,
    contentHash,
  });
  if (!recorded) return { kind: 'skipped', reason: 'a newer version was published meanwhile' };

  const entry = feedEntryOf(release, variant, times);
  await updateFeedIndex(deps, entry, publication?.categories ?? []);
  batch.touch(language, [...entry.categories, ...(publication?.categories ?? [])], entry);
  // A correction replaces cached pages; a lift makes public what a cache may hold as a 404.
  if (publication || lifecycle?.liftedAt !== undefined)
    batch.invalidate(
      language,
      files.map((file) => file.path),
    );

  const webhook: WebhookJob = {
    event: {
      type,
      releaseId,
      version,
      language,
      url: urlOf(deps.site, paths.page(language, releaseId)),
      ninjsUrl: urlOf(deps.site, paths.ninjs(language, releaseId)),
      newsmlUrl: urlOf(deps.site, paths.newsml(language, releaseId)),
      headline: eventHeadline(variant.content.headline),
      occurredAt: times.updatedAt,
      categories: [...variant.content.categories],
      contentHash,
    },
  };
  await deps.webhookQueue.send([{ body: webhook }]);
  // A language that had failed (recovered) or was held (review): the sibling pages were rendered
  // without it. Before the mark, like the webhook, for a recovery: a crash re-runs the job.
  if (record.recovered && !record.review) await refreshSiblings(deps, releaseId, version, language, contentHash);
  // Marked last: a crash before this re-runs the job, and the webhook goes out again (same id).
  await repository.updateVariant(releaseId, version, language, { status: 'published', publishedAt: now, updatedAt: now });
  const variants = await completeVersion(deps, releaseId, version);
  // Out of a QA hold: the sibling pages were rendered without this language.
  if (record.review) await refreshSiblings(deps, releaseId, version, language, contentHash, variants);
  logger.info('variant published', { releaseId, version, language, event: type, outputsWritten: written });
  return { kind: 'published', releaseId, version, language, event: type, outputsWritten: written };
}

/**
 * `release.published` for the first publication of a release in a language (also when that
 * publication is retried), `release.updated` for a correction or a replaced translation (another
 * provenance, or other content: a second human translation).
 */
function eventTypeOf(publication: PublicationRecord | undefined, version: number, provenance: string, contentHash: string): WebhookJob['event']['type'] {
  if (!publication) return 'release.published';
  const retried = publication.version === version && (publication.provenance === undefined || publication.provenance === provenance) && (publication.contentHash === undefined || publication.contentHash === contentHash);
  if (retried) return (publication.firstVersion ?? version) === version ? 'release.published' : 'release.updated';
  return 'release.updated';
}

/**
 * Longest headline a webhook event carries (the page and ninjs have it whole): a delivery job
 * must stay under SQS's 256 KiB message limit, and a 150,000-character headline (accepted by the
 * parser) made it 300 KB in a language with non-ASCII letters; the send failed, and with it the
 * rest of that language's FIFO publish group.
 */
export const MAX_EVENT_HEADLINE_CHARS = 2_000;

function eventHeadline(headline: string): string {
  return headline.length <= MAX_EVENT_HEADLINE_CHARS ? headline : truncate(headline, MAX_EVENT_HEADLINE_CHARS);
}

/**
 * Largest `release.embargoed` event carried inline: a delivery job (event plus a few ids) must
 * stay under SQS's 256 KiB message limit.
 */
export const MAX_EMBARGOED_EVENT_BYTES = 200_000;

/**
 * Sends `release.embargoed` for one language version: the deliver stage hands it to opted-in
 * subscriptions only. Repeats (a re-driven job) keep the same `webhook-id`, so a subscriber gets
 * it once. A release too long to travel inline loses its plain-text body first, then the whole
 * document (the event then still announces the embargo; the content follows at the lift).
 */
async function announceEmbargoed(deps: PublishDeps, input: { release: Release; variant: Variant; languages: readonly string[]; until: string; occurredAt: string }): Promise<void> {
  const { release, variant } = input;
  const language = variant.language;
  const event: WebhookJob['event'] = {
    type: 'release.embargoed',
    releaseId: release.id,
    version: variant.version,
    language,
    url: urlOf(deps.site, paths.page(language, release.id)),
    ninjsUrl: urlOf(deps.site, paths.ninjs(language, release.id)),
    headline: eventHeadline(variant.content.headline),
    occurredAt: input.occurredAt,
    categories: [...variant.content.categories],
    contentHash: variantContentHash(variant),
    embargoedUntil: new Date(input.until).toISOString(),
  };
  const ninjs = renderEmbargoedNinjs({ site: deps.site, release, variant, languages: input.languages, until: input.until });
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
  let inline: Record<string, unknown> | undefined = ninjs;
  if (size({ ...event, ninjs: inline }) > MAX_EMBARGOED_EVENT_BYTES) {
    const bodies = (ninjs.bodies as { role?: string; contentType?: string }[] | undefined) ?? [];
    inline = { ...ninjs, bodies: bodies.filter((body) => !(body.role === 'main' && body.contentType === 'text/plain')) };
  }
  if (size({ ...event, ninjs: inline }) > MAX_EMBARGOED_EVENT_BYTES) {
    (deps.logger ?? silentLogger).warn('embargoed release too long to send inline; announced without its content', { releaseId: release.id, language });
    inline = undefined;
  }
  await deps.webhookQueue.send([{ body: { event: { ...event, ...(inline ? { ninjs: inline } : {}) } } satisfies WebhookJob }]);
}

/**
 * Writes the entry into the language feed and each category feed; drops it from categories it
 * left. The archives number it later, in the language's feed render (serialized per language).
 */
async function updateFeedIndex(deps: PublishDeps, entry: FeedEntry, previousCategories: readonly string[]): Promise<void> {
  const slugs = new Set(entry.categories.map(categorySlug));
  const left = new Set(previousCategories.map(categorySlug).filter((slug) => !slugs.has(slug)));
  await Promise.all([
    deps.feeds.upsert(feedName(entry.language), entry),
    ...[...slugs].map((slug) => deps.feeds.upsert(feedName(entry.language, slug), entry)),
    ...[...left].map((slug) => deps.feeds.remove(feedName(entry.language, slug), entry, entry.version)),
  ]);
}

async function loadVersion(deps: PublishDeps, releaseId: string, version: number, language: string): Promise<{ release: Release; variant: Variant }> {
  const [release, variant] = await Promise.all([readJson(deps.uploads, objectKeys.release(releaseId, version)), readJson(deps.uploads, objectKeys.variant(releaseId, version, language))]);
  if (release === undefined || variant === undefined) {
    throw new Error(`release ${releaseId} v${version} (${language}) is not stored: ${release === undefined ? 'release' : 'variant'} missing`);
  }
  return { release: ReleaseSchema.parse(release), variant: VariantSchema.parse(variant) };
}

/**
 * The version's planned languages minus those that failed or are held for QA review without a
 * page of this version: hreflang never points at a page that will not exist (or not yet).
 */
async function liveLanguages(deps: PublishDeps, releaseId: string, version: number): Promise<string[]> {
  const [record, variants] = await Promise.all([deps.repository.getVersion(releaseId, version), deps.repository.listVariants(releaseId, version)]);
  const planned = record?.languages ?? [];
  const excluded = new Set(await excludedLanguages(deps, releaseId, version, variants));
  return planned.filter((language) => !excluded.has(language));
}

/** Failed languages, and held ones not already public in this version (a held replacement is). */
async function excludedLanguages(deps: PublishDeps, releaseId: string, version: number, variants: readonly VariantRecord[]): Promise<string[]> {
  const held = variants.filter((v) => v.status === 'held');
  const publications = await Promise.all(held.map((v) => deps.repository.getPublication(releaseId, v.language)));
  const heldUnpublished = held.filter((_, i) => publications[i]?.version !== version).map((v) => v.language);
  return [...variants.filter((v) => v.status === 'failed').map((v) => v.language), ...heldUnpublished].sort();
}

/**
 * When every language of a version is final and some failed, the pages published before the
 * failure still list the failed language: re-render them, each in its own language's group.
 */
async function completeVersion(deps: PublishDeps, releaseId: string, version: number): Promise<VariantRecord[]> {
  const variants = await deps.repository.listVariants(releaseId, version);
  if (!variants.every((v) => TERMINAL.has(v.status))) return variants;
  const failed = await excludedLanguages(deps, releaseId, version, variants);
  if (failed.length === 0) return variants;
  const published = variants.filter((v) => v.status === 'published');
  await deps.publishQueue.send(published.map((v) => publishMessage({ kind: 'rerender', releaseId, version, language: v.language }, `without-${failed.join('-')}`)));
  return variants;
}

/**
 * A variant out of a QA hold (approved, or replaced by a translation that passed) is published:
 * re-render every other published language so its hreflang and ninjs associations list it.
 */
async function refreshSiblings(
  deps: PublishDeps,
  releaseId: string,
  version: number,
  language: string,
  contentHash: string,
  // A listing made after this variant was marked (the completion's), else one is made.
  listed?: readonly VariantRecord[],
): Promise<void> {
  const siblings = (listed ?? (await deps.repository.listVariants(releaseId, version))).filter((v) => v.status === 'published' && v.language !== language);
  await deps.publishQueue.send(siblings.map((v) => publishMessage({ kind: 'rerender', releaseId, version, language: v.language }, `with-${language}.${contentHash}`)));
}

/**
 * An editor approved a held variant: publish it, unless its content changed since the review (a
 * new translation arrived: that one has its own QA and needs its own review). Safe to repeat: an
 * approved variant is `translated`, then `published`, and publishing skips what is done.
 */
async function approveVariant(deps: PublishDeps, job: { releaseId: string; version: number; language: string; contentHash: string; approvedBy?: string | undefined }, batch: PublishBatch): Promise<PublishOutcome> {
  const { releaseId, version, language } = job;
  const record = await deps.repository.getVariant(releaseId, version, language);
  if (!record) return { kind: 'skipped', reason: 'variant missing' };
  if (record.contentHash !== job.contentHash) {
    return { kind: 'skipped', reason: 'the translation changed since it was reviewed: review the new one' };
  }
  if (record.status === 'held') {
    const now = deps.clock.now().toISOString();
    const review = { ...(record.review ?? { heldAt: record.updatedAt, checks: [], contentHash: job.contentHash }), approvedAt: now };
    await deps.repository.updateVariant(releaseId, version, language, {
      status: 'translated',
      review: job.approvedBy ? { ...review, approvedBy: job.approvedBy } : review,
      updatedAt: now,
    });
    (deps.logger ?? silentLogger).info('held variant approved', { releaseId, version, language, approvedBy: job.approvedBy });
  } else if (record.status !== 'translated' && record.status !== 'published') {
    return { kind: 'skipped', reason: `variant is ${record.status}` };
  }
  return publishVariant(deps, job, batch);
}

async function rerenderVariant(deps: PublishDeps, job: { releaseId: string; version: number; language: string }): Promise<PublishOutcome> {
  const { releaseId, version, language } = job;
  const publication = await deps.repository.getPublication(releaseId, language);
  if (publication?.version !== version) return { kind: 'skipped', reason: 'not the published version' };
  if ((await deps.lifecycle?.get(releaseId))?.state === 'withdrawn') return { kind: 'skipped', reason: 'release withdrawn' };
  const record = await deps.repository.getVariant(releaseId, version, language);
  const { release, variant } = await loadVersion(deps, releaseId, version, language);
  const times = { publishedAt: publication.firstPublishedAt, updatedAt: record?.publishedAt ?? publication.updatedAt };
  // Only a published, not withdrawn version is re-rendered: it is usable.
  const state = { pubStatus: 'usable' } as const;
  const files = renderVariantFiles({ site: deps.site, release, variant, languages: await liveLanguages(deps, releaseId, version), times, state });
  const { written } = await writeOutputs(deps.distribution, files);
  return { kind: 'rerendered', releaseId, version, language, outputsWritten: written };
}

/**
 * Replaces a withdrawn release's page and ninjs in one language with the withdrawal notice, drops
 * it from the language's feeds and category feeds (the batch re-renders them and the root pages,
 * sitemaps included), and tells subscribers. Safe to repeat: the same files, the same removals,
 * the same webhook id.
 */
async function withdrawVariant(deps: PublishDeps, job: { releaseId: string; version: number; language: string }, batch: PublishBatch): Promise<PublishOutcome> {
  const { releaseId, language } = job;
  const [lifecycle, publication] = await Promise.all([deps.lifecycle?.get(releaseId), deps.repository.getPublication(releaseId, language)]);
  if (lifecycle?.state !== 'withdrawn') return { kind: 'skipped', reason: 'release is not withdrawn' };
  const withdrawnAt = lifecycle.withdrawnAt ?? lifecycle.updatedAt;
  const reason = lifecycle.withdrawnReason ?? '';
  if (!publication) {
    // Never public: no page to replace. Subscribers trusted with the embargoed text may hold a
    // copy; the deliver stage sends this only to those recorded as its recipients.
    if (lifecycle.hold?.kind !== 'embargo') return { kind: 'skipped', reason: `never published in ${language}` };
    const stored = await readJson(deps.uploads, objectKeys.variant(releaseId, job.version, language));
    if (stored === undefined) return { kind: 'skipped', reason: `never published nor translated in ${language}` };
    const variant = VariantSchema.parse(stored);
    const webhook: WebhookJob = {
      event: {
        type: 'release.withdrawn',
        releaseId,
        version: job.version,
        language,
        url: urlOf(deps.site, paths.page(language, releaseId)),
        ninjsUrl: urlOf(deps.site, paths.ninjs(language, releaseId)),
        headline: eventHeadline(variant.content.headline),
        occurredAt: withdrawnAt,
        wasPublic: false,
        ...(reason ? { reason } : {}),
      },
    };
    await deps.webhookQueue.send([{ body: webhook }]);
    return { kind: 'skipped', reason: `never published in ${language}; embargo recipients told` };
  }
  const files = renderWithdrawnFiles({
    site: deps.site,
    releaseId,
    language,
    version: publication.version,
    publishedAt: publication.firstPublishedAt,
    withdrawnAt,
    reason,
  });
  const { written } = await writeOutputs(deps.distribution, files);
  const entry = { releaseId, publishedAt: publication.firstPublishedAt };
  await Promise.all([
    deps.feeds.remove(feedName(language), entry, Number.MAX_SAFE_INTEGER),
    ...[...new Set(publication.categories.map(categorySlug))].map((slug) => deps.feeds.remove(feedName(language, slug), entry, Number.MAX_SAFE_INTEGER)),
  ]);
  batch.touch(language, publication.categories);
  batch.invalidate(
    language,
    files.map((file) => file.path),
  );
  const { variant } = await loadVersion(deps, releaseId, publication.version, language);
  const webhook: WebhookJob = {
    event: {
      type: 'release.withdrawn',
      releaseId,
      version: publication.version,
      language,
      url: urlOf(deps.site, paths.page(language, releaseId)),
      ninjsUrl: urlOf(deps.site, paths.ninjs(language, releaseId)),
      newsmlUrl: urlOf(deps.site, paths.newsml(language, releaseId)),
      headline: eventHeadline(variant.content.headline),
      occurredAt: withdrawnAt,
      wasPublic: true,
      ...(reason ? { reason } : {}),
    },
  };
  await deps.webhookQueue.send([{ body: webhook }]);
  (deps.logger ?? silentLogger).info('variant withdrawn', { releaseId, language, outputsWritten: written });
  return { kind: 'withdrawn', releaseId, language, outputsWritten: written };
}

/**
 * The end of a batch. The languages its jobs touched: one coalesced `render-feed` request each, in
 * the language's feed group (a language this batch renders itself is rendered with its touches),
 * and one root rebuild, all in one send. Its `render-feed` jobs: per language, the new entries
 * numbered in the archives, the archive pages that closed and the feeds written. Throws on failure: the
 * whole batch is then retried, and its already-published jobs touch their feeds again.
 */
export async function finishPublishBatch(deps: PublishDeps, batch: PublishBatch): Promise<{ outputsWritten: number }> {
  if (batch.touched.size === 0 && batch.renders.size === 0) return { outputsWritten: 0 };
  // Deduplicates the requests by their time (see publishMessage), so no random id is needed: the
  // core stays deterministic under an injected clock.
  const requestedAt = deps.clock.now().toISOString();
  if (batch.invalidateKeys.size > 0 && deps.cdn) {
    const cdnPaths = invalidationPaths(batch.invalidateKeys);
    await deps.cdn.invalidate(cdnPaths, invalidationReference(cdnPaths, requestedAt));
  }
  const requests: PublishJob[] = [];
  for (const [language, categories] of batch.touched) {
    const entries = [...(batch.written.get(language)?.values() ?? [])];
    const invalidate = batch.invalidateFeedsOf.has(language);
    if (batch.renders.has(language)) batch.requestRender({ language, categories: [...categories], entries, invalidate });
    else requests.push({ kind: 'render-feed', language, categories: [...categories], entries, requestedAt, ...(invalidate ? { invalidate: true } : {}) });
  }
  // The root pages are rendered from the index alone (not from the feeds a render writes), and this
  // batch's index writes are done: the root rebuild is asked for here, in the same SendMessageBatch
  // as the feed renders, unless a request is already waiting for a rebuild that has not started
  // (see rebuildRoot for why that one covers this batch's writes).
  const rootRequest = batch.touched.size > 0 ? await rootRequestOf(deps, requestedAt, batch.invalidateFeedsOf.size > 0) : undefined;
  if (rootRequest) requests.push(rootRequest);
  if (requests.length > 0) await deps.publishQueue.send(requests.map((job) => publishMessage(job)));
  // After the send: a crash before it leaves no mark, so the retried batch asks again.
  if (rootRequest?.kind === 'rebuild-root' && rootRequest.after !== undefined) await deps.feeds.markRootRequested(rootRequest.after + 1);
  if (batch.renders.size === 0) return { outputsWritten: 0 };

  const invalidate = new Set<string>();
  const written = (await Promise.all([...batch.renders].map(([language, render]) => renderLanguageFeeds(deps, language, render, invalidate)))).reduce((sum, n) => sum + n, 0);
  if (invalidate.size > 0 && deps.cdn) {
    const cdnPaths = invalidationPaths(invalidate);
    await deps.cdn.invalidate(cdnPaths, invalidationReference(cdnPaths, requestedAt));
  }
  return { outputsWritten: written };
}

/**
 * One language's feeds (the language's, and the categories' asked for): new entries numbered,
 * closed archive pages written (before the feed that links to them), then the feed written from
 * the index's newest entries and verified. Runs in the language's feed group, one at a time.
 */
async function renderLanguageFeeds(deps: PublishDeps, language: string, render: FeedRender, invalidate: Set<string>): Promise<number> {
  // Rendered paths, not only written ones: a retried batch finds its files current, yet the
  // first attempt may have failed before its invalidation.
  const record = (files: OutputFile[]) => {
    if (render.invalidate) for (const file of files) invalidate.add(file.path);
    return files;
  };
  await loadFeedRenderer();
  const entries = [...render.entries.values()];
  const feeds = [
    { feed: feedName(language), refs: entries },
    ...[...new Map([...render.categories].map((name) => [categorySlug(name), name]))].map(([slug, name]) => ({
      feed: feedName(language, slug),
      slug,
      name,
      refs: entries.filter((entry) => entry.categories.some((category) => categorySlug(category) === slug)),
    })),
  ];
  const counts = await Promise.all(
    feeds.map(async ({ feed, refs, ...category }) => {
      const { slug, name } = category as { slug?: string; name?: string };
      // One read of the newest entries for the numbering and the feed's first render (the numbering
      // does not change the index; writeVerified reads again after writing).
      const newest = await deps.feeds.latest(feed, MAX_FEED_ITEMS);
      const { size, numbered } = await numberNewEntries(deps, feed, refs, newest);
      const page = await writeArchivePages(deps, language, slug, name, deps.archive ? size : undefined);
      return writeVerified(
        deps,
        `feed ${feed}`,
        [feed],
        async ([latest]) => {
          const { missing, archived } = await unarchivedEntries(deps, feed, page, latest!, numbered);
          return record(feedFiles(deps, language, withMissing(latest!, missing, archived), slug, name, page));
        },
        [newest],
      );
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * The newest entries with the `missing` ones (numbered, not archived, older than the newest 50)
 * in place of the oldest `archived` ones, so the feed keeps its 50 items; newest first.
 */
function withMissing(newest: FeedEntry[], missing: readonly FeedEntry[], archived: ReadonlySet<string>): FeedEntry[] {
  const shown = new Set(newest.map((entry) => entry.releaseId));
  const more = missing.filter((entry) => !shown.has(entry.releaseId));
  if (more.length === 0) return newest;
  const drop = new Set<string>();
  for (let i = newest.length - 1; i >= 0 && newest.length - drop.size + more.length > MAX_FEED_ITEMS; i--) {
    if (archived.has(newest[i]!.releaseId)) drop.add(newest[i]!.releaseId);
  }
  const key = (entry: FeedEntry) => `${entry.publishedAt}#${entry.releaseId}`;
  return [...newest.filter((entry) => !drop.has(entry.releaseId)), ...more].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

/** Rounds of render-write-verify before a feed write gives up (and its batch is retried). */
export const FEED_WRITE_ROUNDS = 5;

/**
 * Renders files from the newest entries of `feeds`, writes them, then reads the entries again;
 * when they changed meanwhile (another invocation inserted or replaced one), renders and writes
 * again, until what was written matches the index. Why that is enough under any interleaving:
 * the last writer of a file verified after its write that the index equals what it wrote, and any
 * later insert is followed by its own writer's query and write. Throws a retryable error after
 * {@link FEED_WRITE_ROUNDS} rounds.
 */
async function writeVerified(
  deps: PublishDeps,
  what: string,
  feeds: readonly string[],
  render: (entries: FeedEntry[][]) => OutputFile[] | Promise<OutputFile[]>,
  /** The feeds' newest entries when the caller just read them (else read here first). */
  read0?: FeedEntry[][],
): Promise<number> {
  const read = () => Promise.all(feeds.map((feed) => deps.feeds.latest(feed, MAX_FEED_ITEMS)));
  let entries = read0 ?? (await read());
  let written = 0;
  for (let round = 0; round < FEED_WRITE_ROUNDS; round++) {
    written += (await writeOutputs(deps.distribution, await render(entries))).written;
    const now = await read();
    if (signature(now) === signature(entries)) return written;
    entries = now;
  }
  throw new ProviderError('FEED_UNSTABLE', `${what}: the index kept changing during ${FEED_WRITE_ROUNDS} rewrites; retrying the batch`);
}

/** What a rendered feed depends on: which releases, in which version and state, in which order. */
function signature(feeds: readonly FeedEntry[][]): string {
  return JSON.stringify(feeds.map((entries) => entries.map((e) => [e.releaseId, e.version, e.updatedAt, e.provenance.kind])));
}

function feedFiles(deps: PublishDeps, language: string, entries: FeedEntry[], slug?: string, category?: string, newestArchivePage = 0): OutputFile[] {
  // A category's name may differ between entries (a correction renamed it): show the newest one's.
  const name = entries[0]?.categories.find((c) => categorySlug(c) === slug) ?? category;
  return renderLanguageFiles({
    site: deps.site,
    language,
    ...(name === undefined ? {} : { category: name }),
    entries,
    updatedAt: newestUpdate(entries) ?? deps.clock.now().toISOString(),
    newestArchivePage,
  });
}

function newestUpdate(entries: readonly FeedEntry[]): string | undefined {
  let newest: string | undefined;
  for (const entry of entries) if (newest === undefined || Date.parse(entry.updatedAt) > Date.parse(newest)) newest = entry.updatedAt;
  return newest;
}

/**
 * The root rebuild request of a batch whose index writes are done, or none when one is already
 * waiting: the counters are read after the writes, so a request made at the same `started` count
 * (`requested` > `started`) is taken up by a rebuild that starts — and reads the index — after
 * them. An invalidating request is always sent (the waiting one may not invalidate).
 */
async function rootRequestOf(deps: PublishDeps, requestedAt: string, invalidate: boolean): Promise<PublishJob | undefined> {
  const builds = await deps.feeds.rootBuilds();
  if (!invalidate && builds.requested > builds.started) return undefined;
  return { kind: 'rebuild-root', requestedAt, after: builds.started, ...(invalidate ? { invalidate: true } : {}) };
}

/**
 * Root page and sitemaps from every language's newest entries; coalesces requests.
 *
 * Coalescing, so that a burst of publications asks for and runs few rebuilds, and none is lost
 * under duplicates, reordering or crashes: every rebuild takes the next number (`started`) before
 * it reads the index, and records it as `completed` after writing. A requester reads the counters
 * after its index writes and names the `started` count it saw (`after`): every rebuild numbered
 * higher started after those writes and covers them. So a request is skipped when such a rebuild
 * has completed, and not sent at all while an earlier request waits for one that has not started
 * ({@link rootRequestOf}). A crashed rebuild completes nothing: its message is retried and runs.
 *
 * Unlike a language feed, the root spans every language, so while other languages keep publishing
 * its index never stands still and a verify-until-stable loop would fail forever. It need not: it
 * renders once, and an entry written meanwhile comes with its batch's request for a later rebuild.
 * Rebuilds run one at a time in their own FIFO group.
 */
async function rebuildRoot(deps: PublishDeps, job: { requestedAt: string; invalidate?: boolean | undefined; after?: number | undefined }): Promise<PublishOutcome> {
  const { requestedAt } = job;
  const invalidate = job.invalidate === true;
  if (job.after !== undefined && (await deps.feeds.rootBuilds()).completed > job.after) {
    // That later build wrote what this request wanted; its cached copies still have to go.
    if (invalidate) await invalidateRoot(deps, requestedAt);
    return { kind: 'skipped', reason: 'a later root rebuild already ran' };
  }
  const generation = await deps.feeds.startRootBuild();
  const startedAt = deps.clock.now().toISOString();
  const latest = await Promise.all(deps.siteLanguages.map((language) => deps.feeds.latest(feedName(language), MAX_FEED_ITEMS)));
  const languages = deps.siteLanguages.map((language, index) => ({ language, latest: latest[index]! }));
  await loadSitemapRenderer();
  const files = renderRootFiles({ site: deps.site, languages, recent: languages.flatMap((l) => l.latest), now: startedAt });
  // Rebuilds are the only writers of the root files and take consecutive numbers: when this
  // process ran the one numbered just before, the files hold what it remembers writing.
  const consecutive = lastRootBuild.get(deps.feeds) === generation - 1;
  const trustKnown = consecutive ? new Set(files.map((file) => file.path)) : CODE_DEFINED_KEYS;
  const { written } = await writeOutputs(deps.distribution, files, { trustKnown });
  lastRootBuild.set(deps.feeds, generation);
  await deps.feeds.completeRootBuild(generation);
  if (invalidate) await invalidateRoot(deps, requestedAt);
  return { kind: 'root', outputsWritten: written };
}

/**
 * The root files whose bytes come from the code alone (the stylesheet): checked once per process.
 * Nothing writes other bytes there but another code version, whose instances check and write
 * them when they start.
 */
const CODE_DEFINED_KEYS: ReadonlySet<string> = new Set([paths.stylesheet()]);

/** The number of the last root rebuild this process wrote, per feed index (one per deployment). */
const lastRootBuild = new WeakMap<object, number>();

/** The root pages that list releases (the stylesheet does not change with them). */
const ROOT_LISTING_KEYS = [paths.root(), paths.sitemap(), paths.newsSitemap()];

async function invalidateRoot(deps: PublishDeps, requestedAt: string): Promise<void> {
  if (!deps.cdn) return;
  const cdnPaths = invalidationPaths(ROOT_LISTING_KEYS);
  await deps.cdn.invalidate(cdnPaths, invalidationReference(cdnPaths, requestedAt));
}
