/**
 * The segmenter: turns a release's content into translatable units and back.
 *
 * One unit per headline, subheadline, paragraph / quote / heading, list item, table caption and
 * text cell (figure cells are not units), category, disclaimer, boilerplate title and boilerplate
 * block, and the dateline's place. Inline markup and protected spans become
 * placeholders (see `placeholders.ts`). A unit too large for one engine request is split at
 * sentence boundaries (then words, never mid-word) into pieces that are translated separately and
 * joined again.
 */
import { segmentStarts } from '../text';
import { contentFrom, inlineText, isFigureText, type Inline, type ReleaseContent, type TableCell } from '../release';
import { serialize, tokenize, type Span, type SpanTable, type Token } from './placeholders';
import { findQuoteMarks, type Protector, type QuoteState, type TextMatch } from './protect';

/** One translatable field of the content, encoded. */
export interface Unit {
  /** Where it sits, for error messages: `body[3]`, `categories[0]`, `boilerplates[1].body[0]`. */
  path: string;
  /** Plain-string fields (headline, categories, …) come back as strings, the others as inlines. */
  plain: boolean;
  /** Normalized markup with placeholders. */
  markup: string;
  spans: SpanTable;
}

type InlineMapper = (inlines: readonly Inline[], path: string) => Inline[];
type PlainMapper = (text: string, path: string) => string;

/**
 * Walks every translatable field in a fixed order, rebuilding the content from the mappers'
 * answers. Extraction and reassembly both go through here, so they cannot disagree on order.
 */
export function mapTranslatable(content: ReleaseContent, mapInlines: InlineMapper, mapPlain: PlainMapper): ReleaseContent {
  const headline = mapPlain(content.headline, 'headline');
  const subheadline = content.subheadline === undefined ? undefined : mapPlain(content.subheadline, 'subheadline');
  const mapBlocks = (blocks: ReleaseContent['body'], prefix: string): ReleaseContent['body'] =>
    blocks.map((block, i) => {
      const path = `${prefix}[${i}]`;
      if (block.type === 'list') {
        return { ...block, items: block.items.map((item, j) => nonEmpty(mapInlines(item, `${path}.items[${j}]`))) };
      }
      if (block.type === 'picture') {
        // Alt text and caption are text like any other: translated, remembered, glossary-protected.
        return {
          ...block,
          alt: block.alt === '' ? '' : mapPlain(block.alt, `${path}.alt`),
          ...(block.caption === undefined ? {} : { caption: nonEmpty(mapInlines(block.caption, `${path}.caption`)) }),
        };
      }
      if (block.type === 'table') {
        // Figure cells (and empty ones) never reach the engine: they are copied byte for byte.
        const mapRows = (rows: TableCell[][], part: string): TableCell[][] =>
          rows.map((row, r) => row.map((cell, c) => (isFigureText(inlineText(cell.content)) ? cell : { ...cell, content: mapInlines(cell.content, `${path}.${part}[${r}][${c}]`) })));
        return {
          ...block,
          ...(block.caption === undefined ? {} : { caption: nonEmpty(mapInlines(block.caption, `${path}.caption`)) }),
          head: mapRows(block.head, 'head'),
          body: mapRows(block.body, 'body'),
        };
      }
      return { ...block, content: nonEmpty(mapInlines(block.content, path)) };
    });
  const body = mapBlocks(content.body, 'body');
  const categories = content.categories.map((c, i) => mapPlain(c, `categories[${i}]`));
  const disclaimer = content.disclaimer === undefined ? undefined : mapPlain(content.disclaimer, 'disclaimer');
  const boilerplates = content.boilerplates.map((b, i) => ({
    ...b,
    ...(b.title === undefined ? {} : { title: mapPlain(b.title, `boilerplates[${i}].title`) }),
    body: mapBlocks(b.body, `boilerplates[${i}].body`),
  }));
  const place = content.place === undefined ? undefined : mapPlain(content.place, 'place');
  return contentFrom({ headline, subheadline, body, categories, disclaimer, boilerplates, place });
}

function nonEmpty(inlines: Inline[]): Inline[] {
  return inlines.length > 0 ? inlines : [{ type: 'text', text: '' }];
}

/**
 * Collapses runs of whitespace (not no-break spaces: French typography needs them), trims and
 * NFC-normalizes. The translation memory keys on this form.
 */
export function normalizeMarkup(markup: string): string {
  return markup
    .normalize('NFC')
    .replace(/[ \t\n\r\f\v\u2028\u2029]+/g, ' ')
    .trim();
}

class UnitEncoder {
  private readonly tokens: Token[] = [];
  private readonly spans = new Map<number, Span>();
  private nextId = 1;
  private readonly quotes: QuoteState = { open: 0 };

  constructor(private readonly protector: Protector) {}

  encodeInlines(inlines: readonly Inline[]): void {
    for (const node of inlines) {
      switch (node.type) {
        case 'text':
          this.encodeText(node.text);
          break;
        case 'break':
          this.standalone({ kind: 'break' });
          break;
        case 'em':
        case 'strong':
        case 'link': {
          const id = this.nextId++;
          this.spans.set(id, node.type === 'link' ? { kind: 'link', href: node.href } : { kind: node.type });
          this.tokens.push({ type: 'open', id });
          this.encodeInlines(node.children);
          this.tokens.push({ type: 'close', id });
          break;
        }
      }
    }
  }

  encodeText(text: string): void {
    const protectedMatches = this.protector.find(text);
    const matches: TextMatch[] = [];
    let cursor = 0;
    for (const gap of [...protectedMatches, { start: text.length, end: text.length } as TextMatch]) {
      const between = text.slice(cursor, gap.start);
      for (const q of findQuoteMarks(between, this.quotes)) {
        matches.push({ ...q, start: q.start + cursor, end: q.end + cursor });
      }
      if (gap.start < text.length || gap.end > gap.start) {
        if ('span' in gap && gap.span) matches.push(gap);
      }
      cursor = gap.end;
    }
    matches.sort((a, b) => a.start - b.start);
    let last = 0;
    for (const match of matches) {
      this.text(text.slice(last, match.start));
      this.standalone(match.span);
      last = match.end;
    }
    this.text(text.slice(last));
  }

  private text(text: string): void {
    if (text === '') return;
    const previous = this.tokens.at(-1);
    if (previous?.type === 'text') previous.text += text;
    else this.tokens.push({ type: 'text', text });
  }

  private standalone(span: Span): void {
    const id = this.nextId++;
    this.spans.set(id, span);
    this.tokens.push({ type: 'x', id });
  }

  finish(path: string, plain: boolean): Unit {
    return { path, plain, markup: normalizeMarkup(serialize(this.tokens)), spans: this.spans };
  }
}

/** Extracts the units of a content, in `mapTranslatable` order. */
export function extractUnits(content: ReleaseContent, protector: Protector): Unit[] {
  const units: Unit[] = [];
  mapTranslatable(
    content,
    (inlines, path) => {
      const encoder = new UnitEncoder(protector);
      encoder.encodeInlines(inlines);
      units.push(encoder.finish(path, false));
      return [...inlines];
    },
    (text, path) => {
      const encoder = new UnitEncoder(protector);
      encoder.encodeText(text);
      units.push(encoder.finish(path, true));
      return text;
    },
  );
  return units;
}

/** The marks a target language uses, and whether it separates sentences with spaces. */
export interface TargetStyle {
  quotes: readonly [string, string];
}

/** Decodes translated markup of a unit back into inline content. */
export function markupToInlines(markup: string, spans: SpanTable, style: TargetStyle): Inline[] {
  const root: Inline[] = [];
  const stack: Inline[][] = [root];
  const pushText = (text: string): void => {
    if (text === '') return;
    const current = stack.at(-1)!;
    const previous = current.at(-1);
    if (previous?.type === 'text') previous.text += text;
    else current.push({ type: 'text', text });
  };
  for (const token of tokenize(markup)) {
    if (token.type === 'text') pushText(token.text);
    else if (token.type === 'x') {
      const span = spans.get(token.id);
      if (!span) continue;
      switch (span.kind) {
        case 'break':
          stack.at(-1)!.push({ type: 'break' });
          break;
        case 'protected':
        case 'forced':
          pushText(span.text);
          break;
        case 'quote':
          pushText(span.side === 'open' ? style.quotes[0] : style.quotes[1]);
          break;
        default:
          break;
      }
    } else if (token.type === 'open') {
      const span = spans.get(token.id);
      const children: Inline[] = [];
      if (span?.kind === 'link') stack.at(-1)!.push({ type: 'link', href: span.href, children });
      else stack.at(-1)!.push({ type: span?.kind === 'strong' ? 'strong' : 'em', children });
      stack.push(children);
    } else if (stack.length > 1) stack.pop();
  }
  return root;
}

/** Plain text of a translated plain unit. */
export function markupToPlain(markup: string, spans: SpanTable, style: TargetStyle): string {
  const flatten = (inlines: readonly Inline[]): string => inlines.map((n) => (n.type === 'text' ? n.text : n.type === 'break' ? ' ' : flatten(n.children))).join('');
  return flatten(markupToInlines(markup, spans, style));
}

// ---------------------------------------------------------------------------------------------
// Splitting units that do not fit one request

/** A unit's piece; `separator` is what followed it in the source (whitespace or nothing). */
export interface Piece {
  markup: string;
  separator: string;
}

/** Positions in markup where a split keeps the markup well formed: outside tags, entities and paired spans. */
function safeOffsets(markup: string): Set<number> {
  const safe = new Set<number>();
  let depth = 0;
  let i = 0;
  while (i <= markup.length) {
    if (depth === 0) safe.add(i);
    const c = markup[i];
    if (c === undefined) break;
    if (c === '<') {
      const end = markup.indexOf('>', i);
      const tag = markup.slice(i, end + 1);
      if (/^<g\d+>$/.test(tag)) depth++;
      else if (/^<\/g\d+>$/.test(tag)) depth--;
      i = end + 1;
    } else if (c === '&') {
      const end = markup.indexOf(';', i);
      i = end === -1 ? i + 1 : end + 1;
    } else {
      i += c.codePointAt(0)! > 0xffff ? 2 : 1;
    }
  }
  return safe;
}

function boundaries(markup: string, granularity: 'sentence' | 'word' | 'grapheme', locale: string): number[] {
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(locale, { granularity });
  } catch {
    segmenter = new Intl.Segmenter('en', { granularity });
  }
  const safe = safeOffsets(markup);
  // Tags are masked as spaces so they do not glue sentences together (`Satz.</g1> Nächster`
  // reads as an abbreviation to ICU otherwise); a cut right after an opening tag moves back in
  // front of it, so the span starts the next piece instead of being split.
  const masked = markup.replace(/<[^<>]*>/g, (tag) => ' '.repeat(tag.length));
  const cuts = new Set<number>();
  for (let cut of segmentStarts(segmenter, masked)) {
    // Only the text just before the cut can hold the tag (ids are short): matching `…$` against
    // the whole prefix made every boundary cost the text's length (quadratic on a long token).
    for (let m: RegExpExecArray | null; (m = /(?:<g\d+>|<x\d+\/>)$/.exec(markup.slice(Math.max(0, cut - 24), cut))); ) cut -= m[0].length;
    if (cut > 0 && safe.has(cut)) cuts.add(cut);
  }
  return [...cuts].sort((a, b) => a - b);
}

/** Error thrown when a unit cannot be cut small enough without breaking a word or a span. */
export class UnitTooLargeError extends Error {
  override readonly name = 'UnitTooLargeError';
}

/**
 * Splits markup into pieces that each `fits`, preferring sentence boundaries, then word
 * boundaries; a piece never ends mid-word unless a single word is larger than a request (then at
 * grapheme boundaries, never inside a character). Joining the pieces with their separators gives
 * the input back.
 */
export function splitToFit(markup: string, fits: (piece: string) => boolean, locale: string): Piece[] {
  if (fits(markup)) return [{ markup, separator: '' }];
  const levels: Array<'sentence' | 'word' | 'grapheme'> = ['sentence', 'word', 'grapheme'];
  const pieces: Piece[] = [];
  const emit = (raw: string): void => {
    // trimEnd(): /\s+$/ is quadratic on long whitespace runs that do not end the text.
    const trimmed = raw.trimEnd();
    const separator = raw.slice(trimmed.length);
    const leading = trimmed.match(/^\s*/u)![0];
    if (leading && pieces.length > 0) pieces.at(-1)!.separator += leading;
    if (trimmed.trim() === '') {
      if (pieces.length > 0) pieces.at(-1)!.separator += raw;
      return;
    }
    pieces.push({ markup: trimmed.slice(leading.length), separator });
  };
  const split = (text: string, level: number): void => {
    const granularity = levels[level];
    if (granularity === undefined) throw new UnitTooLargeError('cannot split without breaking a span');
    const cuts = [...boundaries(text, granularity, locale), text.length];
    let start = 0;
    let first = 0; // index in cuts of the first cut after start
    while (start < text.length) {
      while (cuts[first]! <= start) first++;
      // Size grows with length: gallop from the nearest cut, then bisect, for the furthest cut
      // that still fits. Probing from the middle of the whole text (plain bisection) measured
      // pieces as long as the text for every piece: quadratic on a long paragraph or token.
      const fitsTo = (index: number): boolean => fits(text.slice(start, cuts[index]).trim());
      let best = -1;
      let bad = cuts.length;
      for (let probe = first, step = 1; probe < cuts.length; probe = best + step, step *= 2) {
        probe = Math.min(probe, cuts.length - 1);
        if (!fitsTo(probe)) {
          bad = probe;
          break;
        }
        best = probe;
        if (probe === cuts.length - 1) break;
      }
      let lo = best === -1 ? first : best + 1;
      let hi = bad - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (fitsTo(mid)) {
          best = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      if (best === -1) {
        // Not even one sentence (word) fits: cut that one at the next finer level.
        split(text.slice(start, cuts[first]), level + 1);
        start = cuts[first]!;
      } else {
        emit(text.slice(start, cuts[best]));
        start = cuts[best]!;
      }
    }
  };
  split(markup, 0);
  if (pieces.length > 0) pieces.at(-1)!.separator = '';
  return pieces;
}

/** Languages whose sentences are not separated by spaces. */
const NO_SPACE_LANGUAGES = new Set(['ja', 'zh', 'th']);

/** Joins translated pieces; whitespace separators are dropped for Chinese, Japanese and Thai. */
export function joinPieces(translated: readonly string[], pieces: readonly Piece[], targetLanguage: string): string {
  const noSpaces = NO_SPACE_LANGUAGES.has(targetLanguage.split('-')[0]!.toLowerCase());
  return translated
    .map((text, i) => {
      if (i === translated.length - 1) return text;
      if (noSpaces) return text;
      const separator = pieces[i]!.separator;
      // A source without spaces between sentences (Chinese, Japanese) into a spaced language.
      return text + (separator === '' && /[.!?。！？]$/u.test(text) ? ' ' : separator);
    })
    .join('');
}
