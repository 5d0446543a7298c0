/**
 * Makes s3rver's object writes atomic, as S3's are.
 *
 * s3rver's filesystem store truncates the object file and streams the new bytes into it, then
 * writes the ETag and metadata files, and for a Buffer body it even resolves before the write has
 * finished. A GET that arrives meanwhile (the site server reading `feed.json` while publish
 * rewrites it) sees an empty or half-written object, and a crash in the middle leaves one behind
 * for good. S3 never shows either: a PUT replaces the whole object at once.
 *
 * The patch writes the bytes to a temporary file next to the object and renames it into place
 * (rename is atomic on one filesystem), and runs the rename + metadata writes of a key and the
 * reads of that key (metadata + opening the file) one at a time. An opened file keeps its inode,
 * so a reader streams the old bytes to the end even when a new version is renamed over it.
 * Idempotent; applies to every s3rver in this process.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

interface StoredObject {
  bucket: string;
  key: string;
  content: Buffer | Readable;
  metadata: Record<string, string>;
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  getMetadata(bucket: string, key: string): Promise<Record<string, unknown>>;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5?: string): Promise<void>;
  getObject(bucket: string, key: string, options?: unknown): Promise<unknown>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  copyObject(srcBucket: string, srcKey: string, destBucket: string, destKey: string, replacementMetadata?: Record<string, string>): Promise<unknown>;
  deleteObject(bucket: string, key: string): Promise<unknown>;
}

interface StoreClass {
  prototype: FilesystemStore & { polywireAtomic?: boolean };
}

/** Temporary files end in this suffix, never in s3rver's `._S3rver_object`, so listings skip them. */
const PARTIAL = '.polywire-partial';

const tails = new Map<string, Promise<unknown>>();

/** Runs `work` after every earlier piece of work on the same path has settled. */
function oneAtATime<T>(path: string, work: () => Promise<T>): Promise<T> {
  const result = (tails.get(path) ?? Promise.resolve()).then(work, work);
  const tail = result.then(
    () => undefined,
    () => undefined,
  );
  tails.set(path, tail);
  void tail.then(() => {
    if (tails.get(path) === tail) tails.delete(path);
  });
  return result;
}

async function writeFileAtomically(path: string, data: string): Promise<void> {
  const temporary = `${path}.${randomUUID()}${PARTIAL}`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

export function makeS3rverWritesAtomic(): void {
  const require = createRequire(import.meta.url);
  const Store = require('s3rver/lib/stores/filesystem.js') as StoreClass;
  const allowed = new Set((require('s3rver/lib/models/object.js') as { ALLOWED_METADATA: string[] }).ALLOWED_METADATA);
  const proto = Store.prototype;
  if (proto.polywireAtomic) return;
  const original = { getObject: proto.getObject, putMetadata: proto.putMetadata, copyObject: proto.copyObject, deleteObject: proto.deleteObject };

  proto.putMetadata = async function (this: FilesystemStore, bucket, key, metadata, md5) {
    // Same selection of stored headers as s3rver's own putMetadata, written by rename.
    const json: Record<string, string> = {};
    for (const [name, value] of Object.entries(metadata)) {
      if (allowed.has(name) || name.startsWith('x-amz-meta-')) json[name] = value;
    }
    if (md5) await writeFileAtomically(this.getResourcePath(bucket, key, 'object.md5'), md5);
    await writeFileAtomically(this.getResourcePath(bucket, key, 'metadata.json'), JSON.stringify(json, null, 2));
  };

  proto.getObject = function (this: FilesystemStore, bucket, key, options) {
    return oneAtATime(this.getResourcePath(bucket, key, 'object'), () => original.getObject.call(this, bucket, key, options));
  };

  proto.putObject = async function (this: FilesystemStore, object) {
    const objectPath = this.getResourcePath(object.bucket, object.key, 'object');
    await mkdir(dirname(objectPath), { recursive: true });
    const temporary = `${objectPath}.${randomUUID()}${PARTIAL}`;
    const md5 = createHash('md5');
    let size = 0;
    try {
      const source: Readable | Buffer = object.content;
      if (Buffer.isBuffer(source)) {
        md5.update(source);
        size = source.length;
        await writeFile(temporary, source);
      } else {
        const count = new Transform({
          transform(chunk: Buffer, _encoding, callback) {
            md5.update(chunk);
            size += chunk.length;
            callback(null, chunk);
          },
        });
        await pipeline(source, count, createWriteStream(temporary));
      }
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
    const digest = md5.digest('hex');
    await oneAtATime(objectPath, async () => {
      // Without its .md5 file s3rver recomputes the ETag from the bytes, so a crash between these
      // steps never leaves an ETag that belongs to other bytes.
      await unlink(this.getResourcePath(object.bucket, object.key, 'object.md5')).catch(ignoreMissing);
      await rename(temporary, objectPath);
      await this.putMetadata(object.bucket, object.key, object.metadata, digest);
    });
    return { size, md5: digest };
  };

  proto.copyObject = async function (this: FilesystemStore, srcBucket, srcKey, destBucket, destKey, replacementMetadata) {
    const srcPath = this.getResourcePath(srcBucket, srcKey, 'object');
    const destPath = this.getResourcePath(destBucket, destKey, 'object');
    if (srcPath === destPath) {
      return oneAtATime(destPath, () => original.copyObject.call(this, srcBucket, srcKey, destBucket, destKey, replacementMetadata));
    }
    await mkdir(dirname(destPath), { recursive: true });
    const temporary = `${destPath}.${randomUUID()}${PARTIAL}`;
    await oneAtATime(srcPath, () => copyFile(srcPath, temporary));
    const metadata = replacementMetadata ?? ((await this.getMetadata(srcBucket, srcKey)) as Record<string, string>);
    return oneAtATime(destPath, async () => {
      await unlink(this.getResourcePath(destBucket, destKey, 'object.md5')).catch(ignoreMissing);
      await rename(temporary, destPath);
      await this.putMetadata(destBucket, destKey, metadata);
      return this.getMetadata(destBucket, destKey);
    });
  };

  proto.deleteObject = function (this: FilesystemStore, bucket, key) {
    return oneAtATime(this.getResourcePath(bucket, key, 'object'), () => original.deleteObject.call(this, bucket, key));
  };

  proto.polywireAtomic = true;
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== 'ENOENT') throw error;
}
