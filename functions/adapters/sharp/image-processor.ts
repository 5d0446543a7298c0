/**
 * The picture processor on libvips (sharp): decodes with a pixel limit, applies the EXIF
 * orientation, drops every metadata block (EXIF with GPS, XMP, IPTC) but keeps the ICC colour
 * profile, and writes JPEG (PNG when the picture has transparency) and WebP renditions.
 *
 * sharp writes no metadata unless asked (`withMetadata`/`keepExif`); `keepIccProfile` asks for the
 * profile alone. `failOn: 'warning'` makes a truncated or corrupt file an error instead of a
 * half-grey picture.
 */
import type { default as Sharp } from 'sharp';
import { PICTURE_ERROR_CODES, PictureRejectedError } from '../../core/pictures';
import type { ImageProcessor, ProcessedPicture, ProcessedRendition } from '../../ports';

const JPEG_QUALITY = 82;
const WEBP_QUALITY = 80;

/**
 * sharp is loaded on first use, not at import: a function bundle without the native libvips
 * binary for its platform still starts, and leaves pictures out with a warning that says so.
 */
let loaded: Promise<typeof Sharp> | undefined;
async function loadSharp(): Promise<typeof Sharp> {
  loaded ??= import('sharp').then((module) => module.default);
  try {
    return await loaded;
  } catch (cause) {
    loaded = undefined;
    throw new PictureRejectedError(
      PICTURE_ERROR_CODES.UNREADABLE_PICTURE,
      `the picture processor (sharp/libvips) is not available in this deployment: ${cause instanceof Error ? cause.message.split('\n')[0] : String(cause)}`,
      {},
      'install sharp with the binary for this platform (see docs/formats.md, Pictures)',
      { cause },
    );
  }
}

export class SharpImageProcessor implements ImageProcessor {
  async process(bytes: Uint8Array, limits: { maxPixels: number; widths: readonly number[] }): Promise<ProcessedPicture> {
    const sharp = await loadSharp();
    const input = () => sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'warning', animated: false });
    let width: number;
    let height: number;
    let hasAlpha: boolean;
    try {
      const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
      if (!meta.width || !meta.height) throw new Error('no dimensions');
      // Checked on the header alone, before anything is decoded.
      if (meta.width * meta.height > limits.maxPixels) {
        throw new PictureRejectedError(
          PICTURE_ERROR_CODES.TOO_MANY_PIXELS,
          `the picture is ${meta.width.toLocaleString('en')} × ${meta.height.toLocaleString('en')} pixels; the limit is ${limits.maxPixels.toLocaleString('en')} pixels (MAX_PICTURE_PIXELS)`,
          {},
          'scale it down before uploading',
        );
      }
      const oriented = (meta.orientation ?? 1) >= 5;
      width = oriented ? meta.height : meta.width;
      height = oriented ? meta.width : meta.height;
      hasAlpha = meta.hasAlpha ?? false;
    } catch (error) {
      if (error instanceof PictureRejectedError) throw error;
      throw unreadable(error);
    }
    const renditions: ProcessedRendition[] = [];
    const seen = new Set<number>();
    try {
      for (const target of limits.widths) {
        const w = Math.min(target, width);
        if (seen.has(w)) continue;
        seen.add(w);
        const resized = () => input().rotate().resize({ width: w, withoutEnlargement: true }).keepIccProfile();
        const [main, webp] = await Promise.all([
          (hasAlpha ? resized().png({ compressionLevel: 9 }) : resized().jpeg({ quality: JPEG_QUALITY, mozjpeg: true })).toBuffer({ resolveWithObject: true }),
          resized().webp({ quality: WEBP_QUALITY }).toBuffer({ resolveWithObject: true }),
        ]);
        renditions.push(
          { name: `w${main.info.width}.${hasAlpha ? 'png' : 'jpg'}`, contentType: hasAlpha ? 'image/png' : 'image/jpeg', width: main.info.width, height: main.info.height, bytes: new Uint8Array(main.data) },
          { name: `w${webp.info.width}.webp`, contentType: 'image/webp', width: webp.info.width, height: webp.info.height, bytes: new Uint8Array(webp.data) },
        );
      }
    } catch (error) {
      throw unreadable(error);
    }
    return { width, height, renditions };
  }
}

function unreadable(error: unknown): PictureRejectedError {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return new PictureRejectedError(PICTURE_ERROR_CODES.UNREADABLE_PICTURE, `the picture cannot be decoded (${reason}): it is truncated or corrupt`, {}, 'export the picture again from the original', { cause: error });
}
