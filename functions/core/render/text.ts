/**
 * Text hygiene and escaping for every output format. All renderers pass user text through
 * `cleanText` first (so XML stays well-formed and no invisible control can reorder what a reader
 * sees), then through the escaper of the syntax they write into.
 */
import { oneLine, truncate } from '../text';

/**
 * Characters removed from every output:
 * - C0 controls except tab and newline, DEL and C1 controls: XML 1.0 forbids the C0 set and
 *   discourages C1; none of them carries meaning in a press release.
 * - Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they can make text
 *   display in an order other than the one it is stored in ("Trojan Source" style spoofing of
 *   names, links and figures). Direction comes from the page's `dir` instead. The harmless marks
 *   LRM/RLM/ALM (U+200E, U+200F, U+061C) stay: Arabic text legitimately uses them.
 * - Lone surrogates and the noncharacters U+FFFE/U+FFFF (not allowed in XML).
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Strips forbidden characters; CR LF and lone CR become LF. */
export function cleanText(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(FORBIDDEN, '');
}

/** Applies `cleanText` to every string of a JSON-like value (objects, arrays), keeping its shape. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map((item) => cleanDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanDeep(v)])) as T;
  }
  return value;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for HTML and XML text and attribute values alike. `>` is escaped too, so that
 * escaped text can never close a CDATA section (`]]>`) when a feed wraps it in one.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * Serializes data for a `<script type="application/ld+json">` element. JSON.stringify alone
 * would let `</script>` or `<!--` in a headline end the element; escaping `<`, `>` and `&` as
 * JSON unicode escapes keeps the data identical and the element closed. U+2028/2029 are escaped
 * for old JavaScript parsers that treat them as line ends.
 */
export function jsonForHtmlScript(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * `truncate` (the one truncation rule) with a fast path: a text no longer than `max` UTF-16 code
 * units has at most `max` grapheme clusters, so it needs no segmentation. Feeds and index pages
 * truncate every entry's headline several times per render; segmenting each one was a third of
 * the time spent rendering a feed.
 *
 * @example
 * fitText('Acme launches R2', 200); // 'Acme launches R2'
 */
export function fitText(value: string, max: number): string {
  const text = oneLine(value);
  return text.length <= max ? text : truncate(text, max);
}
