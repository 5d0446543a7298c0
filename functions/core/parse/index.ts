/**
 * Release parsers: every format a wire receives (plain text, Markdown with front matter, HTML,
 * polywire JSON, IPTC ninjs, Word .docx) becomes one validated `Release`.
 *
 * Pure: no filesystem, network or environment; callers pass the bytes.
 */
import { ParseError } from '../errors';
import type { Release, SourceFormat } from '../release';
import { PARSE_ERROR_CODES } from './codes';
import { buildRelease, type ReleaseDraft } from './draft';
import type { Explanation } from './structure';
import { decodeText } from './encoding';
import { sniff } from './format';

export { PARSE_ERROR_CODES, type ParseErrorCode } from './codes';
export { detectFormat } from './format';
export { deriveReleaseId, keyedReleaseId, splitTranslationName, uriReleaseId } from './names';
export { ParseError } from '../errors';

export interface ParseInput {
  /** File name or S3 key; only its basename and extension matter. */
  name: string;
  bytes: Uint8Array;
}

export interface ParseOptions {
  /** Largest accepted upload in bytes; default `MAX_UPLOAD_BYTES`. */
  maxBytes?: number;
  /** Receives what the structure classifier decided about each block, and why (`parse --explain`). */
  onExplain?: (explanations: readonly Explanation[]) => void;
}

/** Largest accepted upload: 5 MiB (a .docx with embedded images is mostly images, which are dropped). */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

/**
 * Largest accepted text after decoding (and, for .docx, after conversion): 200,000 characters,
 * about twenty times a long press release. Keeps translation cost and time bounded.
 */
export const MAX_TEXT_CHARS = 200_000;

/**
 * Parses an upload into a validated release.
 *
 * Fills `source` (name, format, encoding, byte count, SHA-256), `version` (declared, else 1),
 * `id` (declared, else `deriveReleaseId(name)`) and `schemaVersion`.
 *
 * @throws ParseError with a code from `PARSE_ERROR_CODES`, naming the file and line or field.
 * @example
 * const release = await parseRelease({ name: 'launch.txt', bytes: await readFile('launch.txt') });
 * release.headline; // first line of the file
 */
export async function parseRelease(input: ParseInput, options: ParseOptions = {}): Promise<Release> {
  return (await parseReleaseWithMedia(input, options)).release;
}

/**
 * Like {@link parseRelease}, plus the picture bytes the upload carried (Word images, data URIs):
 * picture blocks with `ref: embedded:<n>` point into `media`. The ingest's picture step
 * (pipeline/pictures.ts) turns them into checked, stripped web renditions.
 */
export async function parseReleaseWithMedia(input: ParseInput, options: ParseOptions = {}): Promise<{ release: Release; media: Uint8Array[] }> {
  const { name, bytes } = input;
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  if (bytes.length > maxBytes) {
    throw new ParseError(
      PARSE_ERROR_CODES.TOO_LARGE,
      `the file has ${bytes.length.toLocaleString('en')} bytes; the limit is ${maxBytes.toLocaleString('en')} bytes`,
      { file: name },
      'remove embedded images or split the upload; a press release needs far less',
    );
  }
  const { format, text } = sniff(name, bytes);
  let draft: ReleaseDraft;
  let encoding: string;
  try {
    if (format === 'docx') {
      const { parseDocxRelease } = await import('./docx');
      draft = await parseDocxRelease(bytes, name, (html) => checkTextSize(html.length, name, 'after conversion from Word'));
      encoding = 'docx';
    } else {
      const decoded = text ?? decodeText(bytes, name);
      checkTextSize(decoded.text.length, name, 'after decoding');
      encoding = decoded.encoding;
      draft = await parseText(format, decoded.text, name);
    }
  } catch (error) {
    // The shared block extractor (tables) does not know the file: name it here.
    if (error instanceof ParseError && error.location.file === undefined) {
      throw new ParseError(error.code, error.message.replace(/ — .*$/s, '').replace(`${error.location.field}: `, ''), { file: name, ...error.location }, error.hint, { cause: error });
    }
    throw error;
  }
  const { media = [], ...rest } = draft;
  return { release: await buildRelease(rest, { name, format, encoding, bytes }, options.onExplain), media };
}

async function parseText(format: Exclude<SourceFormat, 'docx'>, text: string, name: string): Promise<ReleaseDraft> {
  switch (format) {
    case 'text':
      return (await import('./text')).parseTextRelease(text);
    case 'markdown':
      return (await import('./markdown')).parseMarkdownRelease(text, name);
    case 'html':
      return (await import('./html')).parseHtmlRelease(text, name);
    case 'json':
      return (await import('./json')).parseJsonRelease(text, name);
    case 'ninjs':
      return (await import('./ninjs')).parseNinjsRelease(text, name);
  }
}

function checkTextSize(chars: number, file: string, when: string): void {
  if (chars > MAX_TEXT_CHARS) {
    throw new ParseError(
      PARSE_ERROR_CODES.TOO_LARGE,
      `the text has ${chars.toLocaleString('en')} characters ${when}; the limit is ${MAX_TEXT_CHARS.toLocaleString('en')}`,
      { file },
      'split the upload into separate releases',
    );
  }
}
