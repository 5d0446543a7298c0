/**
 * The publish stage's side of RFC 5005 archives (docs/outputs.md): numbering a feed's new entries
 * in its archive, and writing the archive pages that became complete. Both run only in the
 * language's `render-feed` job, one invocation per language at a time (its FIFO group), because a
 * page is written once and holds fixed numbers: numbering must follow first publication, and
 * nothing may be numbered into a page while it is being closed. Both cost the same whatever the
 * archive's size: a few bounded Queries per feed and render, one size read, one HEAD and at most
 * one page (25 entries) per feed and render in the steady state.
 */
import { ARCHIVE_LAG, ARCHIVE_PAGE_SIZE, archivePaths, closedPages, loadFeedRenderer, MAX_FEED_ITEMS, pageRange, renderArchivePage, type SiteConfig } from '../render';
import { writeOutputs } from '../publish/write-outputs';
import type { FeedEntry } from '../variant';
import type { FeedArchive, FeedIndex, ObjectStore } from '../../ports';
import { feedName } from './feed-names';

export interface ArchiveDeps {
  archive?: FeedArchive;
  distribution: ObjectStore;
  site: SiteConfig;
}

/** A feed entry by its index key (first publication and release id), and the categories it is in. */
export interface EntryRef {
  releaseId: string;
  publishedAt: string;
  categories: string[];
}

/** Numbers looked back at: which releases are numbered, and the newest first publication among them. */
const RECENT_NUMBERS = 2 * MAX_FEED_ITEMS;

/** The index's order: first publication, then release id (as its sort key compares). */
const keyOf = (entry: { publishedAt: string; releaseId: string }): string => `${entry.publishedAt}#${entry.releaseId}`;

/**
 * Numbers the feed's entries that have none yet, in the index's order (first publication): every
 * entry after the newest numbered one, and those of `requested` (what the requesting batches
 * wrote) that fall before it. Only the language's render job calls this, one at a time, so the
 * numbers follow first publication, except for an entry published after a render had numbered
 * newer ones: it is numbered after them (see {@link unarchivedEntries}). Safe to repeat: a
 * release keeps its first number. Returns the archive's size after numbering, and the numbers
 * it read or gave out (for {@link unarchivedEntries}).
 */
export async function numberNewEntries(
  deps: ArchiveDeps & { feeds: FeedIndex },
  feed: string,
  requested: readonly EntryRef[],
  /** The index's newest entries (newest first, at most `MAX_FEED_ITEMS`), when the caller read them. */
  newest?: readonly FeedEntry[],
): Promise<{ size: number; numbered?: KnownNumbers }> {
  const { archive } = deps;
  if (!archive) return { size: 0 };
  // The size and the newest numbers in one read (the tail of the archive).
  const { size, from, entries: recentNumbered } = await archive.recent(feed, RECENT_NUMBERS);
  const recent = recentNumbered.map(({ entry }) => entry);
  const numbered = new Set(recent.map((entry) => entry.releaseId));
  let cursor: FeedEntry | undefined;
  for (const entry of recent) if (cursor === undefined || keyOf(entry) > keyOf(cursor)) cursor = entry;
  const late = requested.filter((ref) => cursor !== undefined && keyOf(ref) < keyOf(cursor) && !numbered.has(ref.releaseId));
  // The entries after the cursor are all among the newest when those reach back to it (or are the
  // whole index): then no Query of their own.
  const oldest = newest?.at(-1);
  const covered = newest !== undefined && (newest.length < MAX_FEED_ITEMS || (cursor !== undefined && oldest !== undefined && keyOf(oldest) <= keyOf(cursor)));
  const [newer, ...found] = await Promise.all([
    covered ? newest.filter((entry) => cursor === undefined || keyOf(entry) > keyOf(cursor)) : deps.feeds.after(feed, cursor),
    // Absent: withdrawn meanwhile, or not in this (category) feed.
    ...late.map((ref) => deps.feeds.get(feed, ref)),
  ]);
  const fresh = [...(found as (FeedEntry | undefined)[]).filter((entry) => entry !== undefined), ...(newer as FeedEntry[])]
    .filter((entry) => !numbered.has(entry.releaseId))
    .sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  // One after another: the numbers follow this order. Each append is told the next free number
  // (none of these is among the newest numbers read), so it need not read the tail again.
  const known = new Map(recentNumbered.map(({ number, entry }) => [number, entry]));
  let numberedUpTo = size;
  for (const entry of fresh) {
    const number = await archive.append(feed, entry, numberedUpTo + 1);
    known.set(number, entry);
    numberedUpTo = Math.max(numberedUpTo, number);
  }
  return { size: numberedUpTo, numbered: { from, entries: known } };
}

/**
 * What the feed's render knows of its archive after numbering: every entry numbered `from` up to
 * the size, by number (void placeholders absent, as in `FeedArchive.range`). Only the render
 * numbers, one at a time, so this stays true for the rest of the render.
 */
export interface KnownNumbers {
  from: number;
  entries: ReadonlyMap<number, FeedEntry>;
}

/**
 * The entries numbered after the newest archive page (`newestPage`) that are not among `newest`
 * (the index's newest 50) (`missing`, as the index holds them now: a withdrawn one is gone), and the archived releases
 * the feed may leave out to make room for them (`archived`). Normally none is missing: the numbers
 * after the newest page are the newest entries. One numbered out of order (published after a
 * render had numbered newer ones) may have dropped out of the newest 50 before its page closes;
 * the subscription feed carries it instead of an archived entry, so that no entry is ever in
 * neither the subscription feed nor an archive page.
 */
export async function unarchivedEntries(
  deps: ArchiveDeps & { feeds: FeedIndex },
  feed: string,
  newestPage: number,
  newest: readonly FeedEntry[],
  known?: KnownNumbers,
): Promise<{ missing: FeedEntry[]; archived: Set<string> }> {
  const { archive } = deps;
  if (!archive) return { missing: [], archived: new Set() };
  // At most ARCHIVE_LAG + ARCHIVE_PAGE_SIZE − 1 numbers wait behind the newest page; the numbering
  // just read or wrote them all (`known`), normally, so no read is needed.
  const from = newestPage * ARCHIVE_PAGE_SIZE + 1;
  const to = from + ARCHIVE_LAG + ARCHIVE_PAGE_SIZE - 2;
  const waiting =
    known && from >= known.from
      ? [...known.entries]
          .filter(([number]) => number >= from && number <= to)
          .sort(([a], [b]) => a - b)
          .map(([, entry]) => entry)
      : await archive.range(feed, from, to);
  const shown = new Set(newest.map((entry) => entry.releaseId));
  const current = await Promise.all(waiting.filter((entry) => !shown.has(entry.releaseId)).map((entry) => deps.feeds.get(feed, entry)));
  const missing = current.filter((entry) => entry !== undefined);
  if (missing.length === 0 || from === 1) return { missing, archived: new Set() };
  const archived = await archive.range(feed, Math.max(1, from - MAX_FEED_ITEMS), from - 1);
  return { missing, archived: new Set(archived.map((entry) => entry.releaseId)) };
}

/**
 * Writes the feed's complete archive pages that are not written yet — newest first, stopping at
 * the first one already there (normally none or one) — and returns the newest page number (0:
 * none), for the subscription feed's `prev-archive` link. Pages are written before the feed
 * that links to them, so a link never points at a missing page.
 */
export async function writeArchivePages(deps: ArchiveDeps, language: string, slug?: string, category?: string, size?: number): Promise<number> {
  const { archive } = deps;
  if (!archive) return 0;
  const feed = feedName(language, slug);
  // The size when the caller just read it (the feed render, which alone numbers entries).
  const newest = closedPages(size ?? (await archive.size(feed)));
  for (let page = newest; page >= 1; page--) {
    if (await deps.distribution.head(archivePaths.rss(language, page, category))) break;
    const { from, to } = pageRange(page);
    const entries = await archive.range(feed, from, to);
    await loadFeedRenderer();
    await writeOutputs(deps.distribution, renderArchivePage({ site: deps.site, language, ...(category === undefined ? {} : { category }), page, entries }));
  }
  return newest;
}
