/** What the pipeline's use cases need from outside: ports only, injected by the handlers. */
import type { Clock, FeedArchive, FeedIndex, JobQueue, LifecycleStore, ObjectStore, ReleaseRepository, StageLogger } from '../../ports';

/** A logger port (functions/ports.ts) that drops everything. */
export const silentLogger: StageLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

export interface StageDeps {
  /** The uploads bucket: incoming files, parsed releases, variants, quarantine, config. */
  uploads: ObjectStore;
  repository: ReleaseRepository;
  clock: Clock;
  logger?: StageLogger;
}

export interface PublishStageDeps extends StageDeps {
  distribution: ObjectStore;
  feeds: FeedIndex;
  publishQueue: JobQueue;
  webhookQueue: JobQueue;
  /**
   * Embargo, schedule and withdrawal state. Without it, publish still fails closed: a release
   * whose own embargo or `publishAt` is ahead is not published (see `publicationState`).
   */
  lifecycle?: LifecycleStore;
  /** RFC 5005 feed archives (docs/outputs.md); without it, feeds have no archive pages. */
  archive?: FeedArchive;
}

/** Reads a JSON object from the store; undefined when absent. */
export async function readJson(store: ObjectStore, key: string): Promise<unknown | undefined> {
  const object = await store.get(key);
  return object ? JSON.parse(new TextDecoder().decode(object.body)) : undefined;
}

export async function writeJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, `${JSON.stringify(value, null, 2)}\n`, { contentType: 'application/json; charset=utf-8' });
}
