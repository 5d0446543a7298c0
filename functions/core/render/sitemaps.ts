/**
 * Google News sitemap (last two days only) and the general sitemap with hreflang alternates,
 * with the `sitemap` package's item serializer (its escaping and XML-character filtering).
 *
 * The package is stream-only; the render API is synchronous, so `serializeItems` drives a
 * `SitemapItemStream` by hand: its `_transform` pushes synchronously, and the function checks
 * that every item came out complete before it returns (a future change of the package fails
 * loudly in the tests instead of losing URLs).
 */
import type { SitemapItem } from 'sitemap';
import type { FeedEntry } from '../variant';
import { WIRE_LANGUAGES } from '../languages';
import { paths, urlOf, type SiteConfig } from './paths';
import { oneLine } from '../text';
import { fitText } from './text';

/** Google News lists only articles of the last two days. */
export const NEWS_SITEMAP_WINDOW_MS = 2 * 24 * 60 * 60 * 1000;
/** Longest news:title, in grapheme clusters. */
export const MAX_NEWS_TITLE_LENGTH = 200;

const URLSET_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n';
const URLSET_CLOSE = '</urlset>\n';

/**
 * The `sitemap` package, once loaded. Its index brings sax (for its parsers, which polywire does
 * not use); only root rebuilds render sitemaps, so publish imports it on first use (a lazy chunk
 * in the function's asset) rather than at every cold start.
 */
let sitemap: typeof import('sitemap') | undefined;

/**
 * Loads what the sitemap renderers need; await it before `renderRootFiles`, `renderSitemap` or
 * `renderNewsSitemap` (they throw otherwise). Cheap after the first call.
 */
export async function loadSitemapRenderer(): Promise<void> {
  sitemap ??= await import('sitemap');
}

type Item = Pick<SitemapItem, 'url'> & Partial<Pick<SitemapItem, 'lastmod' | 'news' | 'links'>>;

function serializeItems(items: readonly Item[]): string {
  if (!sitemap) throw new Error('sitemaps need the sitemap package: await loadSitemapRenderer() before rendering them');
  const stream = new sitemap.SitemapItemStream({ level: sitemap.ErrorLevel.THROW });
  const out: string[] = [];
  for (const item of items) {
    const chunks: string[] = [];
    stream.write({ img: [], video: [], links: [], ...item } satisfies SitemapItem);
    for (let chunk = stream.read() as string | null; chunk !== null; chunk = stream.read() as string | null) chunks.push(chunk);
    const xml = chunks.join('');
    if (!xml.startsWith('<url>') || !xml.endsWith('</url>')) {
      throw new Error(`sitemap item for ${item.url} was not serialized synchronously; check the sitemap package version`);
    }
    out.push(xml);
  }
  stream.destroy();
  return `${URLSET_OPEN}${out.join('\n')}${out.length ? '\n' : ''}${URLSET_CLOSE}`;
}

/**
 * Google News wants ISO 639 codes, except `zh-cn` and `zh-tw` for the two Chinese scripts.
 */
export function newsLanguageOf(tag: string): string {
  const locale = new Intl.Locale(tag);
  if (locale.language === 'zh') return locale.script === 'Hant' || ['TW', 'HK', 'MO'].includes(locale.region ?? '') ? 'zh-tw' : 'zh-cn';
  return locale.language;
}

const LANGUAGE_ORDER = new Map(WIRE_LANGUAGES.map((l, i) => [l.tag, i]));

/** Wire languages in the wire's order, others after them alphabetically. */
export function orderLanguages(languages: Iterable<string>): string[] {
  return [...new Set(languages)].sort((a, b) => {
    const ia = LANGUAGE_ORDER.get(a) ?? Number.MAX_SAFE_INTEGER;
    const ib = LANGUAGE_ORDER.get(b) ?? Number.MAX_SAFE_INTEGER;
    return ia - ib || (a < b ? -1 : a > b ? 1 : 0);
  });
}

/** One entry per (release, language): the newest version wins. */
function latestVersions(entries: readonly FeedEntry[]): FeedEntry[] {
  const byKey = new Map<string, FeedEntry>();
  for (const entry of entries) {
    const key = `${entry.releaseId}\u0000${entry.language}`;
    const seen = byKey.get(key);
    if (!seen || entry.version > seen.version) byKey.set(key, entry);
  }
  return [...byKey.values()];
}

export interface SitemapInput {
  site: SiteConfig;
  /** Recent entries of all languages. */
  recent: readonly FeedEntry[];
  /** Every language with a newsroom. */
  languages: readonly string[];
  /** ISO instant the news window ends at. */
  now: string;
}

/** The Google News sitemap: entries first published within the last two days (none from the future). */
export function renderNewsSitemap(input: SitemapInput): string {
  const now = Date.parse(input.now);
  const items = latestVersions(input.recent)
    .filter((e) => {
      // Pseudo-localized pages are test output (and noindex); they are not news. A local run with
      // the default pseudo engine therefore lists only its original-language pages here, and an
      // empty news sitemap is correct when nothing else was published.
      if (e.provenance.kind === 'pseudo') return false;
      const published = Date.parse(e.publishedAt);
      return published <= now && now - published <= NEWS_SITEMAP_WINDOW_MS;
    })
    .map(
      (e): Item => ({
        url: urlOf(input.site, paths.page(e.language, e.releaseId)),
        news: {
          publication: { name: oneLine(input.site.title), language: newsLanguageOf(e.language) },
          publication_date: e.publishedAt,
          title: fitText(e.headline, MAX_NEWS_TITLE_LENGTH),
        },
      }),
    );
  return serializeItems(items);
}

/**
 * The general sitemap: root, language indexes, and every recent release page with `xhtml:link`
 * alternates for all its language versions plus `x-default` (the original-language page).
 */
export function renderSitemap(input: SitemapInput): string {
  const { site } = input;
  const entries = latestVersions(input.recent);
  const byRelease = new Map<string, FeedEntry[]>();
  for (const entry of entries) byRelease.set(entry.releaseId, [...(byRelease.get(entry.releaseId) ?? []), entry]);

  const items: Item[] = [{ url: urlOf(site, paths.root()) }, ...orderLanguages(input.languages).map((lang) => ({ url: urlOf(site, paths.languageIndex(lang)) }))];
  for (const [releaseId, versions] of byRelease) {
    const languages = orderLanguages(versions.map((v) => v.language));
    const original = versions.find((v) => v.provenance.kind === 'original')?.language;
    const links = [...languages.map((lang) => ({ lang, url: urlOf(site, paths.page(lang, releaseId)) })), ...(original ? [{ lang: 'x-default', url: urlOf(site, paths.page(original, releaseId)) }] : [])];
    for (const lang of languages) {
      const entry = versions.find((v) => v.language === lang)!;
      items.push({ url: urlOf(site, paths.page(lang, releaseId)), lastmod: entry.updatedAt, links });
    }
  }
  return serializeItems(items);
}
