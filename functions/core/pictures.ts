/**
 * Pictures: what the bytes are (by their magic numbers, never by the file name), the limits, and
 * the rejection error. Pure: decoding and resizing sit behind the `ImageProcessor` port.
 *
 * Policy (docs/formats.md): a bad picture never rejects its release. It is left out, and the
 * release records a warning that names the picture and the reason; the rest is published.
 */
import { InputError } from './errors';

/** Largest picture accepted, in bytes. */
export const MAX_PICTURE_BYTES = 15 * 1024 * 1024;
/** Largest picture accepted, in pixels (width × height): beyond it decoding is refused (decompression bombs). */
export const MAX_PICTURE_PIXELS = 40_000_000;
/** Most pictures per release; the ones after it are left out with a warning. */
export const MAX_PICTURES_PER_RELEASE = 20;
/** Web rendition widths, largest first (never enlarged). */
export const RENDITION_WIDTHS = [1200, 600] as const;

export type ImageType = 'jpeg' | 'png' | 'gif' | 'webp' | 'avif';

/** Formats accepted as input; SVG is refused (it is a document that can carry script), never served. */
export const ACCEPTED_IMAGE_TYPES: readonly ImageType[] = ['jpeg', 'png', 'gif', 'webp', 'avif'];

/**
 * The picture type read from the first bytes, `svg` for an SVG document, undefined for anything
 * else (an HTML page named `.png`, a PDF, random bytes).
 *
 * @example
 * sniffImageType(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)); // 'jpeg'
 */
export function sniffImageType(bytes: Uint8Array): ImageType | 'svg' | undefined {
  const ascii = (from: number, to: number): string => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (bytes.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'gif';
  if (bytes.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (bytes.length >= 12 && ascii(4, 8) === 'ftyp' && ['avif', 'avis'].includes(ascii(8, 12))) return 'avif';
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(bytes.subarray(0, 1024))
    .replace(/^\uFEFF/, '')
    .trimStart()
    .toLowerCase();
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*(?:<!doctype svg[^>]*>\s*)?<svg[\s>]/.test(head)) return 'svg';
  return undefined;
}

/** Stable codes of a picture's rejection. */
export const PICTURE_ERROR_CODES = {
  NOT_A_PICTURE: 'NOT_A_PICTURE',
  SVG_REFUSED: 'SVG_REFUSED',
  PICTURE_TOO_LARGE: 'PICTURE_TOO_LARGE',
  TOO_MANY_PIXELS: 'TOO_MANY_PIXELS',
  UNREADABLE_PICTURE: 'UNREADABLE_PICTURE',
  TOO_MANY_PICTURES: 'TOO_MANY_PICTURES',
  PICTURE_MISSING: 'PICTURE_MISSING',
  REMOTE_PICTURE: 'REMOTE_PICTURE',
} as const;

/** A picture that is not published, and why (the issuer's input, never retried). */
export class PictureRejectedError extends InputError {}

/**
 * Checks what can be checked without decoding: type by content, byte limit.
 *
 * @throws PictureRejectedError
 */
export function checkPictureBytes(bytes: Uint8Array, what: string): ImageType {
  if (bytes.length > MAX_PICTURE_BYTES) {
    throw new PictureRejectedError(
      PICTURE_ERROR_CODES.PICTURE_TOO_LARGE,
      `${what} has ${bytes.length.toLocaleString('en')} bytes; the limit is ${MAX_PICTURE_BYTES.toLocaleString('en')} bytes (MAX_PICTURE_BYTES)`,
      {},
      'export it smaller (2,400 px wide is plenty for the web)',
    );
  }
  const type = sniffImageType(bytes);
  if (type === 'svg') {
    throw new PictureRejectedError(PICTURE_ERROR_CODES.SVG_REFUSED, `${what} is an SVG document; SVG is not accepted (it can carry script)`, {}, 'export it as PNG');
  }
  if (type === undefined) {
    throw new PictureRejectedError(PICTURE_ERROR_CODES.NOT_A_PICTURE, `${what} is not a JPEG, PNG, GIF, WebP or AVIF picture (its bytes say otherwise, whatever its name)`, {}, 'upload the picture file itself');
  }
  return type;
}
