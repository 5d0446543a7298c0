/**
 * Every limit an upload is held to, in one place (documented in docs/limits.md). They bound the
 * work a single upload can cause: the ingest Lambda has 1,024 MB and one event loop, and a file
 * that nests 10,000 elements deep or unpacks from 300 KB to 400 MB must be refused by counting,
 * before it is converted, not after it has used the memory. Each refusal names its limit.
 */
import { ParseError } from '../errors';
import { PARSE_ERROR_CODES } from './codes';

export const LIMITS = {
  /** Largest accepted upload: 5 MiB (a .docx with embedded images is mostly images, which are dropped). */
  maxUploadBytes: 5 * 1024 * 1024,
  /**
   * Largest accepted text after decoding (and, for .docx, after conversion): 200,000 characters,
   * about twenty times a long press release. Keeps translation cost and time bounded.
   */
  maxTextChars: 200_000,
  /**
   * Deepest nesting of elements (HTML, Markdown quotes, .docx) or values (JSON, YAML). Real pages
   * nest a few dozen deep; the parsers' walks are recursive and stay far below the stack here.
   */
  maxNestingDepth: 100,
  /** Most blocks (paragraphs, headings, quotes, list items, table rows) in one release. */
  maxBlocks: 10_000,
  /** Most inline nodes (text runs, emphasis, links, line breaks) in one release. */
  maxInlineNodes: 100_000,
  /** Most table cells in one release (every row becomes a paragraph of its own). */
  maxTableCells: 20_000,
  /** Most elements in an HTML page (or converted Markdown / Word document) before it is read. */
  maxElements: 200_000,
  /** Most YAML aliases (`*anchor`) in front matter: an alias bomb expands exponentially. */
  maxYamlAliases: 50,
  /** Largest YAML front matter, in characters: a release's metadata is a few lines. */
  maxFrontMatterChars: 64 * 1024,
  /** .docx: most entries in the ZIP package (a document has about 10–40). */
  maxDocxEntries: 1_000,
  /** .docx: most bytes all entries unpack to, checked by inflating before conversion. */
  maxDocxUnpackedBytes: 64 * 1024 * 1024,
  /** .docx: most bytes the parts other than pictures (the XML mammoth parses into a DOM) unpack to. */
  maxDocxXmlBytes: 16 * 1024 * 1024,
  /** .docx: most `<w:p>` paragraphs, empty ones included (mammoth builds an object for each). */
  maxDocxParagraphs: 40_000,
  /** .docx: largest ratio of unpacked to packed size of one entry above 1 MiB (XML packs ~5–20×). */
  maxDocxCompressionRatio: 200,
  /** .docx: most pictures (`word/media/…`); they are dropped, but each is still unpacked. */
  maxDocxPictures: 500,
} as const;

export type LimitName = keyof typeof LIMITS;

const count = (n: number): string => n.toLocaleString('en');

/**
 * The error for an upload over a structural limit: `LIMIT_EXCEEDED` (or `TOO_LARGE` for sizes),
 * naming what was counted, the count reached, the limit and its name in `LIMITS`.
 *
 * @example
 * throw limitError('maxBlocks', 'blocks in the release', 60_000, 'a.txt', 'split the release');
 * // a.txt: blocks in the release: 60,000, over the limit of 10,000 (maxBlocks) — split the release
 */
export function limitError(limit: LimitName, what: string, found: number | string, file: string, hint: string): ParseError {
  const size = limit === 'maxUploadBytes' || limit === 'maxTextChars' || (limit.startsWith('maxDocx') && limit.endsWith('Bytes'));
  const reached = typeof found === 'number' ? count(found) : found;
  return new ParseError(size ? PARSE_ERROR_CODES.TOO_LARGE : PARSE_ERROR_CODES.LIMIT_EXCEEDED, `${what}: ${reached}, over the limit of ${count(LIMITS[limit])} (${limit})`, { file }, hint);
}

/**
 * The deepest nesting of a plain data value (arrays and objects), measured without recursion, so
 * that it is safe on any input. Stops counting at `stopAt` levels.
 */
export function dataDepth(value: unknown, stopAt: number = LIMITS.maxNestingDepth + 1): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > deepest) deepest = depth;
    if (deepest >= stopAt) return deepest;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return deepest;
}

/** Refuses a data value (parsed JSON, YAML) nested deeper than `maxNestingDepth`. */
export function checkDataDepth(value: unknown, file: string, what: string): void {
  const depth = dataDepth(value);
  if (depth > LIMITS.maxNestingDepth) {
    throw limitError('maxNestingDepth', `nesting depth of ${what}`, `more than ${count(LIMITS.maxNestingDepth)}`, file, 'flatten the structure: a release needs a few levels (release → body → block → inline)');
  }
}
