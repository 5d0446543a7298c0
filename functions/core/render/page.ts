/**
 * The article page of one release in one language: content, provenance notice, hreflang set,
 * canonical link, OpenGraph and JSON-LD metadata.
 */
import { directionOf } from '../languages';
import type { Block, Contact, Release } from '../release';
import { inlineText } from '../release';
import type { Variant } from '../variant';
import { htmlDocument } from './document';
import { MEDIA_TOPIC_URI_BASE, mediaTopicUri, variantMediaTopics } from './media-topics';
import { textHtmlFor } from './bidi';
import { bodyHtmlWithDateline } from './dateline';
import { blocksHtml, publishedPictures, safeHref } from './html';
import { engineDisplayName, formatDate, labelsFor, nativeNameOf, type Labels } from './labels';
import { paths, relativeHref, urlOf, type SiteConfig } from './paths';
import { escapeHtml, fitText, jsonForHtmlScript } from './text';
import { oneLine } from '../text';

/** Publication times of a release version, as recorded by the pipeline. */
export interface PublicationTimes {
  /** First publication of the release (stable across corrections). */
  publishedAt: string;
  /** Publication of this version. */
  updatedAt: string;
}

export interface ArticleInput {
  site: SiteConfig;
  /** Already cleaned with `cleanDeep`. */
  release: Release;
  /** Already cleaned with `cleanDeep`. */
  variant: Variant;
  /** Every language version, deduplicated and ordered (see `orderLanguages`). */
  languages: readonly string[];
  times?: PublicationTimes;
}

/** Longest `<title>`/og:title, in grapheme clusters; the page's `<h1>` keeps the full headline. */
export const MAX_TITLE_LENGTH = 200;
/** Google recommends NewsArticle headlines of at most 110 characters. */
export const MAX_JSON_LD_HEADLINE_LENGTH = 110;
/** Longest description/summary. */
export const MAX_SUMMARY_LENGTH = 300;

/** First paragraph (or first block) as one line of plain text, shortened. */
export function summaryOf(variant: Pick<Variant, 'content'>): string {
  const body = variant.content.body;
  // A table is no summary: the first prose block stands in.
  const first = body.find((b) => b.type === 'paragraph') ?? body.find((b) => b.type !== 'table');
  if (!first || !('content' in first || 'items' in first)) return '';
  const text = first.type === 'list' ? first.items.map(inlineText).join(' ') : inlineText(first.content);
  return fitText(text, MAX_SUMMARY_LENGTH);
}

/** URL of the original-language page, or the release's own canonical URL when it has one. */
export function canonicalUrlOf(site: SiteConfig, release: Release, sourceLanguage: string): string {
  return release.canonicalUrl ?? urlOf(site, paths.page(sourceLanguage, release.id));
}

function provenanceNotice(input: ArticleInput, labels: Labels, key: string): string {
  const { variant } = input;
  const engine = escapeHtml(engineDisplayName(variant.provenance.engine, input.site));
  const text =
    variant.provenance.kind === 'machine'
      ? escapeHtml(labels.machineTranslated).replace('{engine}', () => engine)
      : variant.provenance.kind === 'pseudo'
        ? escapeHtml(labels.pseudoLocalized).replace('{engine}', () => engine)
        : variant.provenance.kind === 'human'
          ? escapeHtml(labels.humanTranslated)
          : undefined;
  if (text === undefined) return '';
  const source = variant.sourceLanguage;
  const original = relativeHref(key, paths.page(source, variant.releaseId));
  return `<p class="notice notice-${variant.provenance.kind}" role="note">${text} <a href="${escapeHtml(original)}" hreflang="${escapeHtml(source)}">${escapeHtml(labels.readOriginal)} (<span lang="${escapeHtml(source)}">${escapeHtml(nativeNameOf(source))}</span>)</a></p>`;
}

/** Plausible address only: anything else stays text rather than becoming a link. */
const EMAIL = /^[^\s@<>"'()]+@[^\s@<>"'()]+\.[^\s@<>"'()]+$/;

function contactHtml(contact: Contact, dir: 'ltr' | 'rtl'): string {
  const text = textHtmlFor(dir);
  const email = contact.email && EMAIL.test(contact.email.trim()) ? safeHref(`mailto:${contact.email.trim()}`) : undefined;
  const url = contact.url ? safeHref(contact.url) : undefined;
  // The address first: a line that has both gets one link, to the address.
  const links = [
    ...(email && contact.email ? [{ text: contact.email.trim(), open: `<a href="${escapeHtml(email)}">` }] : []),
    ...(url && contact.url ? [{ text: contact.url.trim(), open: `<a href="${escapeHtml(url)}" rel="nofollow noopener">` }] : []),
  ];
  return `<p class="contact">${contact.text
    .split('\n')
    .map((line) => contactLineHtml(line, links, text))
    .join('<br>')}</p>`;
}

/**
 * One line of a contact block with the address or URL clickable where it appears as written.
 * Matched in the raw text, then each piece escaped: matching inside escaped HTML could find the
 * address across an entity (`&lt;` + `lt;x@…`) and cut the entity in two.
 */
function contactLineHtml(line: string, links: readonly { text: string; open: string }[], text: (plain: string) => string): string {
  for (const link of links) {
    const at = line.indexOf(link.text);
    if (at === -1) continue;
    return `${text(line.slice(0, at))}${link.open}${text(link.text)}</a>${text(line.slice(at + link.text.length))}`;
  }
  return text(line);
}

/** schema.org `about`: the IPTC Media Topics of the categories (docs/outputs.md, Media Topics). */
function mediaTopicsAbout(categories: readonly string[], sourceCategories: readonly string[]): Record<string, unknown> {
  const topics = variantMediaTopics(categories, sourceCategories);
  if (topics.length === 0) return {};
  return { about: topics.map((t) => ({ '@type': 'DefinedTerm', '@id': mediaTopicUri(t.qcode), termCode: t.qcode, name: t.label, inDefinedTermSet: MEDIA_TOPIC_URI_BASE })) };
}

function jsonLd(input: ArticleInput, pageUrl: string, summary: string): string {
  const { site, release, variant, languages, times } = input;
  const source = variant.sourceLanguage;
  const isOriginal = variant.provenance.kind === 'original';
  const data: Record<string, unknown> = {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: fitText(variant.content.headline, MAX_JSON_LD_HEADLINE_LENGTH),
    ...(variant.content.subheadline ? { alternativeHeadline: oneLine(variant.content.subheadline) } : {}),
    description: summary,
    inLanguage: variant.language,
    url: pageUrl,
    mainEntityOfPage: pageUrl,
    identifier: release.id,
    version: String(variant.version),
    ...(times ? { datePublished: times.publishedAt, dateModified: times.updatedAt } : release.date ? { datePublished: release.date } : {}),
    ...(variant.content.categories.length ? { articleSection: variant.content.categories } : {}),
    ...mediaTopicsAbout(variant.content.categories, release.categories),
    ...(publishedPictures(variant.content.body).length
      ? {
          image: publishedPictures(variant.content.body).map(({ asset, alt }) => ({
            '@type': 'ImageObject',
            url: urlOf(site, asset.renditions[0]!.path),
            width: asset.renditions[0]!.width,
            height: asset.renditions[0]!.height,
            ...(alt ? { caption: alt } : {}),
          })),
        }
      : {}),
    isAccessibleForFree: true,
    publisher: { '@type': 'Organization', name: site.title, url: `${site.baseUrl}/` },
    ...(release.sourceTag?.wire ? { sourceOrganization: { '@type': 'Organization', name: release.sourceTag.wire } } : {}),
    ...(isOriginal
      ? {
          workTranslation: languages.filter((l) => l !== variant.language).map((l) => ({ '@id': urlOf(site, paths.page(l, release.id)) })),
        }
      : {
          translationOfWork: { '@id': urlOf(site, paths.page(source, release.id)) },
          ...(variant.provenance.kind === 'machine' || variant.provenance.kind === 'pseudo' ? { translator: { '@type': 'Organization', name: engineDisplayName(variant.provenance.engine, site) } } : {}),
        }),
  };
  return `<script type="application/ld+json">${jsonForHtmlScript(data)}</script>`;
}

/**
 * OpenGraph wants `language_TERRITORY` locales (`de_DE`), while polywire's languages are plain
 * BCP 47 tags (`de`, `zh-Hant`). The territory is the tag's own region when it has one, else the
 * CLDR likely region (Intl.Locale#maximize): de → de_DE, en → en_US, pt → pt_BR, ar → ar_EG,
 * zh-Hans → zh_CN, zh-Hant → zh_TW. A tag without a likely region falls back to the language alone.
 */
export function openGraphLocale(tag: string): string {
  try {
    const locale = new Intl.Locale(tag).maximize();
    return locale.region ? `${locale.language}_${locale.region}` : locale.language;
  } catch {
    return tag.replace(/-/g, '_');
  }
}

/** `og:image` (with size, type and alt) for the first picture: what link previews show. */
function leadImageMeta(site: SiteConfig, body: readonly Block[]): string[][] {
  const lead = publishedPictures(body)[0];
  if (!lead) return [];
  const image = lead.asset.renditions.find((r) => r.contentType !== 'image/webp') ?? lead.asset.renditions[0]!;
  return [
    ['og:image', urlOf(site, image.path)],
    ['og:image:type', image.contentType],
    ['og:image:width', String(image.width)],
    ['og:image:height', String(image.height)],
    ...(lead.alt ? [['og:image:alt', lead.alt]] : []),
  ];
}

/** Renders the article page. */
export function renderArticlePage(input: ArticleInput): string {
  const { site, release, variant, languages, times } = input;
  const lang = variant.language;
  const labels = labelsFor(lang);
  const key = paths.page(lang, release.id);
  const pageUrl = urlOf(site, key);
  const source = variant.sourceLanguage;
  const content = variant.content;
  const summary = summaryOf(variant);
  const title = fitText(content.headline, MAX_TITLE_LENGTH);

  const alternates = [
    ...languages.map((l) => `<link rel="alternate" hreflang="${escapeHtml(l)}" href="${escapeHtml(urlOf(site, paths.page(l, release.id)))}">`),
    `<link rel="alternate" hreflang="x-default" href="${escapeHtml(urlOf(site, paths.page(source, release.id)))}">`,
  ];
  const og = [
    ['og:type', 'article'],
    ['og:title', title],
    ['og:description', summary],
    ['og:url', pageUrl],
    ['og:site_name', site.title],
    ['og:locale', openGraphLocale(lang)],
    ...languages.filter((l) => l !== lang).map((l) => ['og:locale:alternate', openGraphLocale(l)]),
    ...(times
      ? [
          ['article:published_time', times.publishedAt],
          ['article:modified_time', times.updatedAt],
        ]
      : []),
    ...content.categories.map((c) => ['article:section', oneLine(c)]),
    ...leadImageMeta(site, content.body),
  ].map(([property, value]) => `<meta property="${property}" content="${escapeHtml(value!)}">`);
  const head = [
    // Pseudo-localized text is test output, not a translation: keep it out of search engines.
    ...(variant.provenance.kind === 'pseudo' ? ['<meta name="robots" content="noindex">'] : []),
    `<link rel="canonical" href="${escapeHtml(canonicalUrlOf(site, release, source))}">`,
    ...alternates,
    `<link rel="alternate" type="application/vnd.iptc.g2.newsitem+xml" title="NewsML-G2" href="${escapeHtml(urlOf(site, paths.newsml(lang, release.id)))}">`,
    `<link rel="alternate" type="application/rss+xml" title="RSS" href="${escapeHtml(urlOf(site, paths.rss(lang)))}">`,
    `<link rel="alternate" type="application/atom+xml" title="Atom" href="${escapeHtml(urlOf(site, paths.atom(lang)))}">`,
    `<link rel="alternate" type="application/json" title="IPTC ninjs" href="${escapeHtml(urlOf(site, paths.ninjs(lang, release.id)))}">`,
    ...og,
    jsonLd(input, pageUrl, summary),
  ].join('\n');

  const dir = directionOf(lang);
  const text = textHtmlFor(dir);
  const mediaBase = '../'.repeat(key.split('/').length - 1);
  const bodyHtml = bodyHtmlWithDateline(release, variant, { mediaBase });

  const metaParts: string[] = [];
  const published = times?.publishedAt ?? release.date;
  if (published) {
    metaParts.push(`${escapeHtml(labels.published)} <time datetime="${escapeHtml(published)}">${escapeHtml(formatDate(published, lang))}</time>`);
  }
  if (times && times.updatedAt !== times.publishedAt) {
    metaParts.push(`${escapeHtml(labels.updated)} <time datetime="${escapeHtml(times.updatedAt)}">${escapeHtml(formatDate(times.updatedAt, lang))}</time>`);
  }
  if (release.embargo) {
    metaParts.push(`${escapeHtml(labels.embargoedUntil)} <time datetime="${escapeHtml(release.embargo.until)}">${escapeHtml(formatDate(release.embargo.until, lang))}</time>`);
  }

  const categories = content.categories.length
    ? `<ul class="categories" aria-label="${escapeHtml(labels.categories)}">${content.categories
        .map((c) => `<li><a href="${escapeHtml(relativeHref(key, paths.languageIndex(lang, c)))}">${escapeHtml(oneLine(c))}</a></li>`)
        .join('')}</ul>`
    : '';

  const boilerplates = content.boilerplates
    .map((b) => `<section class="boilerplate boilerplate-${b.kind}">${b.title ? `<h2>${escapeHtml(oneLine(b.title))}</h2>` : ''}\n${blocksHtml(b.body, { dir, mediaBase })}</section>`)
    .join('\n');
  const contacts = release.contacts.length ? `<section class="contacts"><h2>${escapeHtml(labels.mediaContact)}</h2>\n${release.contacts.map((c) => contactHtml(c, dir)).join('\n')}</section>` : '';
  const languageList = `<nav class="languages" aria-label="${escapeHtml(labels.otherLanguages)}"><h2>${escapeHtml(labels.otherLanguages)}</h2><ul>${languages
    .map((l) =>
      l === lang
        ? `<li aria-current="page"><span lang="${escapeHtml(l)}">${escapeHtml(nativeNameOf(l))}</span></li>`
        : `<li><a href="${escapeHtml(relativeHref(key, paths.page(l, release.id)))}" hreflang="${escapeHtml(l)}" lang="${escapeHtml(l)}">${escapeHtml(nativeNameOf(l))}</a></li>`,
    )
    .join('')}</ul></nav>`;

  const body = [
    `<header class="site"><a href="${escapeHtml(relativeHref(key, paths.languageIndex(lang)))}">${escapeHtml(site.title)}</a> <a class="all-languages" href="${escapeHtml(relativeHref(key, paths.root()))}">${escapeHtml(labels.allLanguages)}</a></header>`,
    '<main>',
    '<article>',
    provenanceNotice(input, labels, key),
    categories,
    `<h1>${escapeHtml(content.headline)}</h1>`,
    content.subheadline ? `<p class="subheadline">${escapeHtml(content.subheadline)}</p>` : '',
    metaParts.length ? `<p class="meta">${metaParts.join(' · ')}</p>` : '',
    `<div class="body">\n${bodyHtml}\n</div>`,
    content.disclaimer ? `<p class="disclaimer">${text(content.disclaimer)}</p>` : '',
    boilerplates,
    contacts,
    '</article>',
    languageList,
    '</main>',
    `<footer><span>${escapeHtml(labels.feeds)}:</span> <a href="${escapeHtml(relativeHref(key, paths.rss(lang)))}">RSS</a> · <a href="${escapeHtml(relativeHref(key, paths.atom(lang)))}">Atom</a> · <a href="${escapeHtml(relativeHref(key, paths.jsonFeed(lang)))}">JSON Feed</a> · <a href="${escapeHtml(relativeHref(key, paths.ninjs(lang, release.id)))}">IPTC ninjs</a></footer>`,
  ]
    .filter(Boolean)
    .join('\n');

  return htmlDocument({ key, lang, dir: directionOf(lang), title: `${title} – ${site.title}`, description: summary, head, body });
}
