/**
 * IPTC ninjs 3.1 (News in JSON) document of one release in one language. The other language
 * versions are `associations` (ninjs 3.x has no `links`): each a minimal ninjs object with its
 * `uri`, `language` and renditions pointing at its page and its own ninjs document.
 */
import type { Variant } from '../variant';
import { blockText, inlineText } from '../release';
import { directionOf } from '../languages';
import { bodyHtmlWithDateline } from './dateline';
import { blocksHtml, publishedPictures } from './html';
import { engineDisplayName } from './labels';
import { summaryOf, type ArticleInput } from './page';
import { categorySlug, guidOf, paths, urlOf, type SiteConfig } from './paths';
import { escapeHtml } from './text';
import { mediaTopicUri, variantMediaTopics } from './media-topics';
import { oneLine } from '../text';

export const NINJS_SCHEMA_URI = 'http://www.iptc.org/std/ninjs/ninjs-schema_3.1.json#';

/** Built on first use: an ICU object loads locale data, a cold-start cost otherwise (bench/cold-start.ts). */
let words: Intl.Segmenter | undefined;

/**
 * Longest piece handed to the word segmenter at once. V8's segmenter iterator gets slower per
 * word as the string grows (a 100,000-character body took 1.8 s in one pass, 44 ms in
 * paragraphs), so long texts are cut into pieces of about this size first.
 */
const SEGMENT_CHUNK_CHARS = 2_000;

/**
 * Cuts `text` into pieces of at most about `SEGMENT_CHUNK_CHARS`, each ending in whitespace where
 * there is any, so that no word is split (whitespace is always a word boundary). A run without
 * whitespace that long (Chinese, Japanese, Thai) is cut after a sentence mark or, failing that,
 * anywhere outside a surrogate pair: at most one word per 2,000 characters may then count twice.
 */
function chunksOf(text: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (text.length - start > SEGMENT_CHUNK_CHARS) {
    const window = text.slice(start, start + SEGMENT_CHUNK_CHARS);
    let cut = Math.max(window.lastIndexOf(' '), window.lastIndexOf('\n'), window.lastIndexOf('\u3000'));
    if (cut <= 0) cut = Math.max(window.lastIndexOf('。'), window.lastIndexOf('！'), window.lastIndexOf('？'));
    let end = cut > 0 ? start + cut + 1 : start + SEGMENT_CHUNK_CHARS;
    if (cut <= 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  chunks.push(text.slice(start));
  return chunks;
}

/**
 * Word count that also works for scripts without spaces (Japanese, Chinese, Thai): Unicode word
 * segmentation, block by block and in bounded pieces so that it stays linear in the length.
 */
function wordCount(texts: readonly string[]): number {
  let count = 0;
  words ??= new Intl.Segmenter(undefined, { granularity: 'word' });
  for (const text of texts) {
    for (const chunk of chunksOf(text)) for (const segment of words.segment(chunk)) if (segment.isWordLike) count += 1;
  }
  return count;
}

/** RFC 3339 instant in UTC: the schema's `date-time` wants seconds, which inputs may omit. */
function instant(iso: string): string {
  return new Date(iso).toISOString();
}

function plainText(blockTexts: readonly string[]): string {
  return blockTexts.join('\n\n');
}

function renditionsOf(site: SiteConfig, lang: string, releaseId: string) {
  return [
    { name: 'html', href: urlOf(site, paths.page(lang, releaseId)), contentType: 'text/html' },
    { name: 'ninjs', href: urlOf(site, paths.ninjs(lang, releaseId)), contentType: 'application/json' },
  ];
}

function provenanceNote(variant: Variant, site: SiteConfig): string | undefined {
  const engine = engineDisplayName(variant.provenance.engine, site);
  switch (variant.provenance.kind) {
    case 'machine':
      return `Machine translation from ${variant.sourceLanguage} by ${engine}; the ${variant.sourceLanguage} original is authoritative.`;
    case 'pseudo':
      return `Pseudo-localized test text by ${engine}: not a translation, not for publication.`;
    case 'human':
      return `Translation from ${variant.sourceLanguage} supplied by the issuer.`;
    default:
      return undefined;
  }
}

/** Renders the ninjs document (pretty-printed JSON, stable key order). */
export function renderNinjs(input: ArticleInput): string {
  const { site, release, variant, languages, times } = input;
  const lang = variant.language;
  const content = variant.content;
  const blockTexts = content.body.map(blockText);
  const bodyText = plainText(blockTexts);
  // Blocks are joined by blank lines, which always separate words: counting per block is exact.
  const bodyWords = wordCount(blockTexts);
  const versionCreated = times?.updatedAt ?? release.date;
  const note = provenanceNote(variant, site);

  const infoSources = [
    ...(release.sourceTag?.wire ? [{ name: release.sourceTag.wire, role: 'distributor' }] : []),
    ...(variant.provenance.kind === 'machine' || variant.provenance.kind === 'pseudo' ? [{ name: engineDisplayName(variant.provenance.engine, site), role: 'translator', literal: variant.provenance.engine }] : []),
  ];

  const document = {
    standard: { name: 'ninjs', version: '3.1', schema: NINJS_SCHEMA_URI },
    uri: guidOf(release.id, lang),
    type: 'text',
    representationType: 'full',
    profile: 'polywire-press-release',
    version: String(variant.version),
    ...(times ? { firstCreated: instant(times.publishedAt) } : {}),
    ...(versionCreated ? { versionCreated: instant(versionCreated) } : {}),
    ...(release.embargo ? { embargoedUntil: instant(release.embargo.until) } : {}),
    pubStatus: 'usable',
    ...(note ? { edNote: note } : {}),
    language: lang,
    slugline: release.id,
    // The place as this language writes it (translated with the content), else as the source wrote it.
    ...((content.place ?? release.sourceTag?.place) ? { located: content.place ?? release.sourceTag?.place } : {}),
    headlines: [{ role: 'main', contentType: 'text/plain', value: content.headline }, ...(content.subheadline ? [{ role: 'sub', contentType: 'text/plain', value: content.subheadline }] : [])],
    descriptions: [{ role: 'summary', contentType: 'text/plain', value: summaryOf(variant) }],
    bodies: [
      {
        role: 'main',
        contentType: 'text/html',
        charCount: bodyText.length,
        wordCount: bodyWords,
        value: bodyHtmlWithDateline(release, variant, { mediaBase: `${site.baseUrl}/` }),
      },
      { role: 'main', contentType: 'text/plain', charCount: bodyText.length, wordCount: bodyWords, value: bodyText },
      ...(content.disclaimer ? [{ role: 'disclaimer', contentType: 'text/plain', value: content.disclaimer }] : []),
      ...content.boilerplates.map((b) => ({
        role: 'boilerplate',
        contentType: 'text/html',
        value: `${b.title ? `<h2>${escapeHtml(oneLine(b.title))}</h2>\n` : ''}${blocksHtml(b.body, { dir: directionOf(lang), mediaBase: `${site.baseUrl}/` })}`,
      })),
      ...release.contacts.map((c) => ({ role: 'contact', contentType: 'text/plain', value: c.text })),
    ],
    subjects: [
      ...content.categories.map((name) => ({
        name: oneLine(name),
        rel: 'category',
        literal: categorySlug(name),
        uri: urlOf(site, paths.languageIndex(lang, name)),
      })),
      // The categories' IPTC Media Topics (same codes in every language; docs/outputs.md).
      ...variantMediaTopics(content.categories, release.categories).map((t) => ({
        name: t.label,
        rel: 'about',
        uri: mediaTopicUri(t.qcode),
        literal: t.qcode,
      })),
    ],
    ...(infoSources.length ? { infoSources } : {}),
    altIds: [
      { role: 'release-id', value: release.id },
      { role: 'source-sha256', value: release.source.sha256 },
    ],
    renditions: renditionsOf(site, lang, release.id),
    associations: [
      ...languages
        .filter((l) => l !== lang)
        .map((l) => ({
          name: l,
          rel: l === variant.sourceLanguage ? 'original' : 'translation',
          uri: guidOf(release.id, l),
          type: 'text',
          language: l,
          renditions: renditionsOf(site, l, release.id),
        })),
      // Pictures of the body and boilerplates, with their web renditions and alt text in this language.
      ...publishedPictures([...content.body, ...content.boilerplates.flatMap((b) => b.body)]).map((picture, i) => ({
        name: `picture-${i + 1}`,
        rel: 'picture',
        uri: `urn:polywire:media:${picture.asset.sha256}`,
        type: 'picture',
        ...(picture.alt ? { descriptions: [{ role: 'alt', contentType: 'text/plain', value: picture.alt }] } : {}),
        ...(picture.caption ? { headlines: [{ role: 'caption', contentType: 'text/plain', value: inlineText(picture.caption) }] } : {}),
        renditions: picture.asset.renditions.map((r) => ({
          name:
            r.path
              .split('/')
              .at(-1)!
              .replace(/\.[a-z]+$/, '') + (r.contentType === 'image/webp' ? '-webp' : ''),
          href: urlOf(site, r.path),
          contentType: r.contentType,
          width: r.width,
          height: r.height,
        })),
      })),
    ],
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
