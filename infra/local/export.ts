/**
 * `polywire start --export <dir>`: the distribution bucket as plain files, for static hosting
 * anywhere. Keys become relative paths; a key that would escape the folder is refused.
 */
import { GetObjectCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ensureWritableDir } from './data-dir';

export interface ExportResult {
  files: number;
  bytes: number;
}

/** `pageSize`: keys per listing request (S3's default 1,000). */
export async function exportBucket(s3: S3Client, bucket: string, directory: string, pageSize = 1000): Promise<ExportResult> {
  const root = resolve(directory);
  ensureWritableDir(root, directory, { name: 'export folder', flag: '--export' });
  let files = 0;
  let bytes = 0;
  for await (const page of paginateListObjectsV2({ client: s3, pageSize }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key!;
      const target = resolve(root, key);
      const inside = relative(root, target);
      if (key.endsWith('/') || inside.startsWith('..') || inside === '') throw new Error(`refusing to export key ${JSON.stringify(key)}: it is not a file path inside ${root}`);
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const body = await response.Body!.transformToByteArray();
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(join(root, inside), body);
      files += 1;
      bytes += body.byteLength;
    }
  }
  return { files, bytes };
}
