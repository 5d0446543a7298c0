/**
 * Left-to-right islands in right-to-left text. In an Arabic paragraph the Unicode bidi algorithm
 * lays out weak characters (digits, `+`, `.`, `@`, `/`) by their neighbours, so `+34 950 555 214`
 * shows as `214 555 950 34+` and an e-mail address or URL is cut into reordered pieces. Each phone
 * number, e-mail address, URL, ticker, figure and run of Latin words is wrapped in
 * `<bdi dir="ltr">`: an isolate with a fixed direction, laid out on its own and placed as one unit.
 */
import { escapeHtml } from './text';

/**
 * Longest alternatives first: a URL before the Latin word it starts with, an e-mail address before
 * its local part, a phone number (digits with spaces, dashes, dots, brackets, a leading `+`) before
 * a figure.
 */
const LTR_RUN = new RegExp(
  [
    String.raw`\bhttps?:\/\/[^\s<>"«»]+[^\s<>"«».,;:!?)\]،؛]`,
    String.raw`\bwww\.[^\s<>"«»]+[^\s<>"«».,;:!?)\]،؛]`,
    String.raw`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+`,
    String.raw`\+?\(?\d[\d\s().\/–-]*\d%?`,
    String.raw`\d%?`,
    // Latin words, tickers (`Nasdaq: NWBX`), with the spaces and marks between them.
    String.raw`[A-Za-z][A-Za-z0-9&'’.-]*(?:[\s:,]+[A-Za-z0-9][A-Za-z0-9&'’.-]*)*`,
  ].join('|'),
  'gu',
);

/** Escapes `text` for HTML, wrapping each left-to-right run in `<bdi dir="ltr">`. */
export function isolateLtrRuns(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(LTR_RUN)) {
    const start = match.index;
    html += `${escapeHtml(text.slice(last, start))}<bdi dir="ltr">${escapeHtml(match[0])}</bdi>`;
    last = start + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

/** The text escaper for a page or document direction: isolates on right-to-left pages only. */
export const textHtmlFor = (dir: 'ltr' | 'rtl'): ((text: string) => string) => (dir === 'rtl' ? isolateLtrRuns : escapeHtml);
