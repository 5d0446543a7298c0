/**
 * Small text helpers shared by the parsers, the translation step and the renderers, so that each
 * behaves the same everywhere (one truncation rule for error messages, titles and feeds).
 */

/**
 * Escapes the characters that have a meaning in a regular expression, so that `value` matches
 * literally when built into a pattern.
 *
 * @example
 * new RegExp(`^${escapeRegExp('Acme (Europe) Ltd.')}`).test('Acme (Europe) Ltd. said'); // true
 */
export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Collapses runs of whitespace (including newlines) to one space, for titles and attributes. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Built on first use (only long texts are segmented): an ICU object loads locale data, a cold-start cost otherwise. */
let graphemes: Intl.Segmenter | undefined;

/**
 * Shortens text to at most `max` user-perceived characters (grapheme clusters, so an emoji or a
 * Thai syllable is never cut in half), ending in an ellipsis, preferring a word boundary.
 * Whitespace is collapsed first: the result is always one line.
 *
 * @example
 * truncate('one two three four five six seven eight', 20); // 'one two three four…'
 */
export function truncate(value: string, max: number): string {
  const text = oneLine(value);
  // A string of at most `max` UTF-16 units has at most `max` graphemes: skip segmentation.
  if (text.length <= max) return text;
  const clusters = leadingGraphemes(text, max + 1);
  if (clusters.length <= max) return text;
  let cut = clusters.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  // Only back off to a space if that keeps most of the text (scripts without spaces have none).
  if (space > cut.length * 0.7) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

/**
 * The first `count` grapheme clusters of `text` (fewer if it has fewer), segmenting only a prefix:
 * segmenting a whole 200,000-character paragraph to keep 300 characters took seconds and grew
 * faster than the text. The prefix is doubled while it is too short, so a text of long clusters
 * (combining marks) costs at most twice the linear work; the last cluster of a prefix may be cut,
 * so it is only trusted once a cluster follows it.
 */
export function leadingGraphemes(text: string, count: number): string[] {
  for (let window = count * 4 + 16; ; window *= 2) {
    const prefix = text.slice(0, window);
    const clusters: string[] = [];
    graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    for (const { segment } of graphemes.segment(prefix)) {
      clusters.push(segment);
      if (clusters.length > count) break;
    }
    if (prefix.length === text.length || clusters.length > count) return clusters.slice(0, count);
  }
}

/** Segmenting windows: small enough that V8's per-step cost stays small, large enough for context. */
const SEGMENT_WINDOW = 512;
/** Boundaries this close to a window's end may depend on text after it: found again in the next window. */
const SEGMENT_MARGIN = 64;

/**
 * Where the segments of `text` start (every offset but 0), as `segmenter` finds them, in time
 * linear in the text. V8 takes time proportional to the whole string for every step of a
 * `Segments` iterator, so segmenting a text at once is quadratic (160,000 characters: sentences
 * 1.9 s, words 45 s, graphemes 164 s). Here the text is segmented in windows; boundaries near a
 * window's end are found again from the next window, and a window without an inner boundary (a
 * long token) doubles until it has one or reaches the end.
 *
 * @example
 * segmentStarts(new Intl.Segmenter('en', { granularity: 'word' }), 'Hello world'); // [5, 6]
 */
export function segmentStarts(segmenter: Intl.Segmenter, text: string): number[] {
  const starts: number[] = [];
  let base = 0;
  let size = SEGMENT_WINDOW;
  while (base < text.length) {
    const end = Math.min(text.length, base + size);
    const local: number[] = [];
    for (const { index } of segmenter.segment(text.slice(base, end))) if (index > 0) local.push(index);
    if (end === text.length) {
      for (const index of local) starts.push(base + index);
      break;
    }
    const kept = local.filter((index) => index <= size - SEGMENT_MARGIN);
    if (kept.length === 0) {
      size *= 2;
      continue;
    }
    for (const index of kept) starts.push(base + index);
    base += kept.at(-1)!;
    size = SEGMENT_WINDOW;
  }
  return starts;
}

/**
 * C0 controls except tab and newline (CR is normalized to LF before), DEL, C1 controls, and the
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069). None carries meaning in
 * a press release; the bidi ones can make text display in another order than it is stored
 * ("Trojan Source" spoofing of names and figures). LRM/RLM/ALM stay: Arabic and Hebrew use them.
 */
// eslint-disable-next-line no-control-regex
const UNSAFE_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/**
 * Removes control and bidi override characters (see `UNSAFE_CONTROLS`) from uploaded text.
 *
 * @example
 * stripControlCharacters('Acme\u202e gpj.exe\u0007'); // 'Acme gpj.exe'
 */
export function stripControlCharacters(text: string): string {
  return text.replace(UNSAFE_CONTROLS, '');
}

/**
 * `stripControlCharacters` over every string of plain data (arrays and plain objects); other
 * values (numbers, dates from YAML front matter) are returned as they are.
 */
export function stripControlCharactersDeep<T>(value: T): T {
  if (typeof value === 'string') return stripControlCharacters(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => stripControlCharactersDeep(item)) as T;
  if (value !== null && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return value;
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, stripControlCharactersDeep(item)])) as T;
  }
  return value;
}
