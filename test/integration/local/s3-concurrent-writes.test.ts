/** The embedded S3 keeps one whole body when two PUTs of one key overlap, as S3 does. */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';

describe('s3rver object writes', () => {
  let emulators: Emulators;
  let s3: S3Client;

  beforeAll(async () => {
    emulators = await startEmulators();
    s3 = new S3Client(emulators.s3ClientConfig());
  });
  afterAll(async () => {
    s3?.destroy();
    await emulators?.close();
  });

  it('never interleaves overlapping PUTs of one key into a corrupt object', async () => {
    const bucket = emulators.buckets.uploads;
    for (let round = 0; round < 5; round++) {
      const key = `variants/concurrent/v${round}/de.json`;
      // Bodies of different lengths: an interleaved write leaves the longer one's tail behind the shorter.
      const bodies = Array.from({ length: 8 }, (_, i) => JSON.stringify({ writer: i, padding: 'x'.repeat(2000 - i * 150) }));
      await Promise.all(bodies.map((body) => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }))));
      const stored = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
      expect(bodies).toContain(stored);
    }
  });
});
