/**
 * IPTC NewsML-G2 2.35 `newsItem` of one release in one language, for agency and newsroom ingest
 * (Superdesk, the Canadian Press, AP-style pipelines). It sits next to the ninjs document
 * (`/{lang}/releases/{id}.xml`) and says the same things in G2 terms: the guid is the ninjs `uri`
 * (stable across versions), `version` the release version, `pubStatus` the lifecycle state
 * (`publicationState`), `embargoed` the embargo, a correction is signalled with `sig:correction`,
 * a withdrawal is `stat:canceled` (see `renderCanceledNewsmlItem`). The body is XHTML in
 * `inlineXML`; categories become `subject` elements with their Media Topic qcodes. Validated
 * against the vendored IPTC schema in the e2e suite. Format and example: docs/outputs.md.
 */
import { directionOf } from '../languages';
import { publicationState, type PublicationState } from '../lifecycle';
import type { Release } from '../release';
import { datelineText } from './dateline';
import { blocksHtml } from './html';
import { engineDisplayName } from './labels';
import { categorySubjects, variantMediaTopics, type CategoryTopics } from './media-topics';
import { summaryOf, type ArticleInput } from './page';
import { categorySlug, guidOf, paths, urlOf, type SiteConfig } from './paths';
import { escapeHtml } from './text';
import { oneLine } from '../text';

export const NEWSML_G2_VERSION = '2.35';
/** The IPTC catalog of the 2.35 release: defines the `ninat`, `stat`, `sig`, `irel`, `medtop` … schemes. */
export const IPTC_CATALOG = 'http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_41.xml';
const NAR = 'http://iptc.org/std/nar/2006-10-01/';
const XHTML = 'http://www.w3.org/1999/xhtml';
/**
 * polywire's own schemes: headline roles (`pwhl:subheadline`; IPTC has no code for a subheadline)
 * and identifier types (`pwid:release-id`).
 */
const OWN_CATALOG = '<catalog><scheme alias="pwhl" uri="urn:polywire:scheme:headline-role:"/><scheme alias="pwid" uri="urn:polywire:scheme:id-type:"/></catalog>';

/** XML text and attribute escaping (the HTML escaper's set is valid XML). */
const x = escapeHtml;

/**
 * XHTML from the HTML renderer: its void elements (`<br>`, and `<img>`/`<source>` of pictures)
 * are closed, as XML requires. Attribute values are escaped by the renderer, so no `>` occurs
 * inside a tag.
 */
export function xhtml(html: string): string {
  return html.replace(/<(br|img|source|hr|wbr)(\s[^>]*?)?\s*\/?>/g, (_, name: string, attributes = '') => `<${name}${attributes}/>`);
}

function instant(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, 'Z');
}

export interface NewsmlInput extends ArticleInput {
  /** The lifecycle state; without it, derived from the release at its publication time (fail closed without one). */
  state?: PublicationState;
  /** Category → Media Topic mapping; the shipped default without it. */
  topics?: CategoryTopics;
}

function stateOf(input: NewsmlInput): PublicationState {
  if (input.state) return input.state;
  // No clock in the renderers: the version's publication time stands for "now". Without one, the
  // epoch does (never the issuer's own date: docs/lifecycle.md), so a release with any embargo or
  // schedule is `withheld` rather than leaked.
  return publicationState(input.release, undefined, new Date(input.times?.updatedAt ?? 0));
}

function providerOf(release: Release, site: SiteConfig): string {
  return release.sourceTag?.wire ?? site.title;
}

function itemLink(site: SiteConfig, rel: string, releaseId: string, lang: string): string {
  return `<link rel="${rel}" residref="${x(guidOf(releaseId, lang))}" href="${x(urlOf(site, paths.newsml(lang, releaseId)))}" contenttype="application/vnd.iptc.g2.newsitem+xml"/>`;
}

/**
 * Renders the `newsItem` document.
 *
 * @example
 * renderNewsmlItem({ site, release, variant, languages: ['de', 'en'], times })
 * // <newsItem … guid="urn:polywire:<id>:en" version="1" standardversion="2.35" xml:lang="en">…
 */
export function renderNewsmlItem(input: NewsmlInput): string {
  const { site, release, variant, languages, times } = input;
  const lang = variant.language;
  const content = variant.content;
  const state = stateOf(input);
  const isOriginal = lang === variant.sourceLanguage;
  const versionCreated = times?.updatedAt ?? release.date;
  const subjects = categorySubjects(content.categories, release.categories, input.topics);
  const provider = providerOf(release, site);
  const dir = directionOf(lang);
  const engine = engineDisplayName(variant.provenance.engine, site);
  const edNote =
    variant.provenance.kind === 'machine'
      ? `Machine translation from ${variant.sourceLanguage} by ${engine}; the ${variant.sourceLanguage} original is authoritative.`
      : variant.provenance.kind === 'pseudo'
        ? `Pseudo-localized test text by ${engine}: not a translation, not for publication.`
        : variant.provenance.kind === 'human'
          ? `Translation from ${variant.sourceLanguage} supplied by the issuer.`
          : undefined;

  const itemMeta = [
    '<itemClass qcode="ninat:text"/>',
    `<provider literal="${x(categorySlug(provider))}"><name>${x(oneLine(provider))}</name></provider>`,
    `<versionCreated>${instant(versionCreated ?? new Date(0).toISOString())}</versionCreated>`,
    ...(times ? [`<firstCreated>${instant(times.publishedAt)}</firstCreated>`] : []),
    ...(release.embargo ? [`<embargoed>${instant(release.embargo.until)}</embargoed>`] : []),
    `<pubStatus qcode="stat:${state.pubStatus}"/>`,
    '<generator>polywire</generator>',
    ...(edNote ? [`<edNote>${x(edNote)}</edNote>`] : []),
    // IPTC: a version that corrects an earlier one carries the correction signal.
    ...(variant.version > 1 ? ['<signal qcode="sig:correction"/>'] : []),
    `<link rel="irel:seeAlso" href="${x(urlOf(site, paths.page(lang, release.id)))}" contenttype="text/html"/>`,
    ...(isOriginal ? [] : [itemLink(site, 'irel:translationOf', release.id, variant.sourceLanguage)]),
    ...languages.filter((l) => l !== lang && l !== variant.sourceLanguage).map((l) => itemLink(site, 'irel:seeAlso', release.id, l)),
  ];

  const subjectElements = [
    ...variantMediaTopics(content.categories, release.categories, input.topics).map((t) => `<subject type="cpnat:abstract" qcode="${x(t.qcode)}"><name xml:lang="en">${x(t.label)}</name></subject>`),
    // Every category as the wire wrote it, coded or not, so nothing is lost for a human filer.
    ...subjects.map((s) => `<subject type="cpnat:abstract" literal="${x(categorySlug(s.name))}"><name>${x(oneLine(s.name))}</name></subject>`),
  ];
  const dateline = release.sourceTag ? datelineText(release.sourceTag, lang, isOriginal) : undefined;
  const contentMeta = [
    ...(release.date ? [`<contentCreated>${instant(release.date)}</contentCreated>`] : []),
    ...(release.sourceTag?.place ? [`<located><name>${x(release.sourceTag.place)}</name></located>`] : []),
    ...(release.sourceTag?.wire ? [`<infoSource role="isrol:originfo"><name>${x(release.sourceTag.wire)}</name></infoSource>`] : []),
    `<altId type="pwid:release-id">${x(release.id)}</altId>`,
    `<language tag="${x(lang)}"/>`,
    ...subjectElements,
    `<slugline>${x(release.id)}</slugline>`,
    `<headline>${x(oneLine(content.headline))}</headline>`,
    ...(content.subheadline ? [`<headline role="pwhl:subheadline">${x(oneLine(content.subheadline))}</headline>`] : []),
    ...(dateline ? [`<dateline>${x(oneLine(dateline))}</dateline>`] : []),
    `<creditline>${x(oneLine(provider))}</creditline>`,
    `<description role="drol:summary">${x(summaryOf(variant))}</description>`,
  ];

  const body = [
    `<h1>${x(oneLine(content.headline))}</h1>`,
    ...(content.subheadline ? [`<h2>${x(oneLine(content.subheadline))}</h2>`] : []),
    ...(dateline ? [`<p class="dateline">${x(oneLine(dateline))}</p>`] : []),
    xhtml(blocksHtml(content.body, { dir })),
    ...(content.disclaimer ? [`<p class="disclaimer">${x(content.disclaimer)}</p>`] : []),
    ...content.boilerplates.map((b) => `<div class="boilerplate">${b.title ? `<h2>${x(oneLine(b.title))}</h2>` : ''}${xhtml(blocksHtml(b.body, { dir }))}</div>`),
    ...release.contacts.map((c) => `<pre class="contact">${x(c.text)}</pre>`),
  ];

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<newsItem xmlns="${NAR}" guid="${x(guidOf(release.id, lang))}" version="${variant.version}" standard="NewsML-G2" standardversion="${NEWSML_G2_VERSION}" conformance="power" xml:lang="${x(lang)}">`,
    `  <catalogRef href="${IPTC_CATALOG}"/>`,
    `  ${OWN_CATALOG}`,
    '  <itemMeta>',
    ...itemMeta.map((line) => `    ${line}`),
    '  </itemMeta>',
    '  <contentMeta>',
    ...contentMeta.map((line) => `    ${line}`),
    '  </contentMeta>',
    '  <contentSet>',
    `    <inlineXML contenttype="application/xhtml+xml" xml:lang="${x(lang)}" dir="${dir}">`,
    `<html xmlns="${XHTML}" xml:lang="${x(lang)}" dir="${dir}"><head><title>${x(oneLine(content.headline))}</title></head><body>`,
    body.join('\n'),
    '</body></html>',
    '    </inlineXML>',
    '  </contentSet>',
    '</newsItem>',
    '',
  ].join('\n');
}

export interface CanceledNewsmlInput {
  site: SiteConfig;
  releaseId: string;
  language: string;
  /** The last published version: the canceled item is the next state of that item. */
  version: number;
  publishedAt: string;
  withdrawnAt: string;
  reason: string;
}

/**
 * The `newsItem` that replaces a withdrawn release: `stat:canceled`, the reason as an editorial
 * note, no content. IPTC: a receiver must remove the item when it sees `stat:canceled`.
 */
export function renderCanceledNewsmlItem(input: CanceledNewsmlInput): string {
  const { site, releaseId, language: lang } = input;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<newsItem xmlns="${NAR}" guid="${x(guidOf(releaseId, lang))}" version="${input.version}" standard="NewsML-G2" standardversion="${NEWSML_G2_VERSION}" conformance="power" xml:lang="${x(lang)}">`,
    `  <catalogRef href="${IPTC_CATALOG}"/>`,
    `  ${OWN_CATALOG}`,
    '  <itemMeta>',
    '    <itemClass qcode="ninat:text"/>',
    `    <provider literal="${x(categorySlug(site.title))}"><name>${x(site.title)}</name></provider>`,
    `    <versionCreated>${instant(input.withdrawnAt)}</versionCreated>`,
    `    <firstCreated>${instant(input.publishedAt)}</firstCreated>`,
    '    <pubStatus qcode="stat:canceled"/>',
    '    <generator>polywire</generator>',
    `    <edNote>${x(`Withdrawn: ${input.reason}`)}</edNote>`,
    '  </itemMeta>',
    '  <contentMeta>',
    `    <altId type="pwid:release-id">${x(releaseId)}</altId>`,
    `    <language tag="${x(lang)}"/>`,
    `    <slugline>${x(releaseId)}</slugline>`,
    '  </contentMeta>',
    '</newsItem>',
    '',
  ].join('\n');
}
