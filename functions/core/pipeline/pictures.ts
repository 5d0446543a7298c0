/**
 * The picture steps. At ingest (`resolvePictures`): every picture block's bytes are found (in the
 * upload, or a file uploaded beside it), checked, stripped of metadata and turned into web
 * renditions stored in the uploads bucket under `media/<sha256>/`; the block gets its `asset`.
 * Nothing is fetched from the network: a picture given by absolute URL is left out with a
 * warning. At publish (`publishPictures`): the renditions of a variant's pictures are copied to
 * the distribution bucket, content-addressed and immutable, before the pages that show them.
 * Pictures are never public before their release (embargo): only publish copies them out.
 *
 * Both steps are idempotent: the same bytes land at the same key.
 */
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { isInputError } from '../errors';
import { checkPictureBytes, MAX_PICTURE_PIXELS, MAX_PICTURES_PER_RELEASE, PICTURE_ERROR_CODES, PictureRejectedError, RENDITION_WIDTHS } from '../pictures';
import type { Block, PictureBlock, Release } from '../release';
import type { ImageProcessor, ObjectStore } from '../../ports';
import type { Variant } from '../variant';

/** Cache lifetime of a rendition: its key is its content's hash, so it never changes. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface PictureStepDeps {
  uploads: ObjectStore;
  /** Absent: pictures are left out with a warning (a deployment without the processor). */
  images?: ImageProcessor;
}

const mediaKey = (sha256: string, name: string): string => `media/${sha256}/${name}`;

/**
 * Resolves the release's pictures; returns the release with `asset` on each published picture,
 * the bad ones left out, and a warning for each picture left out or without alt text.
 *
 * @param uploadKey the release's object key: relative picture paths are read beside it, under `incoming/`.
 */
export async function resolvePictures(deps: PictureStepDeps, release: Release, media: readonly Uint8Array[], uploadKey: string): Promise<Release> {
  const warnings: string[] = [...(release.warnings ?? [])];
  let count = 0;
  const resolveBlocks = async (blocks: readonly Block[]): Promise<Block[]> => {
    const out: Block[] = [];
    for (const block of blocks) {
      if (block.type !== 'picture' || block.asset) {
        out.push(block);
        continue;
      }
      count++;
      const label = `picture ${count}${block.ref && !block.ref.startsWith('embedded:') ? ` (${block.ref})` : ''}`;
      try {
        if (count > MAX_PICTURES_PER_RELEASE) {
          throw new PictureRejectedError(
            PICTURE_ERROR_CODES.TOO_MANY_PICTURES,
            `more than ${MAX_PICTURES_PER_RELEASE} pictures in one release (MAX_PICTURES_PER_RELEASE)`,
            {},
            'publish a gallery separately and link to it',
          );
        }
        const resolved = await resolvePicture(deps, block, media, uploadKey, label);
        if (block.alt === '') warnings.push(`${label} has no alt text: add a description (Word: Alt Text; Markdown: ![description](file))`);
        out.push(resolved);
      } catch (error) {
        if (!isInputError(error)) throw error;
        warnings.push(`${label} left out: ${error.message}`);
      }
    }
    return out;
  };
  const body = await resolveBlocks(release.body);
  const boilerplates = [];
  for (const boilerplate of release.boilerplates) boilerplates.push({ ...boilerplate, body: await resolveBlocks(boilerplate.body) });
  // A body of nothing but bad pictures keeps its text blocks; the schema needs at least one block.
  return { ...release, body: body.length > 0 ? body : release.body.filter((b) => b.type !== 'picture'), boilerplates, ...(warnings.length > 0 ? { warnings } : {}) };
}

async function resolvePicture(deps: PictureStepDeps, block: PictureBlock, media: readonly Uint8Array[], uploadKey: string, label: string): Promise<PictureBlock> {
  const bytes = await bytesOf(deps, block.ref ?? '', media, uploadKey, label);
  checkPictureBytes(bytes, label);
  if (!deps.images) {
    throw new PictureRejectedError(PICTURE_ERROR_CODES.UNREADABLE_PICTURE, 'this deployment has no picture processor', {}, 'configure the picture processor');
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const processed = await deps.images.process(bytes, { maxPixels: MAX_PICTURE_PIXELS, widths: RENDITION_WIDTHS });
  for (const rendition of processed.renditions) {
    const key = mediaKey(sha256, rendition.name);
    if (!(await deps.uploads.head(key))) await deps.uploads.put(key, rendition.bytes, { contentType: rendition.contentType, cacheControl: IMMUTABLE_CACHE_CONTROL });
  }
  const { ref: _ref, ...rest } = block;
  return {
    ...rest,
    asset: {
      sha256,
      width: processed.width,
      height: processed.height,
      renditions: processed.renditions.map((r) => ({ path: mediaKey(sha256, r.name), contentType: r.contentType, width: r.width, height: r.height, bytes: r.bytes.length })),
    },
  };
}

/** The bytes a `ref` points at: the upload's own media, or a file uploaded beside the release. Never the network. */
async function bytesOf(deps: PictureStepDeps, ref: string, media: readonly Uint8Array[], uploadKey: string, label: string): Promise<Uint8Array> {
  const embedded = /^embedded:(\d+)$/.exec(ref);
  if (embedded) {
    const bytes = media[Number(embedded[1])];
    if (!bytes) throw new PictureRejectedError(PICTURE_ERROR_CODES.PICTURE_MISSING, `${label}: the embedded picture is missing`);
    return bytes;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) {
    throw new PictureRejectedError(
      PICTURE_ERROR_CODES.REMOTE_PICTURE,
      `${label} is a web address; polywire never fetches pictures from the network`,
      {},
      'upload the picture beside the release and refer to it by its file name',
    );
  }
  const key = besideKey(uploadKey, ref);
  const object = key === undefined ? undefined : await deps.uploads.get(key);
  if (!object) {
    throw new PictureRejectedError(
      PICTURE_ERROR_CODES.PICTURE_MISSING,
      `${label} was not found${key ? ` at ${key}` : ' (the path leaves the upload folder)'}`,
      {},
      'upload the picture first, next to the release (same folder under incoming/), then the release',
    );
  }
  return object.body;
}

/** The key of a file referred to relative to the release; undefined when the path leaves `incoming/`. */
export function besideKey(uploadKey: string, ref: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(ref.split(/[?#]/)[0]!);
  } catch {
    return undefined;
  }
  if (path.startsWith('/') || path.includes('\\')) return undefined;
  const key = posix.normalize(posix.join(posix.dirname(uploadKey), path));
  return key.startsWith('incoming/') && !key.split('/').includes('..') ? key : undefined;
}

/** The renditions a variant shows (body and boilerplates). */
export function renditionPathsOf(variant: Pick<Variant, 'content'>): string[] {
  const blocks = [...variant.content.body, ...variant.content.boilerplates.flatMap((b) => b.body)];
  return [...new Set(blocks.flatMap((b) => (b.type === 'picture' && b.asset ? b.asset.renditions.map((r) => r.path) : [])))];
}

/**
 * Copies a variant's renditions from the uploads bucket to the distribution bucket (skipping the
 * ones already there: content-addressed keys never change). Run before the pages are written,
 * so a page never shows a picture that is not there yet.
 */
export async function publishPictures(deps: { uploads: ObjectStore; distribution: ObjectStore }, variant: Pick<Variant, 'content'>): Promise<number> {
  let copied = 0;
  for (const path of renditionPathsOf(variant)) {
    if (await deps.distribution.head(path)) continue;
    const object = await deps.uploads.get(path);
    if (!object) throw new Error(`rendition ${path} is missing from the uploads bucket`);
    await deps.distribution.put(path, object.body, { contentType: object.contentType ?? 'application/octet-stream', cacheControl: IMMUTABLE_CACHE_CONTROL });
    copied++;
  }
  return copied;
}
