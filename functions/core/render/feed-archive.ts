/**
 * RFC 5005 "Feed Paging and Archiving" for every feed (a language, or a language's category):
 * the subscription feed links `prev-archive` to the newest archive page, and each archive page
 * links to the one before it, so a reader that polls rarely walks back until it meets an item it
 * has seen and loses nothing. Archive page `k` holds the feed's entries numbered
 * `(k-1)·P+1 … k·P` (numbers are given once, at first publication, by the `FeedArchive` port);
 * it is written once, when the feed has `k·P + N` entries, so the subscription feed (the newest
 * 50) always still holds every entry not archived yet. RSS and Atom carry the RFC's links
 * (`atom:link` in RSS) and `fh:archive`; JSON Feed has no archive convention: it links the older
 * page with `next_url` (JSON Feed's paging) and repeats the RFC's relations in `_rfc5005`.
 * URL scheme and the walk: docs/outputs.md.
 */
import type { FeedEntry } from '../variant';
import { MAX_FEED_ITEMS, renderFeeds, type RenderedFeeds } from './feeds';
import { CACHE_CONTROL, CONTENT_TYPES } from './headers';
import type { OutputFile } from './index';
import { paths, urlOf, type SiteConfig } from './paths';
import { escapeHtml } from './text';

/** Entries per archive page (P). */
export const ARCHIVE_PAGE_SIZE = 25;
/**
 * Entries a page waits behind (N): page k is written when the feed has k·P + N entries, so the
 * subscription feed's newest `MAX_FEED_ITEMS` (≥ N + P − 1) still hold every entry not archived.
 */
export const ARCHIVE_LAG = 25;
const HISTORY_NS = 'http://purl.org/syndication/history/1.0';

/** The newest archive page that may be written when the feed has `size` numbered entries (0: none). */
export function closedPages(size: number): number {
  return Math.max(0, Math.floor((size - ARCHIVE_LAG) / ARCHIVE_PAGE_SIZE));
}

/** Entry numbers (inclusive) of archive page `page`. */
export function pageRange(page: number): { from: number; to: number } {
  return { from: (page - 1) * ARCHIVE_PAGE_SIZE + 1, to: page * ARCHIVE_PAGE_SIZE };
}

function feedBase(language: string, category?: string): string {
  return paths.rss(language, category).replace(/feed\.xml$/, '');
}

/** Bucket keys of archive page `page` of a feed. */
export const archivePaths = {
  rss: (language: string, page: number, category?: string): string => `${feedBase(language, category)}archive/${page}/feed.xml`,
  atom: (language: string, page: number, category?: string): string => `${feedBase(language, category)}archive/${page}/atom.xml`,
  jsonFeed: (language: string, page: number, category?: string): string => `${feedBase(language, category)}archive/${page}/feed.json`,
};

interface FeedUrls {
  rss: string;
  atom: string;
  json: string;
}

function currentUrls(site: SiteConfig, language: string, category?: string): FeedUrls {
  return { rss: urlOf(site, paths.rss(language, category)), atom: urlOf(site, paths.atom(language, category)), json: urlOf(site, paths.jsonFeed(language, category)) };
}

function pageUrls(site: SiteConfig, language: string, page: number, category?: string): FeedUrls {
  return {
    rss: urlOf(site, archivePaths.rss(language, page, category)),
    atom: urlOf(site, archivePaths.atom(language, page, category)),
    json: urlOf(site, archivePaths.jsonFeed(language, page, category)),
  };
}

export interface ArchiveLinks {
  /** The next older archive page, if any. */
  prevArchive?: FeedUrls;
  /** On an archive page: the subscription feed, and this page's own URLs (its `self`). */
  archive?: { current: FeedUrls; self: FeedUrls };
}

function insertAfter(text: string, marker: RegExp, insert: string, what: string): string {
  const match = marker.exec(text);
  if (!match) throw new Error(`feed package changed its ${what}; update feed-archive.ts`);
  const at = match.index + match[0].length;
  return `${text.slice(0, at)}${insert}${text.slice(at)}`;
}

function replaceSelf(text: string, from: string, to: string, what: string): string {
  if (!text.includes(from)) throw new Error(`feed package changed its ${what} self link; update feed-archive.ts`);
  return text.replace(from, to);
}

/**
 * Adds the RFC 5005 links to rendered feeds (string edits: the `feed` package has no extension
 * points). Unchanged input gives unchanged bytes.
 */
export function withArchiveLinks(feeds: RenderedFeeds, links: ArchiveLinks, current: FeedUrls): RenderedFeeds {
  const a = escapeHtml;
  let { rss, atom } = feeds;
  const rssLinks = [
    ...(links.archive ? [`<atom:link href="${a(links.archive.current.rss)}" rel="current" type="application/rss+xml"/>`, `<fh:archive xmlns:fh="${HISTORY_NS}"/>`] : []),
    ...(links.prevArchive ? [`<atom:link href="${a(links.prevArchive.rss)}" rel="prev-archive" type="application/rss+xml"/>`] : []),
  ];
  const atomLinks = [
    ...(links.archive ? [`<link rel="current" href="${a(links.archive.current.atom)}"/>`, `<fh:archive xmlns:fh="${HISTORY_NS}"/>`] : []),
    ...(links.prevArchive ? [`<link rel="prev-archive" href="${a(links.prevArchive.atom)}"/>`] : []),
  ];
  if (rssLinks.length) rss = insertAfter(rss, /<channel>/, `\n        ${rssLinks.join('\n        ')}`, 'RSS channel');
  if (atomLinks.length) atom = insertAfter(atom, /<feed [^>]*>/, `\n    ${atomLinks.join('\n    ')}`, 'Atom root');
  const json = JSON.parse(feeds.json) as Record<string, unknown>;
  if (links.archive) {
    rss = replaceSelf(rss, `href="${a(current.rss)}" rel="self"`, `href="${a(links.archive.self.rss)}" rel="self"`, 'RSS');
    atom = replaceSelf(atom, `rel="self" href="${a(current.atom)}"`, `rel="self" href="${a(links.archive.self.atom)}"`, 'Atom');
    json.feed_url = links.archive.self.json;
  }
  const extension = {
    ...(links.prevArchive ? { next_url: links.prevArchive.json } : {}),
    ...(links.prevArchive || links.archive
      ? {
          _rfc5005: {
            about: 'https://www.rfc-editor.org/rfc/rfc5005',
            ...(links.archive ? { archive: true, current: links.archive.current.json } : {}),
            ...(links.prevArchive ? { prev_archive: links.prevArchive.json } : {}),
          },
        }
      : {}),
  };
  return { rss, atom, json: `${JSON.stringify({ ...json, ...extension }, null, 2)}\n` };
}

/** The links a subscription feed carries when `newestPage` archive pages exist. */
export function subscriptionArchiveLinks(site: SiteConfig, language: string, newestPage: number, category?: string): { links: ArchiveLinks; current: FeedUrls } {
  return {
    links: newestPage > 0 ? { prevArchive: pageUrls(site, language, newestPage, category) } : {},
    current: currentUrls(site, language, category),
  };
}

export interface ArchivePageInput {
  site: SiteConfig;
  language: string;
  category?: string;
  page: number;
  /** The page's entries (numbers `pageRange(page)`), oldest first. */
  entries: readonly FeedEntry[];
}

/**
 * RSS, Atom and JSON Feed of one archive page. Its content never changes once written (the
 * entries are those numbered for it, as first published), so caches may keep it long.
 *
 * @example
 * renderArchivePage({ site, language: 'de', page: 1, entries }) // → de/archive/1/feed.xml, atom.xml, feed.json
 */
export function renderArchivePage(input: ArchivePageInput): OutputFile[] {
  const { site, language, category, page } = input;
  if (input.entries.length > MAX_FEED_ITEMS) throw new Error(`archive page ${page} has ${input.entries.length} entries; at most ${MAX_FEED_ITEMS} fit a feed`);
  const entries = [...input.entries].reverse();
  const updatedAt = entries.reduce((newest, e) => (Date.parse(e.updatedAt) > Date.parse(newest) ? e.updatedAt : newest), entries[0]?.updatedAt ?? new Date(0).toISOString());
  const current = currentUrls(site, language, category);
  const feeds = withArchiveLinks(
    renderFeeds({ site, language, ...(category === undefined ? {} : { category }), entries, updatedAt }),
    { ...(page > 1 ? { prevArchive: pageUrls(site, language, page - 1, category) } : {}), archive: { current, self: pageUrls(site, language, page, category) } },
    current,
  );
  const cache = CACHE_CONTROL.archive;
  return [
    { path: archivePaths.rss(language, page, category), body: feeds.rss, contentType: CONTENT_TYPES.rss, cacheControl: cache },
    { path: archivePaths.atom(language, page, category), body: feeds.atom, contentType: CONTENT_TYPES.atom, cacheControl: cache },
    { path: archivePaths.jsonFeed(language, page, category), body: feeds.json, contentType: CONTENT_TYPES.jsonFeed, cacheControl: cache },
  ];
}
