/**
 * Getting releases into the local uploads bucket: the seed folder at start-up and a drop folder
 * watched while the stack runs. Uploads go through the real S3 client, so s3rver's event (and
 * with it the whole pipeline) fires exactly as for an `aws s3 cp`.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
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
  await putRelease(s3, bucket, key, file, body, sha256);
  return 'uploaded';
}

async function putRelease(s3: S3Client, bucket: string, key: string, file: string, body: Buffer, sha256: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      Metadata: { [CONTENT_SHA256_METADATA]: sha256 },
    }),
  );
}

export type SeedOutcome = 'uploaded' | 'unchanged' | 'in-bucket';

/** Where a data folder records which seed bytes it uploaded: file name → SHA-256. */
export function seedRecordFile(dataDir: string): string {
  return join(dataDir, 'seeds-uploaded.json');
}

/**
 * Uploads the seed files that changed since this data folder last uploaded them, judged by the
 * seed file alone, never by the bucket: a seed is uploaded once, and a correction uploaded over
 * it since (any S3 client) is never reverted by a restart. A seed with no record whose key
 * already holds an object (a data folder from before the record existed) is recorded, not sent.
 */
export async function uploadSeeds(s3: S3Client, bucket: string, files: string[], recordFile: string): Promise<Map<string, SeedOutcome>> {
  const record = readSeedRecord(recordFile);
  const outcomes = new Map<string, SeedOutcome>();
  for (const file of files) {
    const name = basename(file);
    const key = `${INCOMING_PREFIX}${name}`;
    const body = readFileSync(file);
    const sha256 = createHash('sha256').update(body).digest('hex');
    if (record[name] === sha256) {
      outcomes.set(file, 'unchanged');
      continue;
    }
    if (record[name] === undefined && (await objectExists(s3, bucket, key))) {
      outcomes.set(file, 'in-bucket');
    } else {
      await putRelease(s3, bucket, key, file, body, sha256);
      outcomes.set(file, 'uploaded');
    }
    record[name] = sha256;
    // Recorded after each upload: a crash mid-way uploads only the seeds not recorded yet.
    writeFileSync(`${recordFile}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(`${recordFile}.tmp`, recordFile);
  }
  return outcomes;
}

function readSeedRecord(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

async function objectExists(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name;
    if (name === 'NotFound' || name === 'NoSuchKey') return false;
    throw error;
  }
}

/** The folder, inside the drop folder, that uploaded files are moved to. */
export const UPLOADED_SUBFOLDER = 'uploaded';

/**
 * Uploads a file dropped into the drop folder (unless the bucket already holds the same bytes),
 * then moves it to `<drop folder>/uploaded/`, so it is uploaded once: a restart never sends it
 * again over a newer version of the same key.
 */
export async function uploadDroppedFile(s3: S3Client, bucket: string, file: string): Promise<{ outcome: UploadOutcome; movedTo: string }> {
  const outcome = await uploadIfChanged(s3, bucket, file);
  const folder = join(file, '..', UPLOADED_SUBFOLDER);
  ensureWritableDir(folder, join(file, '..'), { name: 'drop folder', flag: '--watch' });
  const movedTo = join(folder, basename(file));
  renameSync(file, movedTo);
  return { outcome, movedTo };
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
export function watchDropFolder(folder: string, upload: (file: string) => Promise<void>, options: { settleMs?: number; onError?: (file: string, error: unknown) => void } = {}): DropFolderWatcher {
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
