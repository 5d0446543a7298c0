import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBClient, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertPortFree, startEmulators, type Emulators } from '../../../infra/local/emulators';
import { TABLE } from '../../../functions/adapters/dynamodb/table';

describe('embedded emulators', () => {
  let emulators: Emulators;
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-emu-'));

  beforeAll(async () => {
    emulators = await startEmulators({ dataDir });
  });
  afterAll(async () => {
    await emulators?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores objects byte-for-byte through the real S3 client (no aws-chunked framing)', async () => {
    const s3 = new S3Client(emulators.s3ClientConfig());
    const body = 'Grüße aus Berlin — 東京 🚀';
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/a b+c%.txt', Body: body }));
    const got = await s3.send(new GetObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/a b+c%.txt' }));
    expect(await got.Body!.transformToString()).toBe(body);
  });

  it('never shows a reader a half-written object while the key is rewritten (S3 PUTs are atomic)', async () => {
    const s3 = new S3Client({ ...emulators.s3ClientConfig(), maxAttempts: 1 });
    const bucket = emulators.buckets.distribution;
    const key = 'de/feed.json';
    // Each version is one repeated letter, so any mix of versions or a short read is visible.
    const version = (n: number) => String.fromCharCode(97 + (n % 26)).repeat(512 * 1024);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: version(0), ContentType: 'application/json' }));
    let writing = true;
    const writer = (async () => {
      for (let n = 1; n <= 30; n++) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: version(n), ContentType: 'application/json' }));
      }
      writing = false;
    })();
    const torn: string[] = [];
    let reads = 0;
    const reader = async () => {
      while (writing) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const text = await got.Body!.transformToString();
        reads++;
        if (text.length !== 512 * 1024 || text !== text[0]!.repeat(text.length) || got.ContentType !== 'application/json') {
          torn.push(`${text.length} bytes, ${new Set(text).size} letter(s), ${got.ContentType}`);
        }
      }
    };
    await Promise.all([writer, reader(), reader(), reader()]);
    expect(reads).toBeGreaterThan(0);
    expect(torn).toEqual([]);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'de/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: 'de/copy.json', CopySource: `${bucket}/${key}` }));
    const copy = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'de/copy.json' }));
    expect(copy.ContentType).toBe('application/json');
    expect((await copy.Body!.transformToString()).length).toBe(512 * 1024);
  });

  it('creates the table from the shared definition', async () => {
    const dynamo = new DynamoDBClient(emulators.dynamoClientConfig());
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: emulators.tableName }));
    expect(Table?.KeySchema?.map((k) => k.AttributeName)).toEqual([TABLE.partitionKey.name, TABLE.sortKey.name]);
    expect(Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['gsi1']);
  });

  it('keeps state across a restart on the same data folder', async () => {
    await emulators.close();
    emulators = await startEmulators({ dataDir });
    const s3 = new S3Client(emulators.s3ClientConfig());
    const got = await s3.send(new GetObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/a b+c%.txt' }));
    expect(await got.Body!.transformToString()).toContain('東京');
  });

  it('names a busy port clearly', async () => {
    const port = Number(new URL(emulators.s3Endpoint).port);
    await expect(assertPortFree('127.0.0.1', port, 'S3 endpoint')).rejects.toThrow(/already in use/);
  });
});
