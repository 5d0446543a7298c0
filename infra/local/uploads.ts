/**
 * Getting releases into the local uploads bucket: the seed folder at start-up and a drop folder
 * watched while the stack runs. Uploads go through the real S3 client, so s3rver's event (and
 * with it the whole pipeline) fires exactly as for an `aws s3 cp`.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { INCOMING_PREFIX } from '../../functions/core/pipeline/s3-events';
import { ensureWritableDir } from './data-dir';

/** Metadata key holding the SHA-256 of the uploaded bytes, so an unchanged file is not sent again. */
export const CONTENT_SHA256_METADATA = 'polywire-sha256';

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.markdown': 'text/markdown; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.json': 'application/json',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
};

export type UploadOutcome = 'uploaded' | 'unchanged';

/** Uploads `file` as `incoming/<name>` unless an object with the same bytes is already there. */
export async function uploadIfChanged(s3: S3Client, bucket: string, file: string, key = `${INCOMING_PREFIX}${basename(file)}`): Promise<UploadOutcome> {
  const body = readFileSync(file);
  const sha256 = createHash('sha256').update(body).digest('hex');
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    if (head.Metadata?.[CONTENT_SHA256_METADATA] === sha256) return 'unchanged';
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name !== 'NotFound' && name !== 'NoSuchKey') throw error;
  }
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      Metadata: { [CONTENT_SHA256_METADATA]: sha256 },
    }),
  );
  return 'uploaded';
}

/** The release files of a folder: regular top-level files, no dotfiles or READMEs. */
export function releaseFilesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((name) => !name.startsWith('.') && !/^readme(\.|$)/i.test(name))
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .sort();
}

export interface DropFolderWatcher {
  close(): void;
}

/**
 * Watches a folder and uploads each file that appears or changes, once its size has been stable
 * for `settleMs` (so a file still being copied in is not uploaded half-written).
 */
export function watchDropFolder(
  folder: string,
  upload: (file: string) => Promise<void>,
  options: { settleMs?: number; onError?: (file: string, error: unknown) => void } = {},
): DropFolderWatcher {
  ensureWritableDir(folder, folder, { name: 'drop folder', flag: '--watch' });
  const settleMs = options.settleMs ?? 300;
  const timers = new Map<string, NodeJS.Timeout>();
  const sizes = new Map<string, number>();
  const check = (file: string) => {
    clearTimeout(timers.get(file));
    timers.set(
      file,
      setTimeout(() => {
        timers.delete(file);
        let size: number;
        try {
          const stat = statSync(file);
          if (!stat.isFile()) return;
          size = stat.size;
        } catch {
          return; // removed again
        }
        if (sizes.get(file) !== size) {
          sizes.set(file, size);
          return check(file);
        }
        sizes.delete(file);
        upload(file).catch((error: unknown) => options.onError?.(file, error));
      }, settleMs),
    );
  };
  const watcher: FSWatcher = watch(folder, (_event, name) => {
    if (!name || name.startsWith('.')) return;
    check(join(folder, name.toString()));
  });
  for (const file of releaseFilesIn(folder)) check(file);
  return {
    close: () => {
      watcher.close();
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
