/**
 * Finds what must not go through an engine: URLs, e-mail addresses, stock tickers, glossary
 * terms (brand, product and people names, the wire's own name), and forced terms; and the source's
 * quote marks, which are swapped for the target language's marks.
 */
import { escapeRegExp } from '../text';
import type { Span } from './placeholders';

export interface TextMatch {
  start: number;
  end: number;
  span: Span;
}

// Trailing punctuation belongs to the sentence, not the URL (`see https://x.com/a.`).
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"“”„«»「」]+/giu;
// The lookbehind makes a match start only where a run of local-part characters starts: without
// it, a long run with no `@` is rescanned from every position (quadratic; 200k characters froze
// the stack for half an hour).
const EMAIL = /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const EXCHANGES =
  'NASDAQ|Nasdaq(?: GS| GM| CM)?|NYSE(?: American| Arca| MKT)?|TSXV?|TSX-V|CSE|LSE|AIM|ASX|HKEX|SEHK|SGX|TSE|TYO|OTC(?:QX|QB| Pink)?|XETRA|FWB|FRA|Euronext(?: Paris| Amsterdam| Brussels)?|SIX|KRX|KOSDAQ|KOSPI|SZSE|SSE|NSE|BSE|TASE|JSE|IDX|SET|HOSE|Bursa|B3|BMV';
const TICKER_ITEM = `(?:${EXCHANGES})\\s*:\\s*[A-Z0-9][A-Z0-9.\\-]*`;
// `(NASDAQ: ABCD)`, `(NYSE: X; TSX: Y)`, `(TSX: ABC.U and OTCQX: ABCDF)`.
const TICKER = new RegExp(`\\(\\s*${TICKER_ITEM}(?:\\s*(?:[;,/]|and|&)\\s*${TICKER_ITEM})*\\s*\\)`, 'gi');

// Scripts that separate words with spaces: a term there must not start or end inside a word.
// Chinese, Japanese and Thai have no spaces, so terms match anywhere in them.
const WORD_CHAR = '[\\p{Script=Latin}\\p{Script=Greek}\\p{Script=Cyrillic}\\p{Script=Arabic}\\p{Script=Hangul}\\p{N}_]';
const WORD_CHAR_TEST = new RegExp(`^${WORD_CHAR}$`, 'u');

function termPattern(term: string): string {
  const chars = [...term];
  const before = WORD_CHAR_TEST.test(chars[0]!) ? `(?<!${WORD_CHAR})` : '';
  const after = WORD_CHAR_TEST.test(chars.at(-1)!) ? `(?!${WORD_CHAR})` : '';
  return `${before}${escapeRegExp(term)}${after}`;
}

function termRegExp(terms: readonly string[]): RegExp | undefined {
  const unique = [...new Set(terms.filter((t) => t.trim() !== ''))].sort((a, b) => b.length - a.length);
  return unique.length === 0 ? undefined : new RegExp(unique.map(termPattern).join('|'), 'gu');
}

function trimUrl(url: string): string {
  let end = url.length;
  // Parentheses counted once, not per trimmed character (a URL ending in 100k `)` was quadratic).
  const opens = url.split('(').length - 1;
  let closes = url.split(')').length - 1;
  while (end > 0) {
    const c = url[end - 1]!;
    if (/[.,;:!?'’]/.test(c)) end--;
    else if (c === ')' && opens < closes) {
      end--;
      closes--;
    } else break;
  }
  return url.slice(0, end);
}

export interface Protector {
  /** Protected and forced spans in a text, non-overlapping, in order. */
  find(text: string): TextMatch[];
}

/**
 * Compiles the rules for one target language.
 *
 * @param doNotTranslate terms kept byte-identical (glossary + per-release terms + the wire's name)
 * @param forced source term → target term for this target language
 */
export function compileProtector(doNotTranslate: readonly string[], forced: Readonly<Record<string, string>>): Protector {
  const keep = termRegExp(doNotTranslate);
  const force = termRegExp(Object.keys(forced));
  return {
    find(text: string): TextMatch[] {
      const found: TextMatch[] = [];
      const collect = (re: RegExp | undefined, toSpan: (m: string) => TextMatch['span'], adjust?: (m: string) => string): void => {
        if (!re) return;
        for (const match of text.matchAll(re)) {
          const value = adjust ? adjust(match[0]) : match[0];
          if (value === '') continue;
          found.push({ start: match.index, end: match.index + value.length, span: toSpan(value) });
        }
      };
      const protect = (value: string): Span => ({ kind: 'protected', text: value });
      collect(URL, protect, trimUrl);
      collect(EMAIL, protect);
      collect(TICKER, protect);
      collect(keep, protect);
      collect(force, (value) => ({ kind: 'forced', source: value, text: forced[value]! }));
      // Earliest first; at the same start the longest wins; overlaps are dropped.
      found.sort((a, b) => a.start - b.start || b.end - a.end);
      const chosen: TextMatch[] = [];
      for (const match of found) {
        if (chosen.length === 0 || match.start >= chosen.at(-1)!.end) chosen.push(match);
      }
      return chosen;
    },
  };
}

const OPENING_ONLY = new Set(['„', '«', '「', '『', '‹']);
const CLOSING_ONLY = new Set(['”', '»', '」', '』', '›']);
const AMBIGUOUS = new Set(['“']);
// Single quotes and ’ are left alone: they double as apostrophes. Straight " too: inches, code.
const QUOTE_MARK = /[„“”«»「」『』]/g;
const INNER_SPACE = /[ \u00a0\u202f]/;

/** Tracks open quotes across the text nodes of one segment. */
export interface QuoteState {
  open: number;
}

/**
 * Finds the source's double quote marks and decides for each whether it opens or closes, so it
 * can be replaced by the target language's mark. `“` opens in English and closes in German: it is
 * read from context (closes when a quote is open). French guillemets take their inner space along.
 */
export function findQuoteMarks(text: string, state: QuoteState): TextMatch[] {
  const marks: TextMatch[] = [];
  for (const match of text.matchAll(QUOTE_MARK)) {
    const mark = match[0];
    let side: 'open' | 'close';
    if (OPENING_ONLY.has(mark)) side = 'open';
    else if (CLOSING_ONLY.has(mark)) side = 'close';
    else side = AMBIGUOUS.has(mark) && state.open > 0 ? 'close' : 'open';
    state.open = Math.max(0, state.open + (side === 'open' ? 1 : -1));
    let start = match.index;
    let end = start + mark.length;
    if (mark === '«' && INNER_SPACE.test(text[end] ?? '')) end++;
    if (mark === '»' && start > 0 && INNER_SPACE.test(text[start - 1] ?? '')) start--;
    marks.push({ start, end, span: { kind: 'quote', side, source: text.slice(start, end) } });
  }
  return marks;
}
