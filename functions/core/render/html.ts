/**
 * Release content (blocks and inlines) as HTML. Every text node is escaped; links survive only
 * with an http(s) or mailto target, everything else (javascript:, data:, relative paths) keeps
 * its text and loses the link.
 */
import { inlineText, isFigureText, type Block, type Inline, type PictureBlock, type Rendition, type TableBlock, type TableCell } from '../release';
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
  /** Prefix of picture paths (`media/…`): `../../` on a page (works from disk too), the site URL in ninjs. Default `/`. */
  mediaBase?: string;
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
    case 'table':
      return `${prefix ? `<p>${prefix}</p>` : ''}${tableHtml(block, options)}`;
    case 'picture':
      return `${prefix ? `<p>${prefix}</p>` : ''}${pictureHtml(block, options)}`;
  }
}

/**
 * A picture as `<figure>`: `<picture>` with a WebP source set, a JPEG/PNG `<img>` fallback with
 * `srcset`, intrinsic size (no layout shift) and `alt`; the caption as `<figcaption>`. Paths are
 * site-relative under `/media/` (same origin: the CSP's `img-src 'self'`). A picture whose bytes
 * never passed the picture step (no `asset`) is not shown.
 */
export function pictureHtml(block: PictureBlock, options: HtmlOptions = {}): string {
  if (!block.asset) return '';
  const base = options.mediaBase ?? '/';
  const src = (path: string): string => escapeHtml(`${base}${path}`);
  const set = (renditions: readonly Rendition[]): string => renditions.map((r) => `${src(r.path)} ${r.width}w`).join(', ');
  const fallback = block.asset.renditions.filter((r) => r.contentType !== 'image/webp');
  const webp = block.asset.renditions.filter((r) => r.contentType === 'image/webp');
  const main = fallback[0] ?? block.asset.renditions[0]!;
  const sizes = `(max-width: 42rem) 100vw, 42rem`;
  const img = `<img src="${src(main.path)}" srcset="${set(fallback.length > 0 ? fallback : block.asset.renditions)}" sizes="${sizes}" width="${main.width}" height="${main.height}" alt="${escapeHtml(block.alt)}" loading="lazy" decoding="async">`;
  const picture = webp.length > 0 ? `<picture><source type="image/webp" srcset="${set(webp)}" sizes="${sizes}">${img}</picture>` : img;
  const caption = block.caption ? `<figcaption>${inlineHtml(block.caption, options)}</figcaption>` : '';
  return `<figure class="picture">${picture}${caption}</figure>`;
}

/**
 * A table as accessible HTML: `<caption>`, `<th scope="col">` in header rows, `<th scope="row">`
 * for row headers. Wrapped in a focusable, labelled region that scrolls sideways on a phone
 * instead of overflowing the page. Alignment uses logical classes (`text-align: start/end` in
 * the stylesheet) so columns mirror on right-to-left pages; figure cells are right-aligned in
 * left-to-right text, and on right-to-left pages isolated as one left-to-right run so
 * `$1,234.5` or `(12.3)%` never reorders. No inline style: the pages' CSP forbids it.
 */
export function tableHtml(table: TableBlock, options: HtmlOptions = {}): string {
  const dir = options.dir ?? 'ltr';
  const cellHtml = (cell: TableCell, column: number, tag: 'th' | 'td', scope?: 'col' | 'row'): string => {
    const text = inlineText(cell.content);
    const figure = text.trim() !== '' && isFigureText(text);
    const align = table.align?.[column] ?? (figure ? 'end' : null);
    const classes = [align ? `align-${align}` : '', figure ? 'figure' : ''].filter(Boolean).join(' ');
    const inner = figure && dir === 'rtl' ? `<bdi dir="ltr">${escapeHtml(text)}</bdi>` : inlineHtml(cell.content, options);
    return `<${tag}${scope ? ` scope="${scope}"` : ''}${classes ? ` class="${classes}"` : ''}>${inner}</${tag}>`;
  };
  const caption = table.caption ? `<caption>${inlineHtml(table.caption, options)}</caption>` : '';
  const head = table.head.length > 0 ? `<thead>${table.head.map((row) => `<tr>${row.map((cell, i) => cellHtml(cell, i, 'th', 'col')).join('')}</tr>`).join('')}</thead>` : '';
  const body = `<tbody>${table.body.map((row) => `<tr>${row.map((cell, i) => (cell.header ? cellHtml(cell, i, 'th', 'row') : cellHtml(cell, i, 'td'))).join('')}</tr>`).join('')}</tbody>`;
  const label = table.caption ? ` aria-label="${escapeHtml(inlineText(table.caption).replace(/\s+/g, ' ').trim())}"` : '';
  return `<div class="table-scroll" role="region" tabindex="0"${label}><table>${caption}${head}${body}</table></div>`;
}

/** The pictures of some blocks that passed the picture step, in reading order. */
export function publishedPictures(blocks: readonly Block[]): (PictureBlock & { asset: NonNullable<PictureBlock['asset']> })[] {
  return blocks.filter((block): block is PictureBlock & { asset: NonNullable<PictureBlock['asset']> } => block.type === 'picture' && block.asset !== undefined);
}

/** Blocks as HTML, one per line (readable source, stable bytes). */
export function blocksHtml(blocks: readonly Block[], options: HtmlOptions = {}): string {
  return blocks.map((block) => blockHtml(block, '', options)).join('\n');
}
