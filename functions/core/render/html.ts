/**
 * Release content (blocks and inlines) as HTML. Every text node is escaped; links survive only
 * with an http(s) or mailto target, everything else (javascript:, data:, relative paths) keeps
 * its text and loses the link.
 */
import type { Block, Inline } from '../release';
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

/** Inline content as HTML. */
export function inlineHtml(content: readonly Inline[]): string {
  return content
    .map((node): string => {
      switch (node.type) {
        case 'text':
          return escapeHtml(node.text);
        case 'break':
          return '<br>';
        case 'em':
          return `<em>${inlineHtml(node.children)}</em>`;
        case 'strong':
          return `<strong>${inlineHtml(node.children)}</strong>`;
        case 'link': {
          const href = safeHref(node.href);
          const text = inlineHtml(node.children);
          return href ? `<a href="${escapeHtml(href)}" rel="nofollow noopener">${text}</a>` : text;
        }
      }
    })
    .join('');
}

/** One block as HTML; `prefix` (already HTML) opens the first paragraph, for the dateline. */
export function blockHtml(block: Block, prefix = ''): string {
  switch (block.type) {
    case 'paragraph':
      return `<p>${prefix}${inlineHtml(block.content)}</p>`;
    case 'quote':
      return `${prefix ? `<p>${prefix}</p>` : ''}<blockquote><p>${inlineHtml(block.content)}</p></blockquote>`;
    case 'heading':
      return `${prefix ? `<p>${prefix}</p>` : ''}<h${block.level}>${inlineHtml(block.content)}</h${block.level}>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      const items = block.items.map((item) => `<li>${inlineHtml(item)}</li>`).join('');
      return `${prefix ? `<p>${prefix}</p>` : ''}<${tag}>${items}</${tag}>`;
    }
  }
}

/** Blocks as HTML, one per line (readable source, stable bytes). */
export function blocksHtml(blocks: readonly Block[]): string {
  return blocks.map((block) => blockHtml(block)).join('\n');
}
