/**
 * HTML releases (an exported article page), and the block extractor that Markdown, Word and ninjs
 * bodies go through too. Input is sanitized with sanitize-html before it is read: scripts, styles,
 * iframes, event handlers and every link that is not http(s) or mailto are gone before any text
 * is taken from it.
 */
import { parseDocument } from 'htmlparser2';
import type { AnyNode, Document, Element } from 'domhandler';
import { findAll, findOne, getAttributeValue, getInnerHTML, textContent } from 'domutils';
import sanitizeHtml from 'sanitize-html';
import { ParseError } from '../errors';
import type { Block, Inline, PictureBlock, TableAlign, TableBlock, TableCell } from '../release';
import { MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, inlineText, isSafeHref } from '../release';
import { PARSE_ERROR_CODES } from './codes';
import type { ReleaseDraft } from './draft';
import { tidyInlines } from './inlines';
import { LIMITS, limitError } from './limits';
import type { SourceBlock } from './structure';

const ALLOWED_TAGS = [
  'article',
  'main',
  'section',
  'header',
  'footer',
  'div',
  'span',
  'hgroup',
  'address',
  'figure',
  'figcaption',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'p',
  'br',
  'hr',
  'blockquote',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'em',
  'i',
  'strong',
  'b',
  'u',
  'cite',
  'q',
  'small',
  'sup',
  'sub',
  'code',
  'pre',
  'time',
  'abbr',
  'mark',
  'del',
  's',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'td',
  'th',
  'caption',
  'img',
];

/** `src` of an image the Word reader took out of the document: `polywire-embedded:<index in media>`. */
export const EMBEDDED_SCHEME = 'polywire-embedded:';

/** Elements whose text is dropped with them (sanitize-html's `nonTextTags`). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'nav', 'form', 'button', 'select'];

/** Sanitizes HTML to the elements a release can carry. Only http(s) and mailto links survive. */
export function sanitizeReleaseHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    // `align` is how marked (GFM) and many exported pages declare a column's alignment.
    allowedAttributes: { a: ['href'], img: ['src', 'alt'], th: ['align', 'colspan', 'scope'], td: ['align', 'colspan'], '*': ['class'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    // Pictures: inline data, Word's embedded images (see docx.ts), relative paths (files uploaded
    // beside the release) and absolute URLs, which are never fetched (see pipeline/pictures.ts).
    allowedSchemesByTag: { img: ['data', 'http', 'https', EMBEDDED_SCHEME.slice(0, -1)] },
    allowedSchemesAppliedToAttributes: ['href'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
  });
}

export interface HtmlExtraction {
  headline?: string;
  subheadline?: string;
  blocks: SourceBlock[];
  /** Picture bytes carried in the upload itself; picture blocks point here with `ref: embedded:<index>`. */
  media: Uint8Array[];
}

export interface ExtractOptions {
  /** The first `<h1>` is the headline (false when the headline came from elsewhere). */
  takeHeadline?: boolean;
  /** Bytes already taken out of the upload (Word images); data URIs are appended. Enables `polywire-embedded:` sources. */
  media?: Uint8Array[];
  /** The upload's name, for limit errors. */
  file?: string;
}

const FLATTEN = 'flatten the markup: a release is a sequence of headings, paragraphs, lists and quotes';

/**
 * Refuses a parsed document over the structural limits (nesting depth, element count, table
 * cells) before anything walks it recursively: measured with an explicit stack, so any depth is
 * safe here, and the walks after it (serializing, reading inlines) stay far below the call stack.
 */
export function checkMarkupLimits(nodes: readonly AnyNode[], file: string): void {
  let elements = 0;
  let cells = 0;
  const stack: Array<[AnyNode, number]> = nodes.map((node) => [node, 1]);
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
    const element = node as Element;
    if (depth > LIMITS.maxNestingDepth) throw limitError('maxNestingDepth', 'elements nested inside each other', `more than ${LIMITS.maxNestingDepth}`, file, FLATTEN);
    if (++elements > LIMITS.maxElements) throw limitError('maxElements', 'elements in the document', `more than ${LIMITS.maxElements.toLocaleString('en')}`, file, FLATTEN);
    if ((element.name === 'td' || element.name === 'th') && ++cells > LIMITS.maxTableCells) {
      throw limitError('maxTableCells', 'table cells', `more than ${LIMITS.maxTableCells.toLocaleString('en')}`, file, 'link to the full table instead of putting it in the release');
    }
    for (const child of element.children) stack.push([child, depth + 1]);
  }
}

const SUBHEADLINE_CLASS = /\b(?:sub-?(?:head(?:line)?|title)|deck|dek|standfirst|subtitle)\b/i;
const INLINE_TAGS = new Set(['a', 'em', 'i', 'strong', 'b', 'u', 'cite', 'q', 'small', 'sup', 'sub', 'code', 'time', 'abbr', 'mark', 'del', 's', 'span', 'br']);

/** Reads sanitized-or-not HTML into blocks (it sanitizes first). */
export function extractHtmlBlocks(html: string, options: ExtractOptions = {}): HtmlExtraction {
  const dom = parseDocument(sanitizeReleaseHtml(html), { decodeEntities: true });
  checkMarkupLimits(dom.children, options.file ?? '');
  const media = options.media ?? [];
  const result: HtmlExtraction = { blocks: [], media };
  let takeHeadline = options.takeHeadline ?? true;
  let expectSubheadline = false;
  let pending: AnyNode[] = [];
  let tables = 0;

  const push = (block: Block, element?: Element, lines?: string[]): void => {
    if (expectSubheadline && block.type === 'paragraph' && isSubheadline(block.content, element)) {
      result.subheadline = inlineText(block.content).replace(/\s+/g, ' ').trim();
      expectSubheadline = false;
      return;
    }
    expectSubheadline = false;
    result.blocks.push({ block, ...(lines && lines.length > 1 ? { lines } : {}) });
  };
  const flush = (): void => {
    const content = tidyInlines(toInlines(pending));
    pending = [];
    if (content.length > 0) push({ type: 'paragraph', content });
  };
  const walk = (nodes: readonly AnyNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        pending.push(node);
        continue;
      }
      if (node.type !== 'tag') continue;
      const element = node as Element;
      const tag = element.name;
      if (INLINE_TAGS.has(tag)) {
        pending.push(element);
        continue;
      }
      flush();
      if (tag === 'img') {
        const picture = readPicture(element, media, options.media !== undefined);
        if (picture) push(picture);
        continue;
      }
      if (tag === 'figure' && findOne((e) => e.name === 'img', element.children)) {
        const caption = findOne((e) => e.name === 'figcaption', element.children);
        const images = findAll((e) => e.name === 'img', element.children);
        images.forEach((img, i) => {
          const picture = readPicture(img, media, options.media !== undefined, i === 0 && caption ? tidyInlines(toInlines(caption.children)) : undefined);
          if (picture) push(picture);
        });
        continue;
      }
      if (tag === 'p' && findOne((e) => e.name === 'img', element.children)) {
        // Markdown puts `![alt](src)` inside a paragraph: the pictures follow the paragraph's text.
        const content = tidyInlines(toInlines(element.children));
        if (content.length > 0) push({ type: 'paragraph', content }, element, sourceLines(element));
        for (const img of findAll((e) => e.name === 'img', element.children)) {
          const picture = readPicture(img, media, options.media !== undefined);
          if (picture) push(picture);
        }
        continue;
      }
      if (tag === 'h1' && takeHeadline) {
        const headline = textContent(element).replace(/\s+/g, ' ').trim();
        if (headline) {
          result.headline = headline;
          takeHeadline = false;
          expectSubheadline = true;
        }
      } else if (/^h[1-6]$/.test(tag)) {
        const content = tidyInlines(toInlines(element.children));
        if (content.length > 0) {
          const level = Math.max(2, Math.min(6, Number(tag[1])));
          if (expectSubheadline && tag === 'h2' && element.parent && (element.parent as Element).name === 'hgroup') {
            result.subheadline = inlineText(content).trim();
            expectSubheadline = false;
          } else push({ type: 'heading', level, content });
        }
      } else if (tag === 'p' || tag === 'dt' || tag === 'dd' || tag === 'figcaption' || tag === 'caption' || tag === 'pre' || tag === 'address') {
        const content = tidyInlines(toInlines(element.children));
        if (content.length > 0) push({ type: 'paragraph', content }, element, sourceLines(element));
      } else if (tag === 'blockquote') {
        const inner = extractHtmlBlocks(getInnerHTML(element), { takeHeadline: false, ...(options.file === undefined ? {} : { file: options.file }) });
        for (const { block } of inner.blocks) {
          push(block.type === 'paragraph' ? { type: 'quote', content: block.content } : block);
        }
      } else if (tag === 'ul' || tag === 'ol') {
        const items = listItems(element);
        if (items.length > 0) push({ type: 'list', ordered: tag === 'ol', items });
      } else if (tag === 'table') {
        const table = readTable(element, ++tables);
        if (table) push(table);
      } else if (tag !== 'hr') {
        // Any other element but a rule (<hr> holds no text): its children.
        walk(element.children);
        flush();
      }
    }
  };
  walk(dom.children);
  flush();
  return result;
}

/** Largest data URI picture read (decoded bytes); the picture step applies the real limit, this only bounds the work here. */
const MAX_DATA_URI_BYTES = 20 * 1024 * 1024;

/**
 * An `<img>` as a picture block with a `ref`: `embedded:<n>` for bytes in the upload (data URI,
 * Word image), else the `src` as written (a relative path or an absolute URL). An image without
 * a usable source is dropped (there is nothing to show).
 */
function readPicture(img: Element, media: Uint8Array[], allowEmbedded: boolean, caption?: Inline[]): PictureBlock | undefined {
  const src = (getAttributeValue(img, 'src') ?? '').trim();
  const alt = (getAttributeValue(img, 'alt') ?? '').replace(/\s+/g, ' ').trim();
  let ref: string | undefined;
  if (src.startsWith(EMBEDDED_SCHEME)) {
    ref = allowEmbedded && /^\d+$/.test(src.slice(EMBEDDED_SCHEME.length)) ? `embedded:${src.slice(EMBEDDED_SCHEME.length)}` : undefined;
  } else if (/^data:/i.test(src)) {
    const match = /^data:([^;,]*)(;base64)?,(.*)$/is.exec(src);
    if (match?.[2] && match[3]!.length <= (MAX_DATA_URI_BYTES * 4) / 3 + 4) {
      media.push(new Uint8Array(Buffer.from(match[3]!, 'base64')));
      ref = `embedded:${media.length - 1}`;
    }
  } else if (src !== '') {
    ref = src;
  }
  if (!ref) return undefined;
  return { type: 'picture', alt, ...(caption && caption.length > 0 ? { caption } : {}), ref };
}

const ALIGN: Record<string, TableAlign> = { left: 'start', right: 'end', center: 'center', start: 'start', end: 'end' };
const childTags = (element: Element, names: readonly string[]): Element[] => element.children.filter((child): child is Element => child.type === 'tag' && names.includes((child as Element).name));

/**
 * Reads a `<table>` (GFM via marked, mammoth's Word tables, exported pages) into a table block.
 * Header rows: the `<thead>` rows, or without a `<thead>` the leading rows made only of `<th>`.
 * A `<th>` in a body row is a row header. `colspan` is expanded into empty cells so that columns
 * (and their alignment) stay aligned; rows are padded to the widest row. A nested table is read
 * as the text of its cell (layout tables in Word exports).
 *
 * @throws ParseError `TOO_LARGE` when the table exceeds the row or column limit.
 */
function readTable(table: Element, ordinal: number): TableBlock | undefined {
  const sections = [table, ...childTags(table, ['thead', 'tbody', 'tfoot'])];
  const rows: { element: Element; inHead: boolean }[] = [];
  // Document order: rows directly in <table> and in its sections.
  const walkRows = (parent: Element, inHead: boolean): void => {
    for (const child of parent.children) {
      if (child.type !== 'tag') continue;
      const element = child as Element;
      if (element.name === 'tr') rows.push({ element, inHead });
      else if (sections.includes(element) && element !== table) walkRows(element, element.name === 'thead');
    }
  };
  walkRows(table, false);
  const captionElement = childTags(table, ['caption'])[0];
  const caption = captionElement ? tidyInlines(toInlines(captionElement.children)) : [];

  const align: (TableAlign | null)[] = [];
  const read = rows.map(({ element, inHead }) => {
    const cells: (TableCell & { th: boolean })[] = [];
    for (const cell of childTags(element, ['td', 'th'])) {
      const column = cells.length;
      const declared = ALIGN[(getAttributeValue(cell, 'align') ?? '').trim().toLowerCase()];
      if (declared && align[column] === undefined) align[column] = declared;
      cells.push({ content: tidyInlines(toInlines(cell.children)), th: cell.name === 'th' });
      const span = Math.min(MAX_TABLE_COLUMNS, Math.max(1, Number.parseInt(getAttributeValue(cell, 'colspan') ?? '1', 10) || 1));
      for (let i = 1; i < span; i++) cells.push({ content: [], th: cell.name === 'th' });
    }
    return { cells, inHead };
  });
  const nonEmpty = read.filter((row) => row.cells.length > 0);
  if (nonEmpty.length === 0) return undefined;
  const width = Math.max(...nonEmpty.map((row) => row.cells.length));
  if (nonEmpty.length > MAX_TABLE_ROWS || width > MAX_TABLE_COLUMNS) {
    throw new ParseError(
      PARSE_ERROR_CODES.TOO_LARGE,
      `table ${ordinal} has ${nonEmpty.length} rows and ${width} columns; the limit is ${MAX_TABLE_ROWS} rows and ${MAX_TABLE_COLUMNS} columns per table`,
      { field: `table ${ordinal}` },
      'split the table, or publish the full data as a separate document and link to it',
    );
  }
  const hasThead = nonEmpty.some((row) => row.inHead);
  let headCount = 0;
  if (hasThead) headCount = nonEmpty.filter((row) => row.inHead).length;
  else while (headCount < nonEmpty.length - 1 && nonEmpty[headCount]!.cells.every((cell) => cell.th)) headCount++;
  const ordered = hasThead ? [...nonEmpty.filter((row) => row.inHead), ...nonEmpty.filter((row) => !row.inHead)] : nonEmpty;
  const toRow = (row: (typeof nonEmpty)[number], head: boolean): TableCell[] => {
    const cells = row.cells.map(({ content, th }): TableCell => ({ content, ...(th && !head ? { header: true as const } : {}) }));
    while (cells.length < width) cells.push({ content: [] });
    return cells;
  };
  const columns = Array.from({ length: width }, (_, i) => align[i] ?? null);
  return {
    type: 'table',
    ...(caption.length > 0 ? { caption } : {}),
    ...(columns.some((a) => a !== null) ? { align: columns } : {}),
    head: ordered.slice(0, headCount).map((row) => toRow(row, true)),
    body: ordered.slice(headCount).map((row) => toRow(row, false)),
  };
}

/**
 * A paragraph's lines as written: split at `<br>` and at newlines in the source, which is how a
 * Markdown author writes a contact block. Used only to recognize contacts and headings.
 */
function sourceLines(element: Element): string[] {
  const collect = (nodes: readonly AnyNode[]): string =>
    nodes.map((node) => (node.type === 'text' ? (node as unknown as { data: string }).data : node.type === 'tag' ? ((node as Element).name === 'br' ? '\n' : collect((node as Element).children)) : '')).join('');
  return collect(element.children)
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

function isSubheadline(content: readonly Inline[], element?: Element): boolean {
  if (element && SUBHEADLINE_CLASS.test(getAttributeValue(element, 'class') ?? '')) return true;
  if (element?.parent && (element.parent as Element).name === 'hgroup') return true;
  // A deck line set entirely in italics directly under the headline.
  return content.length === 1 && content[0]!.type === 'em' && inlineText(content).length <= 300;
}

function listItems(list: Element): Inline[][] {
  const items: Inline[][] = [];
  for (const child of list.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (element.name !== 'li') continue;
    const own = element.children.filter((node) => !(node.type === 'tag' && ['ul', 'ol'].includes((node as Element).name)));
    const ownBlocks = own.flatMap((node) => (node.type === 'tag' && (node as Element).name === 'p' ? (node as Element).children : [node]));
    const content = tidyInlines(toInlines(ownBlocks));
    if (content.length > 0) items.push(content);
    // Nested lists are flattened: the release model has one list level.
    for (const nested of element.children) {
      if (nested.type === 'tag' && ['ul', 'ol'].includes((nested as Element).name)) items.push(...listItems(nested as Element));
    }
  }
  return items;
}

function toInlines(nodes: readonly AnyNode[]): Inline[] {
  const out: Inline[] = [];
  for (const node of nodes) {
    if (node.type === 'text') {
      const text = (node as unknown as { data: string }).data.replace(/[ \t\n\r\f]+/g, ' ');
      if (text) out.push({ type: 'text', text });
      continue;
    }
    if (node.type !== 'tag') continue;
    const element = node as Element;
    const children = toInlines(element.children);
    switch (element.name) {
      case 'br':
        out.push({ type: 'break' });
        break;
      case 'em':
      case 'i':
      case 'cite':
        out.push({ type: 'em', children });
        break;
      case 'strong':
      case 'b':
        out.push({ type: 'strong', children });
        break;
      case 'a': {
        const href = getAttributeValue(element, 'href')?.trim();
        if (href && isSafeHref(href)) out.push({ type: 'link', href, children });
        else out.push(...children);
        break;
      }
      default:
        // Block elements inside inline context (a <div> in a <td>) read as a line of their own.
        if (!INLINE_TAGS.has(element.name) && out.length > 0) out.push({ type: 'text', text: ' ' });
        out.push(...children);
    }
  }
  return out;
}

/** What the page itself declares: `<html lang>`, `<title>`, canonical link, Open Graph article metadata. */
export interface HtmlDocumentMeta {
  language?: string;
  title?: string;
  canonicalUrl?: string;
  published?: string;
  categories: string[];
  /** The part of the page that holds the release: `<article>`, else `<main>`, else `<body>`. */
  contentHtml: string;
}

/**
 * Reads what an HTML page declares about itself (language, title, canonical link, Open Graph
 * article time and tags) and picks the element that holds the release, for the HTML parser.
 *
 * @example
 * const meta = readHtmlDocument('<html lang="fr"><body><article><h1>…</h1></article></body></html>');
 * meta.language; // 'fr'
 */
export function readHtmlDocument(html: string, file = ''): HtmlDocumentMeta {
  const dom: Document = parseDocument(html, { decodeEntities: true });
  checkMarkupLimits(dom.children, file);
  const elements = findAll(() => true, dom.children);
  const byName = (name: string): Element | undefined => elements.find((element) => element.name === name);
  const meta = (property: string): string[] =>
    elements
      .filter((element) => element.name === 'meta' && (getAttributeValue(element, 'property') ?? getAttributeValue(element, 'name'))?.toLowerCase() === property)
      .map((element) => getAttributeValue(element, 'content')?.trim() ?? '')
      .filter(Boolean);
  const htmlElement = byName('html');
  const language =
    getAttributeValue(htmlElement ?? ({} as Element), 'lang')?.trim() ||
    getAttributeValue(htmlElement ?? ({} as Element), 'xml:lang')?.trim() ||
    elements.find((element) => element.name === 'meta' && getAttributeValue(element, 'http-equiv')?.toLowerCase() === 'content-language')?.attribs.content?.trim() ||
    undefined;
  const titleElement = byName('title');
  const title = titleElement ? textContent(titleElement).replace(/\s+/g, ' ').trim() : undefined;
  const canonical = elements.find((element) => element.name === 'link' && getAttributeValue(element, 'rel')?.toLowerCase().split(/\s+/).includes('canonical'));
  const root = findOne((element) => element.name === 'article', dom.children) ?? findOne((element) => element.name === 'main', dom.children) ?? byName('body');
  const hasH1Inside = root ? findOne((element) => element.name === 'h1', root.children) !== null : false;
  const outsideH1 = !hasH1Inside ? byName('h1') : undefined;
  return {
    ...(language ? { language } : {}),
    ...(title ? { title } : {}),
    ...(canonical?.attribs.href ? { canonicalUrl: canonical.attribs.href } : {}),
    ...(meta('article:published_time')[0] ? { published: meta('article:published_time')[0]! } : {}),
    categories: [...meta('article:section'), ...meta('article:tag')],
    contentHtml: `${outsideH1 ? `<h1>${getInnerHTML(outsideH1)}</h1>` : ''}${root ? getInnerHTML(root) : html}`,
  };
}

/** Parses an HTML release page. */
export function parseHtmlRelease(html: string, file: string): ReleaseDraft {
  const page = readHtmlDocument(html, file);
  const extracted = extractHtmlBlocks(page.contentHtml, { file });
  const headline = extracted.headline ?? page.title;
  return {
    ...(headline ? { headline } : {}),
    ...(extracted.subheadline ? { subheadline: extracted.subheadline } : {}),
    blocks: extracted.blocks,
    ...(extracted.media.length > 0 ? { media: extracted.media } : {}),
    ...(page.categories.length > 0 ? { categories: page.categories } : {}),
    meta: {
      ...(page.language ? { language: { value: page.language, location: { field: '<html lang>' } } } : {}),
      ...(page.canonicalUrl ? { canonicalUrl: { value: page.canonicalUrl, location: { field: '<link rel="canonical">' } } } : {}),
      ...(page.published ? { date: { value: page.published, location: { field: '<meta property="article:published_time">' } } } : {}),
    },
  };
}
