/**
 * `ObjectStore` on S3: one bucket. Missing keys are `undefined`, not errors, because "not there
 * yet" is an ordinary state in an at-least-once pipeline.
 */
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, NotFound, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore, PutObjectOptions, StoredObject } from '../../ports';

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

/** CopySource is `bucket/key` with the key URL-encoded per segment (keys may hold spaces, `+`, `%`, Unicode). */
function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
      return { body, ...objectHeaders(result) };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async head(key: string): Promise<Omit<StoredObject, 'body'> | undefined> {
    try {
      const result = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return objectHeaders(result);
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async put(key: string, body: Uint8Array | string, options: PutObjectOptions): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
        ContentType: options.contentType,
        ...(options.cacheControl ? { CacheControl: options.cacheControl } : {}),
        ...(options.metadata ? { Metadata: options.metadata } : {}),
      }),
    );
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: toKey, CopySource: copySource(this.bucket, fromKey) }));
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async *list(prefix: string): AsyncIterable<string> {
    let token: string | undefined;
    do {
      const page = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) if (object.Key !== undefined) yield object.Key;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}

/** What GetObject and HeadObject both answer about an object, in the port's shape. */
function objectHeaders(result: { Metadata?: Record<string, string>; ContentType?: string; ETag?: string; LastModified?: Date }): Omit<StoredObject, 'body'> {
  return {
    metadata: result.Metadata ?? {},
    ...(result.ContentType ? { contentType: result.ContentType } : {}),
    ...(result.ETag ? { etag: result.ETag } : {}),
    ...(result.LastModified ? { lastModified: result.LastModified } : {}),
  };
}
