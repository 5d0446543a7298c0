/**
 * S3 event notifications as they arrive in an SQS message body: decoding, filtering and ordering.
 * S3 delivers at least once, in no order across keys, with keys URL-encoded (`+` for spaces);
 * the `sequencer` orders the events of one key only.
 */
import * as z from 'zod/mini';
import { builtOnFirstUse } from '../first-use';

/** The prefix that triggers the pipeline; nothing the pipeline writes ever lands under it. */
export const INCOMING_PREFIX = 'incoming/';

const S3RecordSchema = builtOnFirstUse(() =>
  z.object({
    eventName: z.string(),
    eventTime: z.optional(z.string()),
    s3: z.object({
      bucket: z.object({ name: z.string() }),
      object: z.object({
        key: z.string(),
        size: z.optional(z.number()),
        eTag: z.optional(z.string()),
        versionId: z.optional(z.string()),
        sequencer: z.optional(z.string()),
      }),
    }),
  }),
);

const S3NotificationSchema = builtOnFirstUse(() => z.object({ Records: z.array(S3RecordSchema) }));

/** One object-created event, decoded. */
export interface ObjectCreatedEvent {
  bucket: string;
  /** The decoded object key (Unicode, spaces restored). */
  key: string;
  /** Hex sequencer as sent; compare with {@link compareSequencers}. */
  sequencer: string;
  size?: number;
  eTag?: string;
  eventTime?: string;
}

/**
 * Decodes an object key from an S3 event: `+` is a space, the rest is percent-encoding.
 *
 * @example decodeS3Key('incoming/M%C3%A4rz+Q1+100%25.txt') // 'incoming/März Q1 100%.txt'
 */
export function decodeS3Key(encoded: string): string {
  return decodeURIComponent(encoded.replace(/\+/g, ' '));
}

/**
 * Orders two sequencers of the same key: right-pads the shorter with zeros, then compares as
 * strings (S3's documented rule). Negative when `a` is older, 0 when equal, positive when newer.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const left = normalizeSequencer(a, width);
  const right = normalizeSequencer(b, width);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Width sequencers are stored at, so that the database compares them as plain strings. */
export const SEQUENCER_WIDTH = 32;

/** Upper-cased and right-padded with zeros to `width` (default {@link SEQUENCER_WIDTH}). */
export function normalizeSequencer(sequencer: string, width: number = SEQUENCER_WIDTH): string {
  return sequencer.toUpperCase().padEnd(width, '0');
}

/** Whether a decoded key is an upload the pipeline should ingest (not a folder marker, not elsewhere). */
export function isIngestKey(key: string): boolean {
  return key.startsWith(INCOMING_PREFIX) && !key.endsWith('/') && key.length > INCOMING_PREFIX.length;
}

/** What an SQS message body from the uploads bucket's notification holds. */
export type S3MessageContent = { kind: 'test-event' } | { kind: 'records'; events: ObjectCreatedEvent[]; ignored: { key: string; reason: string }[] };

/**
 * Reads an SQS message body sent by S3: the `s3:TestEvent` S3 sends when notifications are
 * configured is recognised and ignored; object-created records are decoded; other event types
 * and keys outside `incoming/` are listed as ignored. Throws on a body that is not an S3
 * notification (a misrouted message must be seen, not silently dropped).
 */
export function readS3Message(body: string): S3MessageContent {
  const json: unknown = JSON.parse(body);
  if (typeof json === 'object' && json !== null && (json as { Event?: unknown }).Event === 's3:TestEvent') {
    return { kind: 'test-event' };
  }
  const notification = S3NotificationSchema.parse(json);
  const events: ObjectCreatedEvent[] = [];
  const ignored: { key: string; reason: string }[] = [];
  for (const record of notification.Records) {
    const key = decodeS3Key(record.s3.object.key);
    if (!record.eventName.startsWith('ObjectCreated:')) {
      ignored.push({ key, reason: `event ${record.eventName}` });
    } else if (!isIngestKey(key)) {
      ignored.push({ key, reason: key.endsWith('/') ? 'folder marker' : `outside ${INCOMING_PREFIX}` });
    } else {
      events.push({
        bucket: record.s3.bucket.name,
        key,
        // Events without a sequencer (hand-made ones) sort before every real one.
        sequencer: record.s3.object.sequencer ?? '0',
        ...(record.s3.object.size === undefined ? {} : { size: record.s3.object.size }),
        ...(record.s3.object.eTag === undefined ? {} : { eTag: record.s3.object.eTag }),
        ...(record.eventTime === undefined ? {} : { eventTime: record.eventTime }),
      });
    }
  }
  return { kind: 'records', events, ignored };
}
