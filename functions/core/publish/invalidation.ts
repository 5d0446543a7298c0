/**
 * Which CDN paths to invalidate for a set of changed bucket keys. Pure.
 *
 * Explicit paths rather than wildcards: CloudFront allows 3,000 file paths (but only 15 wildcard
 * paths) in progress at once, and bills per path beyond the first 1,000 a month, so a withdrawal
 * of one language (page, ninjs, its feeds and index pages, the root pages: about 20 paths) stays
 * cheap. Above {@link MAX_INVALIDATION_PATHS} one `/*` (one wildcard path) replaces the list.
 */
import { createHash } from 'node:crypto';

/** More explicit paths than this in one request become `/*`. */
export const MAX_INVALIDATION_PATHS = 1000;

/** `index.html` at the root is also cached as `/` (the distribution's default root object). */
const ROOT_OBJECT = 'index.html';

/**
 * Sorted, de-duplicated, percent-encoded paths for bucket keys (as `writeOutputs` writes them).
 *
 * @example
 * invalidationPaths(['index.html', 'de/feed.xml']) // ['/', '/de/feed.xml', '/index.html']
 */
export function invalidationPaths(keys: Iterable<string>): string[] {
  const paths = new Set<string>();
  for (const key of keys) {
    paths.add(`/${key.split('/').map(encodeURIComponent).join('/')}`);
    if (key === ROOT_OBJECT) paths.add('/');
  }
  if (paths.size > MAX_INVALIDATION_PATHS) return ['/*'];
  return [...paths].sort();
}

/**
 * A caller reference for one invalidation: the paths and the moment of the batch. A retried
 * request of the same batch at the same moment is the same invalidation; CloudFront refuses
 * one reference with other paths, so the paths are part of it.
 */
export function invalidationReference(paths: readonly string[], at: string): string {
  const digest = createHash('sha256').update(paths.join('\n')).digest('hex').slice(0, 16);
  return `polywire-${at.replace(/[^0-9]/g, '')}-${digest}`;
}
