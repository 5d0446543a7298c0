/**
 * Release content (blocks and inlines) as HTML. Every text node is escaped; links survive only
 * with an http(s) or mailto target, everything else (javascript:, data:, relative paths) keeps
 * its text and loses the link.
 */
import type { Block, Inline } from '../release';
import { textHtmlFor } from './bidi';
import { escapeHtml } from './text';

const SAFE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * The normalized href when it is an absolute http(s) or mailto URL, otherwise undefined. Parsing
 * with WHATWG URL strips the tabs and newlines attackers use to hide `javascript:`.
 */
export function safeHref(href: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    return undefined;
  }
  return SAFE_PROTOCOLS.has(url.protocol) ? url.href : undefined;
}

/** How text nodes become HTML: escaped, and on right-to-left pages with left-to-right runs isolated. */
export interface HtmlOptions {
  dir?: 'ltr' | 'rtl';
}

/** Inline content as HTML. */
export function inlineHtml(content: readonly Inline[], options: HtmlOptions = {}): string {
  const text = textHtmlFor(options.dir ?? 'ltr');
  return content
    .map((node): string => {
      switch (node.type) {
        case 'text':
          return text(node.text);
        case 'break':
          return '<br>';
        case 'em':
          return `<em>${inlineHtml(node.children, options)}</em>`;
        case 'strong':
          return `<strong>${inlineHtml(node.children, options)}</strong>`;
        case 'link': {
          const href = safeHref(node.href);
          const children = inlineHtml(node.children, options);
          return href ? `<a href="${escapeHtml(href)}" rel="nofollow noopener">${children}</a>` : children;
        }
      }
    })
    .join('');
}

/** One block as HTML; `prefix` (already HTML) opens the first paragraph, for the dateline. */
export function blockHtml(block: Block, prefix = '', options: HtmlOptions = {}): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${prefix}${inlineHtml(block.content, options)}</p>`;
    case 'quote':
      return `${prefix ? `<p>${prefix}</p>` : ''}<blockquote><p>${inlineHtml(block.content, options)}</p></blockquote>`;
    case 'heading':
      return `${prefix ? `<p>${prefix}</p>` : ''}<h${block.level}>${inlineHtml(block.content, options)}</h${block.level}>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const items = block.items.map((item) => `<li>${inlineHtml(item, options)}</li>`).join('');
      return `${prefix ? `<p>${prefix}</p>` : ''}<${tag}>${items}</${tag}>`;
    }
  }
}

/** Blocks as HTML, one per line (readable source, stable bytes). */
export function blocksHtml(blocks: readonly Block[], options: HtmlOptions = {}): string {
  return blocks.map((block) => blockHtml(block, '', options)).join('\n');
}
