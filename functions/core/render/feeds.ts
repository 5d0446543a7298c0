/**
 * RSS 2.0, Atom 1.0 and JSON Feed 1.1 for one language (or language × category), with the `feed`
 * package. What `feed` 6 does not do is patched here, each for a reason:
 * - Atom gets `xml:lang` on `<feed>` (the package has no language option for Atom).
 * - JSON Feed is raised from 1.0 to 1.1 (`language`, `authors`) and its `summary` and `title`
 *   are plain text, as the spec wants.
 * - Text fields (item titles in all three formats, the JSON Feed summary) carry no markup at all:
 *   tag-shaped sequences are removed (`feedText`). Escaping alone is not enough, because many
 *   readers render an RSS title as HTML, so `</title><script>…` must not reach them even as text.
 * - Atom titles are `type="html"` in the package, so they are HTML-escaped first; RSS titles are
 *   plain text in CDATA, and the package splits only the first `]]>` of a CDATA section, so the
 *   (pathological) sequence gets a zero-width space.
 * - Atom category attributes are not escaped for `<` by the package; the rare `<` in a category
 *   name becomes a full-width `＜` there.
 * - Atom entries link the release's NewsML-G2 item too (`rel="alternate"` of its IPTC media type,
 *   next to the page): the Atom feed and its RFC 5005 archive are the NewsML-G2 feed of the
 *   language, with no further file to write per publish (docs/outputs.md, "NewsML-G2 feed").
 * The generator string and every date come from inputs, so unchanged inputs give identical bytes.
 */
import type { Feed, Item } from 'feed';
import type sanitizeHtml from 'sanitize-html';
import { directionOf } from '../languages';
import { textHtmlFor } from './bidi';
import { tableHtml } from './html';
import type { FeedEntry } from '../variant';
import { engineDisplayName, labelsFor, nativeNameOf } from './labels';
import { guidOf, paths, urlOf, type SiteConfig } from './paths';
import { escapeHtml, fitText } from './text';
import { oneLine } from '../text';

/** Most items in one feed (Google News and feed readers expect about 50). */
export const MAX_FEED_ITEMS = 50;
/** Longest item title in a feed, in grapheme clusters. */
export const MAX_FEED_TITLE_LENGTH = 200;
export const FEED_GENERATOR = 'polywire';

export interface LanguageFeedInput {
  site: SiteConfig;
  language: string;
  category?: string;
  /** Newest first; only the first `MAX_FEED_ITEMS` are used. */
  entries: readonly FeedEntry[];
  /** ISO instant of the newest change (the newest entry's `updatedAt`). */
  updatedAt: string;
}

export interface RenderedFeeds {
  rss: string;
  atom: string;
  json: string;
}

/** Feed title: newsroom, language, and category when there is one. */
export function feedTitle(site: SiteConfig, language: string, category?: string): string {
  return [site.title, nativeNameOf(language), ...(category ? [oneLine(category)] : [])].join(' – ');
}

function provenanceText(entry: FeedEntry, engine: string): string | undefined {
  const labels = labelsFor(entry.language);
  switch (entry.provenance.kind) {
    case 'machine':
      return labels.machineTranslated.replace('{engine}', () => engine);
    case 'pseudo':
      return labels.pseudoLocalized.replace('{engine}', () => engine);
    case 'human':
      return labels.humanTranslated;
    default:
      return undefined;
  }
}

/**
 * The feed libraries, once loaded: `feed` (with xml-js) and sanitize-html (with htmlparser2
 * and entities, whose decode tables are built when it loads). Together the largest non-SDK share
 * of publish's start-up code, yet only jobs that render feeds use them, so they are imported on
 * first use (lazy chunks in the function's asset). `renderFeeds` refuses to render before they
 * are loaded: item HTML is never left unsanitized.
 */
let libraries: { Feed: typeof Feed; sanitize: typeof sanitizeHtml } | undefined;

/**
 * Loads what `renderFeeds` needs; await it before `renderFeeds` or a renderer calling it
 * (`renderLanguageFiles`, `renderArchivePage`). Cheap after the first call.
 */
export async function loadFeedRenderer(): Promise<void> {
  if (libraries) return;
  const [{ Feed }, { default: sanitize }] = await Promise.all([import('feed'), import('sanitize-html')]);
  libraries = { Feed, sanitize };
}

function loaded(): NonNullable<typeof libraries> {
  if (!libraries) throw new Error('feeds need their libraries: await loadFeedRenderer() before rendering feeds');
  return libraries;
}

/** Item content: the summary, the provenance note and a link to the page, as sanitized HTML. */
function itemContentHtml(entry: FeedEntry, pageUrl: string, engine: string): string {
  const note = provenanceText(entry, engine);
  const html = [
    // Right-to-left items isolate their numbers, addresses and Latin names (see bidi.ts).
    entry.summary ? `<p>${textHtmlFor(directionOf(entry.language))(entry.summary)}</p>` : '',
    note ? `<p><em>${escapeHtml(note)}</em></p>` : '',
    ...(entry.tables ?? []).map((table) => tableHtml(table, { dir: directionOf(entry.language) })),
    `<p><a href="${escapeHtml(pageUrl)}">${escapeHtml(pageUrl)}</a></p>`,
  ].join('');
  // Built from escaped text already; the allowlist is a second fence should that ever change.
  return loaded().sanitize(html, {
    allowedTags: ['p', 'a', 'em', 'strong', 'br', 'bdi', 'table', 'caption', 'thead', 'tbody', 'tr', 'th', 'td'],
    allowedAttributes: { a: ['href'], bdi: ['dir'], th: ['scope'] },
    allowedSchemes: ['http', 'https', 'mailto'],
  });
}

type TitleStyle = 'plain' | 'html' | 'cdata';

/** Tags, comments, declarations: `<` followed by a letter, `/`, `!` or `?`, up to the next `>`. */
const TAG_SHAPED = /<[/!?]?[A-Za-z!?][^<>]*>/g;

/**
 * A text field's value with everything that looks like markup removed (a headline written as
 * `Acme </title><script>…</script>` reads `Acme …`), whitespace collapsed. A lone `<` as in
 * `a < b` stays. Linear: each attempt stops at the next `<` or `>`.
 *
 * @example
 * feedText('Acme </title><script>alert(0)</script> opens'); // 'Acme alert(0) opens'
 */
export function feedText(value: string): string {
  return oneLine(value.replace(TAG_SHAPED, ' '));
}

function styledTitle(headline: string, style: TitleStyle): string {
  const title = fitText(feedText(headline), MAX_FEED_TITLE_LENGTH);
  if (style === 'html') return escapeHtml(title);
  if (style === 'cdata') return title.replace(/\]\]>/g, ']]\u200B>');
  return title;
}

/** What every entry contributes alike to the three formats: computed once per render, not per format. */
interface PreparedEntry {
  entry: FeedEntry;
  pageUrl: string;
  guid: string;
  /** Sanitized item HTML (sanitize-html parses it: the costliest part of an item). */
  content: string;
}

/**
 * Most sanitized item contents remembered (a few KiB each): enough for every entry of the feeds
 * one invocation renders (15 languages × 50 entries, and their category feeds share them).
 */
const MAX_REMEMBERED_CONTENTS = 2_000;

/**
 * Item HTML by what it is made of. A feed is rendered again on every publish into its language,
 * with 49 of its 50 entries unchanged, and a category feed repeats entries of the language feed:
 * sanitizing each of them again was the larger part of a feed's render time. A pure function of
 * its key, so a remembered value is exactly what would be computed (the oldest is forgotten first).
 */
const rememberedContents = new Map<string, string>();

function itemContent(entry: FeedEntry, pageUrl: string, engine: string): string {
  const key = JSON.stringify([pageUrl, entry.language, entry.summary, entry.provenance, engine, entry.tables ?? null]);
  let content = rememberedContents.get(key);
  if (content === undefined) {
    content = itemContentHtml(entry, pageUrl, engine);
    if (rememberedContents.size >= MAX_REMEMBERED_CONTENTS) rememberedContents.delete(rememberedContents.keys().next().value!);
  } else {
    rememberedContents.delete(key);
  }
  rememberedContents.set(key, content);
  return content;
}

function prepareEntries(input: LanguageFeedInput): PreparedEntry[] {
  return input.entries.slice(0, MAX_FEED_ITEMS).map((entry) => {
    const pageUrl = urlOf(input.site, paths.page(entry.language, entry.releaseId));
    return { entry, pageUrl, guid: guidOf(entry.releaseId, entry.language), content: itemContent(entry, pageUrl, engineDisplayName(entry.provenance.engine, input.site)) };
  });
}

function buildFeed(input: LanguageFeedInput, prepared: readonly PreparedEntry[], style: TitleStyle): Feed {
  const { site, language, category } = input;
  const indexUrl = urlOf(site, paths.languageIndex(language, category));
  const labels = labelsFor(language);
  const feed = new (loaded().Feed)({
    id: indexUrl,
    title: feedTitle(site, language, category),
    description: `${labels.latest} – ${nativeNameOf(language)}${category ? ` – ${oneLine(category)}` : ''}`,
    link: indexUrl,
    language,
    updated: new Date(input.updatedAt),
    generator: FEED_GENERATOR,
    author: { name: site.title, link: `${site.baseUrl}/` },
    feedLinks: {
      rss: urlOf(site, paths.rss(language, category)),
      atom: urlOf(site, paths.atom(language, category)),
      json: urlOf(site, paths.jsonFeed(language, category)),
    },
  });
  for (const { entry, pageUrl, guid, content } of prepared) {
    const item: Item = {
      title: styledTitle(entry.headline, style),
      id: guid,
      guid,
      link: pageUrl,
      date: new Date(entry.updatedAt),
      published: new Date(entry.publishedAt),
      description: escapeHtml(entry.summary),
      content,
      ...(entry.image ? { image: { url: urlOf(site, entry.image.path), type: entry.image.contentType, length: entry.image.bytes } } : {}),
      category: entry.categories.map((name) => {
        const label = style === 'html' ? oneLine(name).replace(/</g, '＜') : oneLine(name);
        return { name: label, term: label };
      }),
    };
    feed.addItem(item);
  }
  return feed;
}

const ATOM_ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';

/** The media type of a NewsML-G2 `newsItem` document (IPTC). */
export const NEWSML_G2_ITEM_TYPE = 'application/vnd.iptc.g2.newsitem+xml';

/**
 * Adds to each Atom entry, after its page link, a link to the release's NewsML-G2 item. Entries
 * are matched by order (the package writes them in the order given); no `<entry>` can occur in
 * an entry's text, whose titles lose tag-shaped text and whose content is escaped and sanitized.
 */
function withNewsmlLinks(atom: string, site: SiteConfig, prepared: readonly PreparedEntry[]): string {
  const parts = atom.split('<entry>');
  if (parts.length - 1 !== prepared.length) throw new Error('feed package changed its Atom entries; update withNewsmlLinks');
  return parts
    .map((part, index) => {
      if (index === 0) return part;
      const { entry } = prepared[index - 1]!;
      const start = part.indexOf('<link href="');
      const end = start < 0 ? -1 : part.indexOf('/>', start);
      if (end < 0) throw new Error('feed package changed its Atom entry links; update withNewsmlLinks');
      const href = urlOf(site, paths.newsml(entry.language, entry.releaseId));
      return `<entry>${part.slice(0, end + 2)}\n        <link rel="alternate" type="${NEWSML_G2_ITEM_TYPE}" href="${escapeHtml(href)}"/>${part.slice(end + 2)}`;
    })
    .join('');
}

/** Renders RSS 2.0, Atom 1.0 and JSON Feed 1.1. */
export function renderFeeds(input: LanguageFeedInput): RenderedFeeds {
  const prepared = prepareEntries(input);
  const rss = buildFeed(input, prepared, 'cdata').rss2();

  const atomRaw = buildFeed(input, prepared, 'html').atom1();
  if (!atomRaw.includes(ATOM_ROOT)) throw new Error('feed package changed its Atom root element; update renderFeeds');
  const atom = withNewsmlLinks(atomRaw.replace(ATOM_ROOT, `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(input.language)}">`), input.site, prepared);

  const json = JSON.parse(buildFeed(input, prepared, 'plain').json1()) as Record<string, unknown> & {
    author?: Record<string, unknown>;
    items: Record<string, unknown>[];
  };
  const entries = input.entries.slice(0, MAX_FEED_ITEMS);
  const jsonFeed = {
    ...json,
    version: 'https://jsonfeed.org/version/1.1',
    language: input.language,
    // 1.1 replaced `author` with `authors`; `author` stays for 1.0 readers, as the spec allows.
    ...(json.author ? { authors: [json.author] } : {}),
    items: json.items.map((item, i) => ({ ...item, summary: feedText(entries[i]!.summary) })),
  };
  return { rss: `${rss}\n`, atom: `${atom}\n`, json: `${JSON.stringify(jsonFeed, null, 2)}\n` };
}
