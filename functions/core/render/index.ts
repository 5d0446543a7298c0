/**
 * Syndication outputs, as pure functions from releases and feed entries to files: article pages,
 * IPTC ninjs, RSS/Atom/JSON Feed, newsroom indexes, root page, sitemaps. No clock and no I/O: the
 * same input gives the same bytes, so unchanged outputs keep their ETag (see `writeOutputs`).
 * URL scheme and formats: docs/outputs.md#url-scheme.
 */
import { ConfigError } from '../errors';
import type { PublicationState } from '../lifecycle';
import { blockText, type Release, type TableBlock } from '../release';
import type { FeedEntry, Variant } from '../variant';
import { MAX_FEED_ITEMS, renderFeeds } from './feeds';
import { subscriptionArchiveLinks, withArchiveLinks } from './feed-archive';
import { CACHE_CONTROL, CONTENT_TYPES } from './headers';
import { renderLanguageIndex, renderRootPage } from './index-pages';
import { renderArticlePage, summaryOf, type PublicationTimes } from './page';
import { renderNinjs } from './ninjs';
import { renderNewsmlItem } from './newsml-g2';
import { publishedPictures } from './html';
import { paths, type SiteConfig } from './paths';
import { orderLanguages, renderNewsSitemap, renderSitemap } from './sitemaps';
import { SITE_CSS } from './stylesheet';
import { cleanDeep } from './text';

export { categorySlug, guidOf, paths, urlOf, type SiteConfig } from './paths';
export { CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPES } from './headers';
export { loadFeedRenderer, MAX_FEED_ITEMS } from './feeds';
export { ARCHIVE_LAG, ARCHIVE_PAGE_SIZE, archivePaths, closedPages, pageRange, renderArchivePage } from './feed-archive';
export { loadSitemapRenderer, NEWS_SITEMAP_WINDOW_MS, orderLanguages } from './sitemaps';
export { cleanText } from './text';
export type { PublicationTimes } from './page';

/** One file for the distribution bucket. */
export interface OutputFile {
  /** Bucket key, no leading slash, e.g. `fr/releases/acme-launch.html`. */
  path: string;
  body: string;
  /** With charset. */
  contentType: string;
  cacheControl: string;
}

function checkedSite(site: SiteConfig): SiteConfig {
  let url: URL;
  try {
    url = new URL(site.baseUrl);
  } catch {
    throw new ConfigError(`site base URL "${site.baseUrl}" is not an absolute URL; set it like https://news.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`site base URL "${site.baseUrl}" must use http or https`);
  }
  return { ...site, baseUrl: site.baseUrl.replace(/\/+$/, ''), title: site.title.trim() || 'polywire newsroom' };
}

export interface VariantFilesInput {
  site: SiteConfig;
  release: Release;
  variant: Variant;
  /** Every language version of this release, including the source, for hreflang. */
  languages: readonly string[];
  /**
   * When the release was first published and when this version was; shown on the page and in
   * ninjs (`firstCreated`, `versionCreated`). Without it the issuer's `release.date` is used.
   */
  times?: PublicationTimes;
  /**
   * The lifecycle state (`publicationState`) for the NewsML-G2 `pubStatus`. The pipeline passes
   * the state it checked; without it, the state is derived from the release at `times.updatedAt`.
   */
  state?: PublicationState;
}

/**
 * The article page (HTML), the IPTC ninjs document and the NewsML-G2 item of one release in one language.
 *
 * @example
 * const files = renderVariantFiles({ site, release, variant, languages: ['de', 'en', 'ar'] });
 * // → de/releases/<id>.html, de/releases/<id>.json, de/releases/<id>.xml (NewsML-G2)
 */
export function renderVariantFiles(input: VariantFilesInput): OutputFile[] {
  const site = checkedSite(input.site);
  const release = cleanDeep(input.release);
  const variant = cleanDeep(input.variant);
  const languages = orderLanguages([...input.languages, variant.language, variant.sourceLanguage]);
  const article = { site, release, variant, languages, ...(input.times ? { times: input.times } : {}) };
  return [
    {
      path: paths.page(variant.language, release.id),
      body: renderArticlePage(article),
      contentType: CONTENT_TYPES.html,
      cacheControl: CACHE_CONTROL.document,
    },
    {
      path: paths.ninjs(variant.language, release.id),
      body: renderNinjs(article),
      contentType: CONTENT_TYPES.ninjs,
      cacheControl: CACHE_CONTROL.document,
    },
    {
      path: paths.newsml(variant.language, release.id),
      body: renderNewsmlItem({ ...article, ...(input.state ? { state: input.state } : {}) }),
      contentType: CONTENT_TYPES.newsml,
      cacheControl: CACHE_CONTROL.document,
    },
  ];
}

/**
 * The ninjs document of a language version still under embargo, for subscribers trusted with
 * embargoed content (`release.embargoed`): the full content, `pubStatus: withheld` and the
 * instant of the lift as `embargoedUntil`. Nothing of it is written to the bucket.
 */
export function renderEmbargoedNinjs(input: Omit<VariantFilesInput, 'times'> & { until: string }): Record<string, unknown> {
  const site = checkedSite(input.site);
  const release = cleanDeep(input.release);
  const variant = cleanDeep(input.variant);
  const languages = orderLanguages([...input.languages, variant.language, variant.sourceLanguage]);
  const document = JSON.parse(renderNinjs({ site, release, variant, languages })) as Record<string, unknown>;
  return { ...document, pubStatus: 'withheld', embargoedUntil: new Date(input.until).toISOString() };
}

export interface LanguageFilesInput {
  site: SiteConfig;
  language: string;
  /** Category name in this language; absent for the language's main feeds. */
  category?: string;
  /** Newest first, at most `MAX_FEED_ITEMS` (extra entries are ignored). */
  entries: readonly FeedEntry[];
  /** ISO instant: the newest entry's `updatedAt`, so nothing changes when no entry did. */
  updatedAt: string;
  /** The newest RFC 5005 archive page of this feed (0 or absent: none yet), for `prev-archive`. */
  newestArchivePage?: number;
}

/**
 * RSS, Atom, JSON Feed and the newsroom index page of one language, or of one category in it.
 *
 * @example
 * renderLanguageFiles({ site, language: 'de', entries, updatedAt: entries[0].updatedAt })
 * // → de/feed.xml, de/atom.xml, de/feed.json, de/index.html
 */
export function renderLanguageFiles(input: LanguageFilesInput): OutputFile[] {
  const site = checkedSite(input.site);
  const entries = cleanDeep(input.entries.slice(0, MAX_FEED_ITEMS));
  const category = input.category === undefined ? undefined : cleanDeep(input.category);
  const { language } = input;
  const feedInput = { site, language, entries, updatedAt: input.updatedAt, ...(category === undefined ? {} : { category }) };
  const archive = subscriptionArchiveLinks(site, language, input.newestArchivePage ?? 0, category);
  const feeds = withArchiveLinks(renderFeeds(feedInput), archive.links, archive.current);
  const list = CACHE_CONTROL.list;
  return [
    { path: paths.rss(language, category), body: feeds.rss, contentType: CONTENT_TYPES.rss, cacheControl: list },
    { path: paths.atom(language, category), body: feeds.atom, contentType: CONTENT_TYPES.atom, cacheControl: list },
    { path: paths.jsonFeed(language, category), body: feeds.json, contentType: CONTENT_TYPES.jsonFeed, cacheControl: list },
    {
      path: paths.languageIndex(language, category),
      body: renderLanguageIndex(feedInput),
      contentType: CONTENT_TYPES.html,
      cacheControl: list,
    },
  ];
}

export interface RootFilesInput {
  site: SiteConfig;
  languages: readonly { language: string; latest: readonly FeedEntry[] }[];
  /** Recent entries of all languages, for the sitemaps. */
  recent: readonly FeedEntry[];
  /** ISO instant; only decides which entries are in the two-day news sitemap. */
  now: string;
}

/**
 * The root page listing the languages, the Google News sitemap, the sitemap with hreflang
 * alternates, and the stylesheet every page links to.
 */
export function renderRootFiles(input: RootFilesInput): OutputFile[] {
  const site = checkedSite(input.site);
  const order = orderLanguages(input.languages.map((l) => l.language));
  const languages = order.map((language) => ({
    language,
    latest: cleanDeep(input.languages.find((l) => l.language === language)!.latest),
  }));
  const recent = cleanDeep(input.recent);
  const sitemapInput = { site, recent, languages: order, now: input.now };
  return [
    { path: paths.root(), body: renderRootPage({ site, languages }), contentType: CONTENT_TYPES.html, cacheControl: CACHE_CONTROL.list },
    { path: paths.newsSitemap(), body: renderNewsSitemap(sitemapInput), contentType: CONTENT_TYPES.sitemap, cacheControl: CACHE_CONTROL.list },
    { path: paths.sitemap(), body: renderSitemap(sitemapInput), contentType: CONTENT_TYPES.sitemap, cacheControl: CACHE_CONTROL.list },
    { path: paths.stylesheet(), body: SITE_CSS, contentType: CONTENT_TYPES.css, cacheControl: CACHE_CONTROL.asset },
  ];
}

/**
 * The feed-index entry of one release version in one language, as the pipeline stores it.
 *
 * @example
 * feedEntryOf(release, variant, { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' })
 */
export function feedEntryOf(release: Release, input: Variant, times: PublicationTimes): FeedEntry {
  // Cleaned before it is stored, like pages and ninjs before they are rendered: a lone surrogate
  // does not survive the database's UTF-8 (it comes back as U+FFFD, which no later cleaning can
  // tell from a real character), and the summary is cut from the same clean text as the page's.
  const variant = cleanDeep(input);
  return {
    releaseId: release.id,
    version: variant.version,
    language: variant.language,
    headline: variant.content.headline,
    summary: summaryOf(variant),
    categories: [...variant.content.categories],
    publishedAt: times.publishedAt,
    updatedAt: times.updatedAt,
    provenance: { ...variant.provenance },
    ...withTables(feedTablesOf(variant)),
    ...leadImageOf(variant),
  };
}

function leadImageOf(variant: Pick<Variant, 'content'>): Pick<FeedEntry, 'image'> {
  const lead = publishedPictures(variant.content.body)[0];
  if (!lead) return {};
  const rendition = lead.asset.renditions.find((r) => r.contentType !== 'image/webp') ?? lead.asset.renditions[0]!;
  return { image: { ...rendition, ...(lead.alt ? { alt: lead.alt } : {}) } };
}

/** Largest table (as plain text, in characters) a feed item carries; bigger ones stay on the page. */
export const MAX_FEED_TABLE_CHARS = 8_000;
/** At most this many tables per feed item (the feed index item must stay well under DynamoDB's 400 KB). */
export const MAX_FEED_TABLES = 3;

/** The body tables a feed item carries: the first few that are small enough. */
export function feedTablesOf(variant: Pick<Variant, 'content'>): TableBlock[] {
  return variant.content.body
    .filter((block): block is TableBlock => block.type === 'table')
    .filter((table) => blockText(table).length <= MAX_FEED_TABLE_CHARS)
    .slice(0, MAX_FEED_TABLES);
}

const withTables = (tables: TableBlock[]): { tables?: TableBlock[] } => (tables.length > 0 ? { tables } : {});
