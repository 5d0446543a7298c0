/**
 * In-memory test doubles of the pipeline's ports, for fast use-case tests without emulators.
 * They keep the adapters' contracts (conditional writes, leases, version ordering);
 * test/integration/adapters/repository-contract.test.ts runs the same checks against the
 * DynamoDB adapter on dynalite and against `InMemoryReleaseRepository`, so the two cannot drift.
 */
import {
  ConcurrentUpdateError,
  type AdvanceResult,
  type Clock,
  type FeedArchive,
  type FeedIndex,
  type JobQueue,
  type NumberedEntry,
  type ObjectStore,
  type PublicationRecord,
  type PutObjectOptions,
  type QueueMessage,
  type ReleaseMeta,
  type ReleaseRepository,
  type RootBuilds,
  type SourceClaim,
  type SourceRecord,
  type StoredObject,
  type VariantRecord,
  type VersionRecord,
} from '../../functions/ports';
import { normalizeSequencer } from '../../functions/core/pipeline/s3-events';
import type { FeedEntry } from '../../functions/core/variant';

const clone = <T>(value: T): T => structuredClone(value);

export class InMemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  readonly calls: { op: 'get' | 'head' | 'put' | 'copy' | 'delete'; key: string }[] = [];

  async get(key: string): Promise<StoredObject | undefined> {
    this.calls.push({ op: 'get', key });
    const object = this.objects.get(key);
    return object && clone(object);
  }
  async head(key: string): Promise<Omit<StoredObject, 'body'> | undefined> {
    this.calls.push({ op: 'head', key });
    const object = this.objects.get(key);
    if (!object) return undefined;
    const { body: _body, ...rest } = clone(object);
    return rest;
  }
  async put(key: string, body: Uint8Array | string, options: PutObjectOptions): Promise<void> {
    this.calls.push({ op: 'put', key });
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
    this.objects.set(key, { body: bytes, contentType: options.contentType, metadata: { ...(options.metadata ?? {}) }, lastModified: new Date(0) });
  }
  async copy(fromKey: string, toKey: string): Promise<void> {
    this.calls.push({ op: 'copy', key: toKey });
    const object = this.objects.get(fromKey);
    if (!object) throw Object.assign(new Error(`NoSuchKey: ${fromKey}`), { name: 'NoSuchKey' });
    this.objects.set(toKey, clone(object));
  }
  async delete(key: string): Promise<void> {
    this.calls.push({ op: 'delete', key });
    this.objects.delete(key);
  }
  async *list(prefix: string): AsyncIterable<string> {
    for (const key of [...this.objects.keys()].filter((k) => k.startsWith(prefix)).sort()) yield key;
  }
  text(key: string): string | undefined {
    const object = this.objects.get(key);
    return object && new TextDecoder().decode(object.body);
  }
}

export class RecordingQueue implements JobQueue {
  readonly messages: QueueMessage[] = [];
  /** Calls of `send` (each one SendMessageBatch or more on SQS, one per ten messages). */
  sends = 0;
  async send(messages: readonly QueueMessage[]): Promise<void> {
    this.sends++;
    this.messages.push(...clone([...messages]));
  }
  bodies<T = Record<string, unknown>>(): T[] {
    return this.messages.map((m) => m.body as T);
  }
}

/** A clock the test moves. */
export class TestClock implements Clock {
  constructor(private current = new Date('2026-12-01T09:00:00Z')) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const NEEDS_ATTENTION = new Set<SourceRecord['status']>(['rejected', 'awaiting-base']);

export class InMemoryReleaseRepository implements ReleaseRepository {
  readonly sources = new Map<string, SourceRecord>();
  readonly releases = new Map<string, ReleaseMeta>();
  readonly versions = new Map<string, VersionRecord>();
  readonly variants = new Map<string, VariantRecord>();
  readonly publications = new Map<string, PublicationRecord>();

  async claimSource(key: string, sequencer: string, now: Date, leaseMs: number): Promise<SourceClaim> {
    const seq = normalizeSequencer(sequencer);
    const current = this.sources.get(key);
    const staleBefore = new Date(now.getTime() - leaseMs).toISOString();
    if (!current || current.sequencer < seq || (current.sequencer === seq && current.status === 'processing' && (current.claimedAt ?? '') < staleBefore)) {
      // Like the DynamoDB update: the key's earlier release id and version stay on the record.
      const { error: _error, ...kept } = current ?? { key };
      this.sources.set(key, { ...kept, key, sequencer: seq, status: 'processing', claimedAt: now.toISOString(), updatedAt: now.toISOString() });
      return 'claimed';
    }
    if (current.sequencer !== seq) return 'older';
    return current.status === 'processing' ? 'in-progress' : 'duplicate';
  }
  async releaseClaim(key: string, sequencer: string): Promise<void> {
    const current = this.sources.get(key);
    if (current?.sequencer === normalizeSequencer(sequencer) && current.status === 'processing') {
      this.sources.set(key, { ...current, claimedAt: new Date(0).toISOString() });
    }
  }
  async completeSource(record: SourceRecord): Promise<void> {
    const seq = normalizeSequencer(record.sequencer);
    const current = this.sources.get(record.key);
    if (current && current.sequencer > seq) return;
    this.sources.set(record.key, clone({ ...record, sequencer: seq }));
  }
  async getSource(key: string): Promise<SourceRecord | undefined> {
    const record = this.sources.get(key);
    return record && clone(record);
  }
  async listSourcesNeedingAttention(limit: number): Promise<SourceRecord[]> {
    return (
      [...this.sources.values()]
        // Processing ones too, by their claim (the DynamoDB index holds them while they run).
        .filter((s) => NEEDS_ATTENTION.has(s.status) || s.status === 'processing')
        .sort((a, b) => `${b.status === 'processing' ? b.claimedAt : b.updatedAt}#${b.key}`.localeCompare(`${a.status === 'processing' ? a.claimedAt : a.updatedAt}#${a.key}`))
        .slice(0, limit)
        .map(clone)
    );
  }

  async getRelease(releaseId: string): Promise<ReleaseMeta | undefined> {
    const meta = this.releases.get(releaseId);
    return meta && clone(meta);
  }
  async advanceRelease(meta: ReleaseMeta, expectedLatest: number | undefined): Promise<AdvanceResult> {
    const current = this.releases.get(meta.releaseId);
    const seq = meta.sourceSequencer === undefined ? undefined : normalizeSequencer(meta.sourceSequencer);
    const versionOk = expectedLatest === undefined ? current === undefined : current?.latestVersion === expectedLatest;
    const newerSource = meta.sourceKey !== undefined && seq !== undefined && current?.sourceKey === meta.sourceKey && current.sourceSequencer !== undefined && current.sourceSequencer > seq;
    if (versionOk && !newerSource) {
      this.releases.set(meta.releaseId, clone({ ...meta, ...(seq === undefined ? {} : { sourceSequencer: seq }) }));
      return 'advanced';
    }
    if (newerSource) return 'newer-source';
    throw new ConcurrentUpdateError(`release ${meta.releaseId}: another upload assigned version ${meta.latestVersion} first; retrying`);
  }
  async listReleases(limit: number): Promise<ReleaseMeta[]> {
    return [...this.releases.values()]
      .sort((a, b) => `${b.updatedAt}#${b.releaseId}`.localeCompare(`${a.updatedAt}#${a.releaseId}`))
      .slice(0, limit)
      .map(clone);
  }

  async putVersion(record: VersionRecord): Promise<void> {
    const key = `${record.releaseId}#${record.version}`;
    if (!this.versions.has(key)) this.versions.set(key, clone(record));
  }
  async getVersion(releaseId: string, version: number): Promise<VersionRecord | undefined> {
    const record = this.versions.get(`${releaseId}#${version}`);
    return record && clone(record);
  }
  async listVersions(releaseId: string): Promise<VersionRecord[]> {
    return [...this.versions.values()]
      .filter((v) => v.releaseId === releaseId)
      .sort((a, b) => a.version - b.version)
      .map(clone);
  }

  async ensureVariant(record: VariantRecord): Promise<void> {
    const key = variantKey(record.releaseId, record.version, record.language);
    if (!this.variants.has(key)) this.variants.set(key, clone(record));
  }
  async getVariant(releaseId: string, version: number, language: string): Promise<VariantRecord | undefined> {
    const record = this.variants.get(variantKey(releaseId, version, language));
    return record && clone(record);
  }
  async listVariants(releaseId: string, version: number): Promise<VariantRecord[]> {
    return [...this.variants.values()]
      .filter((v) => v.releaseId === releaseId && v.version === version)
      .sort((a, b) => a.language.localeCompare(b.language))
      .map(clone);
  }
  async updateVariant(releaseId: string, version: number, language: string, patch: Partial<Omit<VariantRecord, 'releaseId' | 'version' | 'language'>>): Promise<void> {
    const key = variantKey(releaseId, version, language);
    const current = this.variants.get(key);
    if (!current) throw Object.assign(new Error(`variant ${key} does not exist`), { name: 'ConditionalCheckFailedException' });
    const next: Record<string, unknown> = { ...current };
    for (const [name, value] of Object.entries(patch)) {
      if (value === undefined) delete next[name];
      else next[name] = clone(value);
    }
    this.variants.set(key, next as unknown as VariantRecord);
  }

  async getPublication(releaseId: string, language: string): Promise<PublicationRecord | undefined> {
    const record = this.publications.get(`${releaseId}#${language}`);
    return record && clone(record);
  }
  async recordPublication(record: PublicationRecord): Promise<boolean> {
    const key = `${record.releaseId}#${record.language}`;
    const current = this.publications.get(key);
    if (current && current.version > record.version) return false;
    this.publications.set(key, clone(record));
    return true;
  }
}

function variantKey(releaseId: string, version: number, language: string): string {
  return `${releaseId}#${version}#${language}`;
}

/** The "latest N" feed index: entries keyed by first publication and release id, as on DynamoDB. */
export class InMemoryFeedIndex implements FeedIndex {
  readonly feeds = new Map<string, Map<string, { version: number; entry: FeedEntry }>>();
  readonly builds = { started: 0, completed: 0, requested: 0 };

  private feed(name: string) {
    let feed = this.feeds.get(name);
    if (!feed) this.feeds.set(name, (feed = new Map()));
    return feed;
  }
  async upsert(feed: string, entry: FeedEntry): Promise<boolean> {
    const key = `${entry.publishedAt}#${entry.releaseId}`;
    const current = this.feed(feed).get(key);
    if (current && current.version > entry.version) return false;
    this.feed(feed).set(key, { version: entry.version, entry: clone(entry) });
    return true;
  }
  async remove(feed: string, entry: { releaseId: string; publishedAt: string }, belowVersion: number): Promise<void> {
    const key = `${entry.publishedAt}#${entry.releaseId}`;
    const current = this.feed(feed).get(key);
    if (current && current.version < belowVersion) this.feed(feed).delete(key);
  }
  async latest(feed: string, limit: number): Promise<FeedEntry[]> {
    return [...this.feed(feed).entries()]
      .sort(([a], [b]) => b.localeCompare(a))
      .slice(0, limit)
      .map(([, item]) => clone(item.entry));
  }
  async after(feed: string, from: { releaseId: string; publishedAt: string } | undefined): Promise<FeedEntry[]> {
    const after = from ? `${from.publishedAt}#${from.releaseId}` : '';
    return [...this.feed(feed).entries()]
      .filter(([key]) => key > after)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, item]) => clone(item.entry));
  }
  async get(feed: string, entry: { releaseId: string; publishedAt: string }): Promise<FeedEntry | undefined> {
    const item = this.feed(feed).get(`${entry.publishedAt}#${entry.releaseId}`);
    return item && clone(item.entry);
  }
  async rootBuilds(): Promise<RootBuilds> {
    return { ...this.builds };
  }
  async startRootBuild(): Promise<number> {
    return ++this.builds.started;
  }
  async completeRootBuild(generation: number): Promise<void> {
    this.builds.completed = Math.max(this.builds.completed, generation);
  }
  async markRootRequested(generation: number): Promise<void> {
    this.builds.requested = Math.max(this.builds.requested, generation);
  }
}

/** The RFC 5005 archive: numbers given once, contiguous, in the order of the appends (as on DynamoDB). */
export class InMemoryFeedArchive implements FeedArchive {
  readonly slots = new Map<string, FeedEntry[]>();
  async append(feed: string, entry: FeedEntry): Promise<number> {
    const slots = this.slots.get(feed) ?? [];
    this.slots.set(feed, slots);
    const existing = slots.findIndex((slot) => slot.releaseId === entry.releaseId);
    if (existing >= 0) return existing + 1;
    slots.push(clone(entry));
    return slots.length;
  }
  async size(feed: string): Promise<number> {
    return this.slots.get(feed)?.length ?? 0;
  }
  async range(feed: string, from: number, to: number): Promise<FeedEntry[]> {
    return (this.slots.get(feed) ?? []).slice(from - 1, to).map(clone);
  }
  async recent(feed: string, count: number): Promise<{ size: number; from: number; entries: NumberedEntry[] }> {
    const slots = this.slots.get(feed) ?? [];
    const from = Math.max(0, slots.length - count);
    return { size: slots.length, from: from + 1, entries: slots.slice(from).map((entry, i) => ({ number: from + i + 1, entry: clone(entry) })) };
  }
}
