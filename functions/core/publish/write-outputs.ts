/**
 * Writes rendered outputs to the distribution bucket, skipping every file whose bytes and headers
 * are already there. An unchanged object keeps its ETag and Last-Modified, so feed readers and
 * CDNs revalidating with If-None-Match / If-Modified-Since get 304 instead of a full download.
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import type { ObjectStore } from '../../ports';
import type { OutputFile } from '../render/index';

/** Object metadata key holding the SHA-256 of body and headers (x-amz-meta-output-sha256). */
export const OUTPUT_HASH_METADATA_KEY = 'output-sha256';
/** Concurrent HEAD/PUT requests; a release fans out to ~40 files, the bucket takes far more. */
export const WRITE_CONCURRENCY = 8;

/**
 * Hash over content type, cache control and body: a changed header must be written too, even
 * when the body is the same.
 */
export function outputHash(file: OutputFile): string {
  return createHash('sha256').update(`${file.contentType}\n${file.cacheControl}\n`).update(file.body, 'utf8').digest('hex');
}

/**
 * Most paths a store remembers the hash of (about 150 bytes each, so at most ~1.5 MB); the
 * oldest is forgotten first.
 */
const MAX_REMEMBERED_PATHS = 10_000;

/**
 * Per store: the output hash this process last wrote or saw at each path. Used in one direction
 * only — to skip the HEAD when the new bytes differ from what was there, because then the file
 * must be written whatever the HEAD says (if another writer happened to store these very bytes
 * meanwhile, writing them again is harmless: same ETag). A matching or unknown hash is always
 * checked with a HEAD, so an unchanged file is never rewritten on the cache's word and a stale
 * entry can never cause a skipped write. Feeds and index pages change with every batch that
 * touches them, so a warm instance saves one HEAD per feed file.
 */
const lastKnownHashes = new WeakMap<ObjectStore, Map<string, string>>();

function rememberedHashes(store: ObjectStore): Map<string, string> {
  let hashes = lastKnownHashes.get(store);
  if (!hashes) {
    hashes = new Map();
    lastKnownHashes.set(store, hashes);
  }
  return hashes;
}

function remember(hashes: Map<string, string>, path: string, hash: string): void {
  hashes.delete(path);
  hashes.set(path, hash);
  if (hashes.size > MAX_REMEMBERED_PATHS) hashes.delete(hashes.keys().next().value!);
}

function checkKey(path: string): void {
  if (path === '' || path.startsWith('/') || path.split('/').some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`refusing to write output to "${path}": keys are relative, without empty, "." or ".." segments`);
  }
}

export interface WriteOptions {
  /**
   * The caller knows these keys cannot exist yet (a language's first publication of a release):
   * write without a HEAD first. Should one exist after all (a retried job that crashed after
   * writing), it is rewritten with the same bytes, which is harmless.
   */
  newKeys?: boolean;
  /**
   * Paths where the caller knows that nobody has written since this process last wrote or saw
   * them: when the bytes are the ones it remembers, they are neither checked (HEAD) nor written.
   * The root rebuild vouches for the stylesheet (its bytes come from the code alone) and, when
   * no other rebuild ran since this process's last one, for every root file.
   */
  trustKnown?: ReadonlySet<string>;
}

/**
 * Writes the files that changed; reports how many were written and how many were already current.
 *
 * @example
 * const { written, unchanged } = await writeOutputs(distributionStore, files);
 */
export async function writeOutputs(store: ObjectStore, files: readonly OutputFile[], options: WriteOptions = {}): Promise<{ written: number; unchanged: number }> {
  const seen = new Set<string>();
  for (const file of files) {
    checkKey(file.path);
    // Two bodies for one key in one batch would race: whichever PUT lands last would win.
    if (seen.has(file.path)) throw new Error(`output "${file.path}" appears twice in one batch`);
    seen.add(file.path);
  }
  const limit = pLimit(WRITE_CONCURRENCY);
  const hashes = rememberedHashes(store);
  const results = await Promise.all(
    files.map((file) =>
      limit(async () => {
        const hash = outputHash(file);
        const known = hashes.get(file.path);
        if (known === hash && options.trustKnown?.has(file.path)) return 'unchanged' as const;
        if (!options.newKeys && (known === undefined || known === hash)) {
          const existing = await store.head(file.path);
          const current = existing?.metadata[OUTPUT_HASH_METADATA_KEY];
          if (current === hash) {
            remember(hashes, file.path, hash);
            return 'unchanged' as const;
          }
        }
        await store.put(file.path, file.body, {
          contentType: file.contentType,
          cacheControl: file.cacheControl,
          metadata: { [OUTPUT_HASH_METADATA_KEY]: hash },
        });
        remember(hashes, file.path, hash);
        return 'written' as const;
      }),
    ),
  );
  const written = results.filter((r) => r === 'written').length;
  return { written, unchanged: results.length - written };
}
