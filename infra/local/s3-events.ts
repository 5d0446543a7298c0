/**
 * The local stand-in for the bucket notification `uploads bucket, ObjectCreated, prefix
 * incoming/ → ingest queue`. s3rver emits S3-shaped records for every write in every bucket,
 * with raw keys and a malformed ARN; this bridge keeps only what the cloud configuration would
 * deliver and rewrites each record the way S3 writes it, so the ingest handler's decoding is
 * exercised exactly as in the cloud.
 */
import type { S3Event, S3EventRecord } from 'aws-lambda';
import type S3rver from 's3rver';
import type { LocalQueue } from './sqs/queue';

export interface S3NotificationOptions {
  bucket: string;
  prefix: string;
  queue: LocalQueue;
}

interface S3rverRecord {
  eventName: string;
  eventTime: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string; sequencer?: string } };
  [field: string]: unknown;
}

/**
 * URL-encodes an object key the way S3 event notifications do: form encoding (space → `+`,
 * everything outside `A-Z a-z 0-9 . - _ *` percent-encoded as UTF-8, so `+` → `%2B`,
 * `%` → `%25`, `(` → `%28`, `:` → `%3A`) with `/` kept as the path separator.
 */
export function encodeS3EventKey(key: string): string {
  return key
    .split('/')
    .map((segment) =>
      encodeURIComponent(segment)
        .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+'),
    )
    .join('/');
}

/** The inverse, as every consumer of S3 events must do it. */
export function decodeS3EventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/**
 * Subscribes to s3rver's events and forwards matching ObjectCreated records, wrapped in an S3
 * notification, to the queue. Returns the unsubscribe function.
 */
export function bridgeS3Notifications(s3: S3rver, options: S3NotificationOptions): () => void {
  let lastSequencer = 0n;
  const nextSequencer = () => {
    // Hex, increasing across events (S3 only orders events per key by it; this is stricter).
    const now = BigInt(Date.now()) << 16n;
    lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
    return lastSequencer.toString(16).toUpperCase().padStart(16, '0');
  };
  const listener = (event: { Records: S3rverRecord[] }) => {
    const records = event.Records.filter((r) => r.eventName.startsWith('ObjectCreated:') && r.s3.bucket.name === options.bucket && r.s3.object.key.startsWith(options.prefix)).map((r) => toS3Record(r, nextSequencer()));
    if (records.length === 0) return;
    const notification: S3Event = { Records: records };
    options.queue.send({ body: JSON.stringify(notification) });
  };
  s3.on('event', listener);
  return () => s3.off('event', listener);
}

function toS3Record(record: S3rverRecord, sequencer: string): S3EventRecord {
  const bucket = record.s3.bucket.name;
  const object = record.s3.object;
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: record.eventTime,
    eventName: record.eventName as S3EventRecord['eventName'],
    userIdentity: { principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': sequencer, 'x-amz-id-2': `local/${sequencer}` },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'polywire-incoming',
      bucket: { name: bucket, ownerIdentity: { principalId: 'A3NL1KOZZKExample' }, arn: `arn:aws:s3:::${bucket}` },
      object: {
        key: encodeS3EventKey(object.key),
        size: object.size ?? 0,
        eTag: object.eTag ?? '',
        sequencer,
      },
    },
  };
}
