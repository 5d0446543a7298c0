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
import type { Block, Inline } from '../release';
import { inlineText, isSafeHref } from '../release';
import type { ReleaseDraft } from './draft';
import { tidyInlines } from './inlines';
import { LIMITS, limitError } from './limits';
import type { SourceBlock } from './structure';

const ALLOWED_TAGS = [
  'article', 'main', 'section', 'header', 'footer', 'div', 'span', 'hgroup', 'address', 'figure', 'figcaption',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'ul', 'ol', 'li', 'dl', 'dt', 'dd',
  'a', 'em', 'i', 'strong', 'b', 'u', 'cite', 'q', 'small', 'sup', 'sub', 'code', 'pre', 'time', 'abbr', 'mark', 'del', 's',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th', 'caption',
];

/** Elements whose text is dropped with them (sanitize-html's `nonTextTags`). */
const DROPPED_WITH_CONTENT = ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'head', 'template', 'svg', 'math', 'iframe', 'object', 'embed', 'nav', 'form', 'button', 'select'];

/** Sanitizes HTML to the elements a release can carry. Only http(s) and mailto links survive. */
export function sanitizeReleaseHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'], '*': ['class'] },
    allowedSchemes: ['http', 'https', 'mailto'],
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
}

export interface ExtractOptions {
  /** The first `<h1>` is the headline (false when the headline came from elsewhere). */
  takeHeadline?: boolean;
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
  const result: HtmlExtraction = { blocks: [] };
  let takeHeadline = options.takeHeadline ?? true;
  let expectSubheadline = false;
  let pending: AnyNode[] = [];

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
      } else if (tag === 'tr') {
        const cells = element.children.filter((child): child is Element => child.type === 'tag');
        const text = cells.map((cell) => textContent(cell).replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ');
        if (text) push({ type: 'paragraph', content: [{ type: 'text', text }] });
      } else if (tag === 'hr') {
        continue;
      } else {
        walk(element.children);
        flush();
      }
    }
  };
  walk(dom.children);
  flush();
  return result;
}

/**
 * A paragraph's lines as written: split at `<br>` and at newlines in the source, which is how a
 * Markdown author writes a contact block. Used only to recognize contacts and headings.
 */
function sourceLines(element: Element): string[] {
  const collect = (nodes: readonly AnyNode[]): string =>
    nodes.map((node) => (node.type === 'text' ? (node as unknown as { data: string }).data : node.type === 'tag' ? ((node as Element).name === 'br' ? '\n' : collect((node as Element).children)) : '')).join('');
  return collect(element.children).split('\n').map((line) => line.replace(/\s+/g, ' ').trim()).filter(Boolean);
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
    elements.find((element) => element.name === 'meta' && getAttributeValue(element, 'http-equiv')?.toLowerCase() === 'content-language')?.attribs['content']?.trim() ||
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
    ...(canonical?.attribs['href'] ? { canonicalUrl: canonical.attribs['href'] } : {}),
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
    ...(page.categories.length > 0 ? { categories: page.categories } : {}),
    meta: {
      ...(page.language ? { language: { value: page.language, location: { field: '<html lang>' } } } : {}),
      ...(page.canonicalUrl ? { canonicalUrl: { value: page.canonicalUrl, location: { field: '<link rel="canonical">' } } } : {}),
      ...(page.published ? { date: { value: page.published, location: { field: '<meta property="article:published_time">' } } } : {}),
    },
  };
}
