/**
 * The newsroom index of one language (or language × category) and the root page listing the
 * languages: what a person opens first. Built only from the entries passed in (the latest N).
 */
import { directionOf } from '../languages';
import type { FeedEntry } from '../variant';
import { htmlDocument } from './document';
import { feedTitle } from './feeds';
import { engineDisplayName, formatDate, labelsFor, nativeNameOf } from './labels';
import { MAX_TITLE_LENGTH } from './page';
import { categorySlug, paths, relativeHref, urlOf, type SiteConfig } from './paths';
import { escapeHtml, fitText } from './text';
import { oneLine } from '../text';

/** Headlines per language on the root page. */
export const ROOT_HEADLINES_PER_LANGUAGE = 5;

function feedDiscovery(site: SiteConfig, lang: string, category?: string): string {
  return [
    `<link rel="alternate" type="application/rss+xml" title="RSS" href="${escapeHtml(urlOf(site, paths.rss(lang, category)))}">`,
    `<link rel="alternate" type="application/atom+xml" title="Atom" href="${escapeHtml(urlOf(site, paths.atom(lang, category)))}">`,
    `<link rel="alternate" type="application/feed+json" title="JSON Feed" href="${escapeHtml(urlOf(site, paths.jsonFeed(lang, category)))}">`,
  ].join('\n');
}

function entryHtml(entry: FeedEntry, fromKey: string, site: SiteConfig): string {
  const href = relativeHref(fromKey, paths.page(entry.language, entry.releaseId));
  const kind = entry.provenance.kind;
  const badge = kind === 'machine' || kind === 'pseudo' ? ` · <span class="badge badge-${kind}">${escapeHtml(engineDisplayName(entry.provenance.engine, site))}</span>` : '';
  return [
    '<li><article>',
    `<h2><a href="${escapeHtml(href)}">${escapeHtml(fitText(entry.headline, MAX_TITLE_LENGTH))}</a></h2>`,
    `<p class="meta"><time datetime="${escapeHtml(entry.publishedAt)}">${escapeHtml(formatDate(entry.publishedAt, entry.language))}</time>${badge}</p>`,
    entry.summary ? `<p>${escapeHtml(entry.summary)}</p>` : '',
    '</article></li>',
  ].join('');
}

/** Distinct category names of the entries, in first-seen order, keyed by slug (one link per feed). */
export function categoriesOf(entries: readonly FeedEntry[]): string[] {
  const bySlug = new Map<string, string>();
  for (const entry of entries) {
    for (const name of entry.categories) {
      const slug = categorySlug(name);
      if (!bySlug.has(slug)) bySlug.set(slug, name);
    }
  }
  return [...bySlug.values()];
}

export interface LanguageIndexInput {
  site: SiteConfig;
  language: string;
  category?: string;
  entries: readonly FeedEntry[];
}

/** The newsroom page of a language or of a category in that language. */
export function renderLanguageIndex(input: LanguageIndexInput): string {
  const { site, language: lang, category, entries } = input;
  const labels = labelsFor(lang);
  const key = paths.languageIndex(lang, category);
  const categories = categoriesOf(entries);
  const heading = category ? oneLine(category) : labels.latest;
  const categoryNav = categories.length
    ? `<nav aria-label="${escapeHtml(labels.categories)}"><h2>${escapeHtml(labels.categories)}</h2><ul class="categories">${categories
        .map((c) => {
          const target = paths.languageIndex(lang, c);
          return target === key ? `<li aria-current="page">${escapeHtml(oneLine(c))}</li>` : `<li><a href="${escapeHtml(relativeHref(key, target))}">${escapeHtml(oneLine(c))}</a></li>`;
        })
        .join('')}</ul></nav>`
    : '';
  const list = entries.length ? `<ol class="releases">\n${entries.map((e) => entryHtml(e, key, site)).join('\n')}\n</ol>` : `<p>${escapeHtml(labels.noReleases)}</p>`;
  const body = [
    `<header class="site"><a href="${escapeHtml(relativeHref(key, paths.languageIndex(lang)))}">${escapeHtml(site.title)}</a> <a class="all-languages" href="${escapeHtml(relativeHref(key, paths.root()))}">${escapeHtml(labels.allLanguages)}</a></header>`,
    '<main>',
    `<h1>${escapeHtml(heading)}</h1>`,
    `<p class="feeds">${escapeHtml(labels.feeds)}: <a href="${escapeHtml(relativeHref(key, paths.rss(lang, category)))}">RSS</a> · <a href="${escapeHtml(relativeHref(key, paths.atom(lang, category)))}">Atom</a> · <a href="${escapeHtml(relativeHref(key, paths.jsonFeed(lang, category)))}">JSON Feed</a></p>`,
    list,
    categoryNav,
    '</main>',
  ].join('\n');
  return htmlDocument({
    key,
    lang,
    dir: directionOf(lang),
    title: feedTitle(site, lang, category),
    description: `${labels.latest} – ${nativeNameOf(lang)}`,
    head: [`<link rel="canonical" href="${escapeHtml(urlOf(site, key))}">`, feedDiscovery(site, lang, category)].join('\n'),
    body,
  });
}

export interface RootPageInput {
  site: SiteConfig;
  languages: readonly { language: string; latest: readonly FeedEntry[] }[];
}

/** The root page: every language by its own name, with its newest headlines. */
export function renderRootPage(input: RootPageInput): string {
  const { site } = input;
  const key = paths.root();
  const sections = input.languages.map(({ language: lang, latest }) => {
    const headlines = latest.slice(0, ROOT_HEADLINES_PER_LANGUAGE);
    return [
      `<section class="language" lang="${escapeHtml(lang)}" dir="${directionOf(lang)}">`,
      `<h2><a href="${escapeHtml(relativeHref(key, paths.languageIndex(lang)))}" hreflang="${escapeHtml(lang)}">${escapeHtml(nativeNameOf(lang))}</a></h2>`,
      headlines.length
        ? `<ul>${headlines.map((e) => `<li><a href="${escapeHtml(relativeHref(key, paths.page(e.language, e.releaseId)))}">${escapeHtml(fitText(e.headline, MAX_TITLE_LENGTH))}</a></li>`).join('')}</ul>`
        : `<p>${escapeHtml(labelsFor(lang).noReleases)}</p>`,
      '</section>',
    ].join('\n');
  });
  const body = [
    `<header class="site"><a href="${escapeHtml(relativeHref(key, paths.root()))}">${escapeHtml(site.title)}</a></header>`,
    '<main>',
    `<h1>${escapeHtml(site.title)}</h1>`,
    `<nav class="language-picker" aria-label="Languages"><ul>${input.languages
      .map(({ language: lang }) => `<li><a href="${escapeHtml(relativeHref(key, paths.languageIndex(lang)))}" hreflang="${escapeHtml(lang)}" lang="${escapeHtml(lang)}">${escapeHtml(nativeNameOf(lang))}</a></li>`)
      .join('')}</ul></nav>`,
    ...sections,
    '</main>',
  ].join('\n');
  return htmlDocument({
    key,
    // The root's own chrome is the newsroom name only; each language section carries its own lang.
    lang: 'mul',
    dir: 'ltr',
    title: site.title,
    head: `<link rel="canonical" href="${escapeHtml(urlOf(site, key))}">`,
    body,
  });
}
