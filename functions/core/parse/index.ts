/**
 * Release parsers: every format a wire receives (plain text, Markdown with front matter, HTML,
 * polywire JSON, IPTC ninjs, Word .docx) becomes one validated `Release`.
 *
 * Pure: no filesystem, network or environment; callers pass the bytes.
 */
import { InputError, ParseError, PolywireError } from '../errors';
import type { Release, SourceFormat } from '../release';
import { PARSE_ERROR_CODES } from './codes';
import { buildRelease, type ReleaseDraft } from './draft';
import type { Explanation } from './structure';
import { decodeText } from './encoding';
import { sniff } from './format';
import { LIMITS, limitError } from './limits';

export { PARSE_ERROR_CODES, type ParseErrorCode } from './codes';
export { detectFormat } from './format';
export { deriveReleaseId, keyedReleaseId, splitTranslationName, uriReleaseId } from './names';
export { ParseError } from '../errors';
export { LIMITS, type LimitName } from './limits';

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

/** Largest accepted upload (`LIMITS.maxUploadBytes`). */
export const MAX_UPLOAD_BYTES = LIMITS.maxUploadBytes;

/** Largest accepted text after decoding or conversion (`LIMITS.maxTextChars`). */
export const MAX_TEXT_CHARS = LIMITS.maxTextChars;

/**
 * Parses an upload into a validated release.
 *
 * Fills `source` (name, format, encoding, byte count, SHA-256), `version` (declared, else 1),
 * `id` (declared, else `deriveReleaseId(name)`) and `schemaVersion`.
 *
 * Any exception a parser raises that is not an `InputError` (a library's own `RangeError` on an
 * input no limit foresaw) becomes `UNREADABLE_UPLOAD` with the original as `cause`: it is the
 * upload that cannot be read, and retrying the same bytes would fail the same way.
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
  try {
    return await parseUpload(input, options);
  } catch (error) {
    throw asUploadError(error, input.name);
  }
}

/** Errors that are the deployment's, not the upload's: retried (and dead-lettered) as before. */
const isDeploymentFault = (error: unknown): boolean =>
  (error instanceof PolywireError && !(error instanceof InputError)) || (error instanceof Error && ['ERR_MODULE_NOT_FOUND', 'ERR_UNKNOWN_FILE_EXTENSION'].includes((error as NodeJS.ErrnoException).code ?? ''));

/**
 * What a parser's exception means for the upload: an `InputError` and a deployment fault stay as
 * they are; anything else becomes `UNREADABLE_UPLOAD`, keeping the original as `cause`.
 */
export function asUploadError(error: unknown, file: string): unknown {
  if (error instanceof InputError || isDeploymentFault(error)) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new ParseError(
    PARSE_ERROR_CODES.UNREADABLE_UPLOAD,
    `the file could not be read (${reason.length > 200 ? `${reason.slice(0, 199)}…` : reason})`,
    { file },
    'check that it is a well-formed release in one of the supported formats; simplify its structure (less nesting, fewer parts) and upload it again',
    { cause: error },
  );
}

async function parseUpload(input: ParseInput, options: ParseOptions): Promise<{ release: Release; media: Uint8Array[] }> {
  const { name, bytes } = input;
  const maxBytes = options.maxBytes ?? MAX_UPLOAD_BYTES;
  if (bytes.length > maxBytes) {
    throw new ParseError(
      PARSE_ERROR_CODES.TOO_LARGE,
      `the file has ${bytes.length.toLocaleString('en')} bytes; the limit is ${maxBytes.toLocaleString('en')} bytes (maxUploadBytes)`,
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
  if (chars > MAX_TEXT_CHARS) throw limitError('maxTextChars', `characters of text ${when}`, chars, file, 'split the upload into separate releases');
}
