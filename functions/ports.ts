/**
 * Ports: the interfaces the pure core and the use cases need from the outside world. Adapters in
 * `functions/adapters/` implement them (S3, DynamoDB, SQS, Amazon Translate, DeepL, LibreTranslate,
 * pseudo, webhooks); handlers inject them. Nothing here imports an SDK.
 */

import type { Hold, LifecycleRecord, LiftJob } from './core/lifecycle';
import type { FeedEntry } from './core/variant';
import type { DeliveryJob, WebhookEventType } from './core/webhooks/event';
import type { Subscription } from './core/webhooks/subscription';

// ---------------------------------------------------------------------------------------------
// Object storage (the uploads bucket, the distribution bucket)

export interface StoredObject {
  body: Uint8Array;
  contentType?: string;
  metadata: Record<string, string>;
  etag?: string;
  lastModified?: Date;
}

export interface PutObjectOptions {
  contentType: string;
  cacheControl?: string;
  /** User metadata (x-amz-meta-*). ASCII values only. */
  metadata?: Record<string, string>;
}

export interface ObjectStore {
  /** Undefined when the key does not exist. */
  get(key: string): Promise<StoredObject | undefined>;
  /** Metadata only; undefined when the key does not exist. */
  head(key: string): Promise<Omit<StoredObject, 'body'> | undefined>;
  put(key: string, body: Uint8Array | string, options: PutObjectOptions): Promise<void>;
  copy(fromKey: string, toKey: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Keys under a prefix, in lexicographic order. */
  list(prefix: string): AsyncIterable<string>;
}

// ---------------------------------------------------------------------------------------------
// Translation

/**
 * One request to an engine: several segments, already packed under the engine's byte limit.
 * Segment texts carry inline markup and protected spans as placeholders (see
 * `core/translation/placeholders.ts`); an engine must return each of them exactly once, inside
 * the same span (siblings may change order with the word order). The core checks every answer.
 */
export interface EngineRequest {
  sourceLanguage: string;
  targetLanguage: string;
  segments: string[];
}

export interface TranslationEngine {
  readonly name: string;
  /** `pseudo` engines produce visibly fake text; outputs disclose it. */
  readonly kind: 'machine' | 'pseudo';
  /** Request size limit in UTF-8 bytes (Amazon Translate: 10,000). */
  readonly maxRequestBytes: number;
  /**
   * Optional: the UTF-8 size of the request these segments become on the wire (wrappers and
   * markup conversion included). Without it, the packer counts the segments' own bytes.
   */
  requestBytes?(segments: readonly string[]): number;
  /** Whether the engine can translate into this BCP 47 tag. */
  supports(targetLanguage: string): boolean;
  /** Returns exactly one translated string per input segment, in order. */
  translate(request: EngineRequest): Promise<string[]>;
}

/** A segment-level translation memory entry. */
export interface MemoryEntry {
  /** Deterministic key over source language, target language, normalized source text, glossary version and engine. */
  key: string;
  text: string;
}

export interface TranslationMemory {
  /** Returns the entries found; missing keys are simply absent from the map. */
  lookup(keys: readonly string[]): Promise<Map<string, string>>;
  store(entries: readonly MemoryEntry[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Queues between pipeline stages

export interface QueueMessage {
  /** JSON-serializable job. */
  body: unknown;
  /** FIFO queues: jobs with the same group run one at a time, in order. */
  groupId?: string;
  /** FIFO queues: duplicates within five minutes are dropped. */
  deduplicationId?: string;
  /**
   * Standard queues: hide the message for this many seconds (0–900, SQS's limit) before it can be
   * received. Webhook retries use it for their back-off. Ignored by FIFO queues.
   */
  delaySeconds?: number;
}

export interface JobQueue {
  send(messages: readonly QueueMessage[]): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Pictures

/** One web rendition the processor built, before it is stored. */
export interface ProcessedRendition {
  /** File name inside the picture's folder: `w1200.jpg`, `w600.webp`. */
  name: string;
  contentType: 'image/jpeg' | 'image/png' | 'image/webp';
  width: number;
  height: number;
  bytes: Uint8Array;
}

export interface ProcessedPicture {
  width: number;
  height: number;
  /** Largest first. No metadata (EXIF, XMP, IPTC) in any of them; colour profile kept, orientation applied. */
  renditions: ProcessedRendition[];
}

/**
 * Decodes a picture, checks it, strips its metadata and builds web renditions (adapter:
 * `adapters/sharp/image-processor.ts`, libvips). Bad bytes (truncated, too many pixels,
 * undecodable) throw `PictureRejectedError` from `core/pictures.ts`.
 */
export interface ImageProcessor {
  process(bytes: Uint8Array, limits: { maxPixels: number; widths: readonly number[] }): Promise<ProcessedPicture>;
}

// ---------------------------------------------------------------------------------------------
// Time

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

// ---------------------------------------------------------------------------------------------
// Pipeline state (the DynamoDB table; see docs/pipeline.md#dynamodb-model)

/**
 * What became of one uploaded object key (the latest event seen for it). `awaiting-base`: a file
 * named like a human translation (`release.de.txt`) whose base release has not been uploaded; it
 * is stored and attaches by itself when the base arrives.
 */
export type SourceStatus = 'processing' | 'processed' | 'duplicate' | 'stale' | 'rejected' | 'gone' | 'awaiting-base';

export interface SourceRecord {
  /** Decoded object key, e.g. `incoming/Pressemitteilung März.txt`. */
  key: string;
  /** The S3 sequencer of the event being (or last) processed for this key. */
  sequencer: string;
  status: SourceStatus;
  releaseId?: string;
  version?: number;
  /** A rejected upload's error, or why a translation awaits its base (`InputError.toJSON()`). */
  error?: Record<string, unknown>;
  /** When the event was claimed for processing (the lease's start). */
  claimedAt?: string;
  updatedAt: string;
}

/**
 * `claimed`: this event is the newest seen for its key (or a retry of an unfinished one whose
 * lease expired): process it. `in-progress`: another delivery of this event is being processed
 * right now: retry later. `duplicate`: this very event was already processed. `older`: a newer
 * event for the key exists.
 */
export type SourceClaim = 'claimed' | 'in-progress' | 'duplicate' | 'older';

export interface ReleaseMeta {
  releaseId: string;
  latestVersion: number;
  latestSha256: string;
  sourceLanguage: string;
  headline: string;
  createdAt: string;
  updatedAt: string;
  /** The object key whose upload made the latest version. */
  sourceKey?: string;
  /**
   * That upload's S3 sequencer, normalized (upper case, right-padded to a fixed width) so that the
   * database orders sequencers of one key as plain strings.
   */
  sourceSequencer?: string;
}

/** `newer-source`: a newer S3 event of the same key already made a version; this one is stale. */
export type AdvanceResult = 'advanced' | 'newer-source';

export interface VersionRecord {
  releaseId: string;
  version: number;
  sha256: string;
  sourceKey: string;
  sourceLanguage: string;
  /** Planned languages: the source language first, then the targets. */
  languages: string[];
  /** `bulk`: the release's translate jobs take the bulk queue (functions/core/pipeline/jobs.ts, `translateLaneOf`); absent = the standard one. */
  lane?: 'bulk';
  createdAt: string;
}

/**
 * `held`: translated, but the QA policy held it for review (docs/qa.md): not public and not
 * announced until `polywire review … --approve` or a corrected human translation.
 */
export type VariantStatus = 'pending' | 'translated' | 'held' | 'published' | 'failed' | 'superseded';

export interface VariantRecord {
  releaseId: string;
  version: number;
  language: string;
  status: VariantStatus;
  provenance?: { kind: 'original' | 'human' | 'machine' | 'pseudo'; engine: string };
  ledger?: { billedCharacters: number; memoryCharacters: number; requests: number; estimatedCostUsd: number };
  error?: { code: string; message: string };
  publishedAt?: string;
  updatedAt: string;
  /** Short hash of the translated variant (see `variantContentHash`): tells a new translation from a repeat. */
  contentHash?: string;
  /**
   * The language failed for this version before it was translated after all: pages of the other
   * languages rendered meanwhile leave it out, so its publication re-renders them.
   */
  recovered?: boolean;
  /**
   * What ingest found beside the release when it planned the variant (after its version was
   * recorded), so the translate job looks up only what exists: a human translation of this
   * language, the project's glossary. A human translation stored later comes with its own
   * forced translate job. Absent (older records): both are looked up.
   */
  inputs?: { humanTranslation: boolean; glossary: boolean };
  /** Translation QA of the variant (functions/core/qa): counts and the first findings. */
  qa?: {
    errors: number;
    warnings: number;
    findings: Array<{ check: string; severity: 'error' | 'warning'; block: string; segment?: number; message: string }>;
    notApplicable: string[];
  };
  /**
   * QA review: set when the policy held this variant, kept after the approval or replacement (the
   * publish stage then refreshes the sibling pages, which were rendered without this language).
   */
  review?: {
    heldAt: string;
    /** The checks whose errors held it. */
    checks: string[];
    /** The held variant's content hash: an approval names it, so it never approves unseen text. */
    contentHash: string;
    approvedAt?: string;
    approvedBy?: string;
  };
}

/** The published state of one release in one language. */
export interface PublicationRecord {
  releaseId: string;
  language: string;
  /** The published version; only a higher one replaces it. */
  version: number;
  /** First publication in this language: stable across corrections (orders the feeds). */
  firstPublishedAt: string;
  updatedAt: string;
  /** Category names of the published version (to drop stale category-feed entries on a correction). */
  categories: string[];
  /** The version first published in this language (tells a retried first publication from a correction). */
  firstVersion?: number;
  /** Provenance kind of the published variant (a human translation replacing a machine one is an update). */
  provenance?: string;
  /** Content hash of the published variant (a second human translation of a version is an update). */
  contentHash?: string;
}

/** Delays the next delivery of a message being processed (SQS ChangeMessageVisibility). */
export interface MessageVisibility {
  /** The message with this receipt handle stays hidden for `seconds` from now. */
  hide(receiptHandle: string, seconds: number): Promise<void>;
}

/** Raised when a conditional write lost a race; the operation (message) is retried. */
export class ConcurrentUpdateError extends Error {
  /**
   * When set, retrying sooner is pointless: e.g. another delivery holds the event's lease for
   * this long. The SQS adapters hide the message that long (ChangeMessageVisibility).
   */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, options);
    this.name = 'ConcurrentUpdateError';
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/** Releases, versions, variants, publications and source keys (the pipeline's state). */
export interface ReleaseRepository {
  /**
   * Records `sequencer` as the newest event of `key` unless a newer one, or this one finished or
   * still leased (claimed less than `leaseMs` ago), is recorded.
   */
  claimSource(key: string, sequencer: string, now: Date, leaseMs: number): Promise<SourceClaim>;
  /**
   * Gives up the lease of a claimed event whose processing failed (and will be retried), so that
   * its retry claims at once instead of waiting out the lease. A no-op when the event is no
   * longer the key's claimed one.
   */
  releaseClaim(key: string, sequencer: string): Promise<void>;
  /** Records the outcome of the claimed event; a no-op when a newer event has claimed the key since. */
  completeSource(record: SourceRecord): Promise<void>;
  getSource(key: string): Promise<SourceRecord | undefined>;
  /** The latest rejected, awaiting-base and processing uploads, newest first (by claim or outcome time). */
  listSourcesNeedingAttention(limit: number): Promise<SourceRecord[]>;

  getRelease(releaseId: string): Promise<ReleaseMeta | undefined>;
  /**
   * Writes the release's latest version, conditional on its current latest version being
   * `expectedLatest` (undefined: the release must not exist) and, when `meta.sourceKey` and
   * `meta.sourceSequencer` are given, on the latest version not coming from a newer event of the
   * same key. Returns `newer-source` in that case (nothing written); throws
   * {@link ConcurrentUpdateError} when another upload took the version first.
   */
  advanceRelease(meta: ReleaseMeta, expectedLatest: number | undefined): Promise<AdvanceResult>;
  /** Latest releases first (by `updatedAt`). */
  listReleases(limit: number): Promise<ReleaseMeta[]>;

  /** Creates the version record unless it exists (idempotent). */
  putVersion(record: VersionRecord): Promise<void>;
  getVersion(releaseId: string, version: number): Promise<VersionRecord | undefined>;
  /** Oldest first. */
  listVersions(releaseId: string): Promise<VersionRecord[]>;

  /** Creates a pending variant record unless it exists (idempotent). */
  ensureVariant(record: VariantRecord): Promise<void>;
  getVariant(releaseId: string, version: number, language: string): Promise<VariantRecord | undefined>;
  /** All variants of a version, strongly consistent. */
  listVariants(releaseId: string, version: number): Promise<VariantRecord[]>;
  /** Sets fields of an existing variant record (attributes given as `undefined` are removed). */
  updateVariant(releaseId: string, version: number, language: string, patch: Partial<Omit<VariantRecord, 'releaseId' | 'version' | 'language'>>): Promise<void>;

  getPublication(releaseId: string, language: string): Promise<PublicationRecord | undefined>;
  /** Records a publication unless a higher version is already recorded; false when it was not recorded. */
  recordPublication(record: PublicationRecord): Promise<boolean>;
}

/**
 * The "latest N" index behind every feed. A feed is a language (`de`) or a language's category
 * (`de#CAT#top-story`); entries are keyed by first publication and release id, so a correction
 * replaces its entry in place.
 */
export interface FeedIndex {
  /** Inserts or replaces the release's entry unless the stored one has a higher version; false when skipped. */
  upsert(feed: string, entry: FeedEntry): Promise<boolean>;
  /** Removes the release's entry if its version is lower than `belowVersion`. */
  remove(feed: string, entry: { releaseId: string; publishedAt: string }, belowVersion: number): Promise<void>;
  /** The newest `limit` entries, newest first. */
  latest(feed: string, limit: number): Promise<FeedEntry[]>;
  /**
   * Every entry after `from` in the index's order (first publication, then release id), oldest
   * first; all entries when `from` is absent.
   */
  after(feed: string, from: { releaseId: string; publishedAt: string } | undefined): Promise<FeedEntry[]>;
  /** One release's entry (by its key: first publication and release id), if the feed holds it. */
  get(feed: string, entry: { releaseId: string; publishedAt: string }): Promise<FeedEntry | undefined>;
  /**
   * The root rebuilds' counters, to coalesce them (see `rebuildRoot` in core/pipeline/publish.ts):
   * `started` counts the rebuilds that began (each takes the next number before reading the
   * index), `completed` is the highest number that finished, `requested` the `started` value the
   * last sent request was made at. All 0 before the first.
   */
  rootBuilds(): Promise<RootBuilds>;
  /** Takes the next rebuild number (atomically: two rebuilds never share one) and returns it. */
  startRootBuild(): Promise<number>;
  /** Records that rebuild `generation` finished (a lower number never replaces a higher one). */
  completeRootBuild(generation: number): Promise<void>;
  /** Records that a rebuild was requested while `started` was `generation` (never lowered). */
  markRootRequested(generation: number): Promise<void>;
}

export interface RootBuilds {
  started: number;
  completed: number;
  requested: number;
}

/**
 * The append-only archive behind RFC 5005 archive pages: every release ever published in a feed,
 * numbered 1, 2, 3 … in the order of first publication. Numbers are never reused or moved, so an
 * archive page (a fixed range of numbers) never changes once complete. Every call costs the same
 * whatever the archive's size.
 */
export interface FeedArchive {
  /**
   * Numbers the release in the feed unless it already has a number; returns its number. Safe to
   * repeat. `next`: the number the caller expects to be the next free one (it read the size and
   * checked that the release is not among the newest numbers), tried first without reading the
   * archive's tail; a wrong guess costs that read, never a wrong or skipped number.
   */
  append(feed: string, entry: FeedEntry, next?: number): Promise<number>;
  /** The highest number given out in the feed (0 when empty). */
  size(feed: string): Promise<number>;
  /** The entries numbered `from`…`to` (inclusive), oldest first, as they were when numbered. */
  range(feed: string, from: number, to: number): Promise<FeedEntry[]>;
  /**
   * In one bounded read: the size, and the entries of the newest numbers (at most `count`; fewer
   * when the read's page fills up) with their numbers, oldest first, as they were when numbered.
   * `from` is the lowest number the read covers (`size` + 1 when empty): every entry numbered
   * `from`…`size` is in `entries`.
   */
  recent(feed: string, count: number): Promise<{ size: number; from: number; entries: NumberedEntry[] }>;
}

/** A feed entry with its archive number. */
export interface NumberedEntry {
  number: number;
  entry: FeedEntry;
}

// ---------------------------------------------------------------------------------------------
// The CDN in front of the distribution bucket

/**
 * Drops cached copies of changed outputs (CloudFront in the cloud; nothing to do on the local
 * stack, which serves the bucket directly). Paths come from `core/publish/invalidation.ts`.
 */
export interface CdnInvalidator {
  /**
   * Invalidates `paths` (absolute URL paths, percent-encoded, e.g. `/de/releases/acme.html`).
   * `reference` identifies the request: the same reference with the same paths is one request.
   */
  invalidate(paths: readonly string[], reference: string): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Embargoes, schedules and withdrawals (the lifecycle record; see docs/lifecycle.md)

/** The lifecycle record store (DynamoDB in the pipeline). All writes are conditional and idempotent. */
export interface LifecycleStore {
  get(releaseId: string): Promise<LifecycleRecord | undefined>;
  /**
   * Holds the release until `hold.until` (a new time reschedules). Returns the record after the
   * write; a public or withdrawn release is left as it is (returned unchanged).
   */
  hold(releaseId: string, hold: Hold, now: Date): Promise<LifecycleRecord>;
  /**
   * Lifts a held release. With `expectedUntil`, only when the hold is still that instant (a lift
   * scheduled for an old time is stale). Returns true when this call lifted it.
   */
  lift(releaseId: string, now: Date, expectedUntil?: string): Promise<boolean>;
  /** Marks the release withdrawn unless it is already; returns false when it already was. */
  withdraw(releaseId: string, reason: string, now: Date): Promise<boolean>;
}

/** Arranges for a lift message to reach the lifecycle queue at (or a little before) an instant. */
export interface LiftScheduler {
  schedule(job: LiftJob): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Webhooks: the subscriptions and a delivery log per message, so that a failed push is visible
// (never silently "successful") and a duplicated job cannot deliver a message twice
// (adapters/dynamodb/subscriptions.ts); and one signed HTTP attempt (adapters/webhook/deliver.ts)

/** `sending`: an attempt holds the claim; `retrying`: waiting for the next attempt. */
export type DeliveryStatus = 'sending' | 'retrying' | 'delivered' | 'failed';

export interface AttemptEntry {
  attempt: number;
  /** ISO instant of the attempt. */
  at: string;
  outcome: 'delivered' | 'retry' | 'disable' | 'failed';
  status?: number;
  error?: string;
}

export interface DeliveryRecord {
  subscriptionId: string;
  messageId: string;
  eventType: WebhookEventType;
  releaseId: string;
  version: number;
  language: string;
  status: DeliveryStatus;
  /** Number of the latest attempt claimed. */
  attempts: number;
  lastStatus?: number;
  lastError?: string;
  lastAttemptAt?: string;
  nextAttemptAt?: string;
  /** Every attempt, oldest first. */
  history: AttemptEntry[];
}

export interface ClaimRequest {
  subscriptionId: string;
  messageId: string;
  attempt: number;
  eventType: WebhookEventType;
  releaseId: string;
  version: number;
  language: string;
}

export interface AttemptResult {
  subscriptionId: string;
  messageId: string;
  attempt: number;
  status: Exclude<DeliveryStatus, 'sending'>;
  entry: AttemptEntry;
  /** ISO instant of the next attempt, for `retrying`. */
  nextAttemptAt?: string;
}

export interface SubscriptionStore {
  /** Creates a subscription; fails if the id exists. */
  create(subscription: Subscription): Promise<void>;
  get(id: string): Promise<Subscription | undefined>;
  /** All subscriptions, active and disabled, ordered by id. */
  list(): Promise<Subscription[]>;
  listActive(): Promise<Subscription[]>;
  /** Stops deliveries, keeping the reason for the operator. False when the subscription does not exist. */
  disable(id: string, reason: string, at: Date): Promise<boolean>;
  /** Resumes deliveries. False when the subscription does not exist. */
  enable(id: string): Promise<boolean>;

  /**
   * Takes the right to make attempt `attempt` of a message. False when the message was already
   * delivered, when that attempt (or a later one) was already taken, or while another worker
   * holds an unexpired claim on it: the caller must then drop its job.
   */
  claimAttempt(claim: ClaimRequest, now: Date): Promise<boolean>;
  /** Records the result of a claimed attempt. */
  recordAttempt(result: AttemptResult, now: Date): Promise<void>;
  getDelivery(subscriptionId: string, messageId: string): Promise<DeliveryRecord | undefined>;
  /** A subscription's delivery log (kept 7 days). */
  listDeliveries(subscriptionId: string): Promise<DeliveryRecord[]>;

  /**
   * Adds subscriptions to the recipients of one language version of a release (every event but a
   * withdrawal): the withdrawal goes to them. Idempotent; also records that the release is
   * tracked when `subscriptionIds` is empty.
   */
  addRecipients(releaseId: string, language: string, subscriptionIds: readonly string[], now: Date): Promise<void>;
  /**
   * The subscriptions that were sent any event of the release in `language`; undefined when
   * nothing was ever recorded for it (a release announced before recipients were recorded).
   */
  listRecipients(releaseId: string, language: string): Promise<string[] | undefined>;
}

/** What one HTTP attempt came to: delivered, retry after a delay, disable the subscription, or give up. */
export interface AttemptOutcome {
  outcome: 'delivered' | 'retry' | 'disable' | 'failed';
  /** HTTP status, when the endpoint answered. */
  status?: number;
  /** For `retry`: milliseconds until the next attempt. */
  delayMs?: number;
  /** What went wrong; never contains the secret. */
  error?: string;
}

/** Makes one signed HTTP attempt of a delivery job; never throws for what the endpoint or the network does. */
export type WebhookSender = (subscription: Subscription, job: DeliveryJob) => Promise<AttemptOutcome>;

// ---------------------------------------------------------------------------------------------
// Logging

type LogFn = (message: string, ...extra: Array<Record<string, unknown>>) => void;

/**
 * The one logger port: the slice of a structured logger the use cases write to (Powertools'
 * `Logger` fits; a recorder in tests). Every stage's use case takes this one.
 */
export interface StageLogger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
}
