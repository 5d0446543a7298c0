/**
 * The publish stage's side of RFC 5005 archives (docs/outputs.md): numbering each newly published
 * entry in its feeds' archives, and writing the archive pages that became complete. Both cost
 * the same whatever the archive's size: one pointer read and a bounded tail per append; one
 * size read, one HEAD and at most one page (25 entries) per feed and batch in the steady state.
 */
import { archivePaths, closedPages, pageRange, renderArchivePage, type SiteConfig } from '../render';
import { writeOutputs } from '../publish/write-outputs';
import type { FeedEntry } from '../variant';
import type { FeedArchive, ObjectStore } from '../../ports';
import { feedName } from './feed-names';

export interface ArchiveDeps {
  archive?: FeedArchive;
  distribution: ObjectStore;
  site: SiteConfig;
}

/** Numbers the entry in its language's archive and in each of its categories' (repeats are no-ops). */
export async function appendToArchives(deps: ArchiveDeps, entry: FeedEntry, categorySlugs: readonly string[]): Promise<void> {
  const { archive } = deps;
  if (!archive) return;
  await Promise.all([feedName(entry.language), ...categorySlugs.map((slug) => feedName(entry.language, slug))].map((feed) => archive.append(feed, entry)));
}

/**
 * Writes the feed's complete archive pages that are not written yet — newest first, stopping at
 * the first one already there (normally none or one) — and returns the newest page number (0:
 * none), for the subscription feed's `prev-archive` link. Pages are written before the feed
 * that links to them, so a link never points at a missing page.
 */
export async function writeArchivePages(deps: ArchiveDeps, language: string, slug?: string, category?: string): Promise<number> {
  const { archive } = deps;
  if (!archive) return 0;
  const feed = feedName(language, slug);
  const newest = closedPages(await archive.size(feed));
  for (let page = newest; page >= 1; page--) {
    if (await deps.distribution.head(archivePaths.rss(language, page, category))) break;
    const { from, to } = pageRange(page);
    const entries = await archive.range(feed, from, to);
    await writeOutputs(deps.distribution, renderArchivePage({ site: deps.site, language, ...(category === undefined ? {} : { category }), page, entries }));
  }
  return newest;
}
