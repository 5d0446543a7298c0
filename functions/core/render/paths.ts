/**
 * The URL scheme of the distribution bucket (see docs/outputs.md#url-scheme). Keys are bucket keys:
 * no leading slash, Unicode as is (S3 keys are UTF-8; CloudFront and S3 decode percent-encoded
 * request paths). `urlOf` and `relativeHref` percent-encode them for links.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors';
import { isLanguageTag, ReleaseIdSchema } from '../release';
import { cleanText } from './text';
import { leadingGraphemes } from '../text';

/** Site-wide settings every renderer needs. */
export interface SiteConfig {
  /** Absolute http(s) URL without a trailing slash, e.g. `https://news.example.com`. */
  baseUrl: string;
  /** Newsroom name, e.g. `polywire newsroom`; feed titles and page titles use it. */
  title: string;
  /**
   * Engine name → the name outputs credit ("Machine translation by DeepL."): the registry's
   * `ENGINE_DISPLAY_NAMES` (functions/adapters/engines/registry.ts). Without it, the engine's name.
   */
  engineNames?: Readonly<Record<string, string>>;
}

/** Longest category slug, in grapheme clusters: readable, and far below S3's 1,024-byte key limit. */
export const MAX_CATEGORY_SLUG_LENGTH = 60;

/**
 * A URL path segment for a category name, readable in every script: `Top-Story` → `top-story`,
 * `أخبار عاجلة` → `أخبار-عاجلة`, `科技 新闻` → `科技-新闻`, `ข่าวเด่น` → `ข่าวเด่น`.
 * NFKC folds full-width and compatibility forms; letters, combining marks (Thai, Arabic
 * diacritics) and digits are kept; every other run becomes one `-`. A name with nothing left
 * (`!!!`) gets a stable hash slug, so every category still has a feed.
 *
 * @example categorySlug('Top-Story') // 'top-story'
 */
export function categorySlug(name: string): string {
  // Cleaned like every rendered text, so a raw and a cleaned name give the same feed path.
  const folded = cleanText(name)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u200B-\u200D\u2060\uFEFF]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  // Only the first clusters: segmenting a whole hostile 100k-character name is quadratic in V8.
  // A name of at most that many UTF-16 units has at most that many clusters and is kept whole,
  // without a segmenter (the shipped categories are slugged at start-up: ICU would load then).
  const kept =
    folded.length <= MAX_CATEGORY_SLUG_LENGTH
      ? folded
      : leadingGraphemes(folded, MAX_CATEGORY_SLUG_LENGTH + 1)
          .slice(0, MAX_CATEGORY_SLUG_LENGTH)
          .join('');
  const bounded = kept.replace(/-+$/, '');
  if (bounded.length > 0 && !/^\p{M}/u.test(bounded)) return bounded;
  return `category-${createHash('sha256').update(name.normalize('NFKC')).digest('hex').slice(0, 10)}`;
}

function languageSegment(lang: string): string {
  if (!isLanguageTag(lang)) {
    throw new InputError('render.language', `"${lang}" is not a BCP 47 language tag`, { field: 'language' }, 'use a tag such as en, de or zh-Hans');
  }
  return lang;
}

function releaseSegment(releaseId: string): string {
  if (!ReleaseIdSchema.safeParse(releaseId).success) {
    throw new InputError('render.release-id', `"${releaseId}" is not a release id`, { field: 'releaseId' }, 'ids are 1–128 characters of a–z, 0–9 and inner hyphens');
  }
  return releaseId;
}

function languageBase(lang: string, category?: string): string {
  const base = languageSegment(lang);
  return category === undefined ? base : `${base}/categories/${categorySlug(category)}`;
}

/** Bucket keys of every output. Category arguments are category names (slugged here). */
export const paths = {
  page: (lang: string, releaseId: string): string => `${languageSegment(lang)}/releases/${releaseSegment(releaseId)}.html`,
  ninjs: (lang: string, releaseId: string): string => `${languageSegment(lang)}/releases/${releaseSegment(releaseId)}.json`,
  newsml: (lang: string, releaseId: string): string => `${languageSegment(lang)}/releases/${releaseSegment(releaseId)}.xml`,
  rss: (lang: string, category?: string): string => `${languageBase(lang, category)}/feed.xml`,
  atom: (lang: string, category?: string): string => `${languageBase(lang, category)}/atom.xml`,
  jsonFeed: (lang: string, category?: string): string => `${languageBase(lang, category)}/feed.json`,
  languageIndex: (lang: string, category?: string): string => `${languageBase(lang, category)}/index.html`,
  root: (): string => 'index.html',
  newsSitemap: (): string => 'news-sitemap.xml',
  sitemap: (): string => 'sitemap.xml',
  stylesheet: (): string => 'assets/site.css',
};

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

/** Absolute URL of a bucket key, percent-encoded. */
export function urlOf(site: SiteConfig, key: string): string {
  return `${site.baseUrl}/${encodeKey(key)}`;
}

/**
 * Relative link from one bucket key to another, so the rendered folder also works from disk
 * and under any base path.
 */
export function relativeHref(fromKey: string, toKey: string): string {
  const depth = fromKey.split('/').length - 1;
  return `${'../'.repeat(depth)}${encodeKey(toKey)}`;
}

/** Stable identity of one language version of a release; never includes the version. */
export function guidOf(releaseId: string, lang: string): string {
  return `urn:polywire:${releaseSegment(releaseId)}:${languageSegment(lang)}`;
}
