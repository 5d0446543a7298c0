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

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

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
  const clusters = Array.from(graphemes.segment(text), (s) => s.segment);
  if (clusters.length <= max) return text;
  let cut = clusters.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  // Only back off to a space if that keeps most of the text (scripts without spaces have none).
  if (space > cut.length * 0.7) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}
