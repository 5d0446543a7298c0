import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CopyObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { bridgeS3Notifications, decodeS3EventKey, encodeS3EventKey } from '../../../infra/local/s3-events';
import { LocalQueue } from '../../../infra/local/sqs/queue';
import { compareSequencers, decodeS3Key } from '../../../functions/core/pipeline/s3-events';

describe('S3 event notifications from s3rver, as S3 sends them', () => {
  let emulators: Emulators;
  let s3: S3Client;
  let queue: LocalQueue;
  let unbridge: () => void;

  beforeAll(async () => {
    emulators = await startEmulators();
    s3 = new S3Client(emulators.s3ClientConfig());
    queue = new LocalQueue({ name: 'polywire-ingest' });
    unbridge = bridgeS3Notifications(emulators.s3, { bucket: emulators.buckets.uploads, prefix: 'incoming/', queue });
  });
  afterAll(async () => {
    unbridge?.();
    s3?.destroy();
    await emulators?.close();
  });

  const notifications = (): S3Event[] => queue.receive(10, 60).map((m) => JSON.parse(m.body) as S3Event);

  it('URL-encodes keys like S3 (space as +, UTF-8 percent-encoding, / kept) so that decoding restores them', async () => {
    const keys = ['incoming/März Q1 100%.txt', 'incoming/a+b c.md', 'incoming/東京 発表 (1).txt', 'incoming/semi;colon:eq=.txt'];
    for (const key of keys) await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: key, Body: 'x' }));
    const records = notifications().flatMap((n) => n.Records);
    expect(records.map((r) => r.s3.object.key)).toEqual(['incoming/M%C3%A4rz+Q1+100%25.txt', 'incoming/a%2Bb+c.md', 'incoming/%E6%9D%B1%E4%BA%AC+%E7%99%BA%E8%A1%A8+%281%29.txt', 'incoming/semi%3Bcolon%3Aeq%3D.txt']);
    expect(records.map((r) => decodeS3Key(r.s3.object.key))).toEqual(keys);
    expect(records.map((r) => decodeS3EventKey(r.s3.object.key))).toEqual(keys);
  });

  it('writes a real-shaped record: bucket ARN, size, eTag without quotes, increasing hex sequencer', async () => {
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/release.txt', Body: 'hello' }));
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/release.txt', Body: 'hello again' }));
    const [first, second] = notifications().map((n) => n.Records[0]!);
    expect(first).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      awsRegion: 'us-east-1',
      s3: {
        bucket: { name: 'polywire-uploads', arn: 'arn:aws:s3:::polywire-uploads' },
        object: { key: 'incoming/release.txt', size: 5, eTag: '5d41402abc4b2a76b9719d911017c592' },
      },
    });
    expect(first!.s3.object.sequencer).toMatch(/^[0-9A-F]{16}$/);
    expect(compareSequencers(first!.s3.object.sequencer, second!.s3.object.sequencer)).toBeLessThan(0);
  });

  it('delivers only ObjectCreated under incoming/ of the uploads bucket: pipeline writes never trigger it', async () => {
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'releases/r1/v1.json', Body: '{}' }));
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'quarantine/bad.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.distribution, Key: 'incoming/looks-like-it.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: emulators.buckets.distribution, Key: 'de/index.html', Body: '<p>' }));
    expect(notifications()).toEqual([]);
    await s3.send(new CopyObjectCommand({ Bucket: emulators.buckets.uploads, Key: 'incoming/copied.txt', CopySource: `${emulators.buckets.uploads}/quarantine/bad.txt` }));
    expect(notifications().map((n) => n.Records[0]!.eventName)).toEqual(['ObjectCreated:Copy']);
  });

  it('encodes the characters Java-style form encoding does', () => {
    expect(encodeS3EventKey("incoming/it's ~here! *ok*")).toBe('incoming/it%27s+%7Ehere%21+*ok*');
  });
});
