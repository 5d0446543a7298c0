import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore } from '../../../../functions/adapters/s3/object-store';

const client = () => new S3Client({ region: 'eu-central-1' });

describe('S3ObjectStore', () => {
  it('returns undefined for a missing key instead of throwing', async () => {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));
    s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'not found', $metadata: {} }));
    const store = new S3ObjectStore({ client: client(), bucket: 'uploads' });
    expect(await store.get('releases/a/v1.json')).toBeUndefined();
    expect(await store.head('releases/a/v1.json')).toBeUndefined();
    s3.restore();
  });

  it('passes other errors on', async () => {
    const s3 = mockClient(S3Client);
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }));
    await expect(new S3ObjectStore({ client: client(), bucket: 'uploads' }).get('k')).rejects.toThrow('slow down');
    s3.restore();
  });

  it('URL-encodes the copy source of keys with spaces, +, % and Unicode', async () => {
    const s3 = mockClient(S3Client);
    s3.on(CopyObjectCommand).resolves({});
    await new S3ObjectStore({ client: client(), bucket: 'uploads' }).copy('incoming/März+Q1 100%.txt', 'quarantine/März+Q1 100%.txt');
    expect(s3.commandCalls(CopyObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: 'uploads',
      Key: 'quarantine/März+Q1 100%.txt',
      CopySource: 'uploads/incoming/M%C3%A4rz%2BQ1%20100%25.txt',
    });
    s3.restore();
  });
});
