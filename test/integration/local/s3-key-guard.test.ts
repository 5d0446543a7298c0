import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { unsafeS3Path } from '../../../infra/local/s3-key-guard';

describe('local S3 endpoint: keys that would leave the bucket folder (issue 18)', () => {
  let emulators: Emulators;
  let s3: S3Client;
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-keys-'));

  beforeAll(async () => {
    emulators = await startEmulators({ dataDir });
    s3 = new S3Client(emulators.s3ClientConfig());
  });
  afterAll(async () => {
    await emulators?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const put = (Key: string) => s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key, Body: 'overwritten' }));

  it.each(['incoming/../config/glossary.yaml', 'incoming/../../../../x/e.txt', 'incoming/./a.txt', '../outside.txt'])('refuses %s with 400 and writes nothing', async (key) => {
    const error = await put(key).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(S3ServiceException);
    expect((error as S3ServiceException).$metadata.httpStatusCode).toBe(400);
    expect((error as S3ServiceException).name).toBe('InvalidArgument');
    expect(existsSync(join(dataDir, 's3', emulators.buckets.uploads, 'config'))).toBe(false);
    expect(existsSync(join(dataDir, 'x'))).toBe(false);
    expect(readdirSync(join(dataDir, 's3')).sort()).toEqual([emulators.buckets.distribution, emulators.buckets.uploads].sort());
  });

  it('still stores keys with dots inside segments', async () => {
    await put('incoming/release..v2.txt');
    await put('incoming/.hidden/..x');
    const got = await s3.send(new GetObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/release..v2.txt' }));
    expect(await got.Body!.transformToString()).toBe('overwritten');
  });

  it('judges percent-encoded segments as decoded', () => {
    expect(unsafeS3Path('/b/incoming/%2e%2e/x')).toMatch(/\.\./);
    expect(unsafeS3Path('/b/incoming/a%2F..%2Fb')).toMatch(/\.\./);
    expect(unsafeS3Path('/b/incoming/a%5Cb')).toMatch(/backslash/);
    expect(unsafeS3Path('/b/incoming/a%2e%2eb.txt')).toBeUndefined();
  });
});
