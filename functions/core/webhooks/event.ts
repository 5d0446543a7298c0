/**
 * What a subscriber receives, and the two queue messages that carry it: the publish stage sends a
 * `WebhookJob` per published, corrected, withdrawn or (to trusted subscribers) embargoed language
 * version; the deliver stage fans it out into one `DeliveryJob` per matching subscription and
 * retries each on its own.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { LanguageTagSchema, ReleaseIdSchema } from '../release';

export const WEBHOOK_EVENT_TYPES = ['release.published', 'release.updated', 'release.withdrawn', 'release.embargoed'] as const;
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

const absoluteUrl = z.url({ protocol: /^https?$/ });

/**
 * One change of one language version of a release. `release.updated` is a correction (a new
 * `version`); `release.withdrawn` tells copies to take the page down — it is sent for every
 * language version that was published or sent under embargo, to the subscriptions that received
 * it. `release.embargoed` goes only to subscriptions that opted in to embargoed content: the
 * language version in full (`ninjs`, `pubStatus: withheld`) with `embargoedUntil`, because nothing
 * of it is public to fetch; `url` and `ninjsUrl` are where it will be after the lift.
 */
export const WebhookEventSchema = z.object({
  type: WebhookEventTypeSchema,
  releaseId: ReleaseIdSchema,
  version: z.int().check(z.gte(1)),
  language: LanguageTagSchema,
  /** The language version's page. */
  url: absoluteUrl,
  /** The same version as IPTC ninjs (for withdrawals: `pubStatus: canceled`). */
  ninjsUrl: absoluteUrl,
  /** The same version as an IPTC NewsML-G2 `newsItem` (for withdrawals: `stat:canceled`). Absent in events queued before it existed. */
  newsmlUrl: z.optional(absoluteUrl),
  headline: z.string().check(z.minLength(1)),
  /** When the change happened (ISO 8601 with offset); the envelope's `timestamp`. */
  occurredAt: z.iso.datetime({ offset: true }),
  /**
   * Category names of the version, used by subscriptions that filter by category. Absent means
   * unknown: category filters then let the event through rather than risk a missed withdrawal.
   */
  categories: z.optional(z.array(z.string().check(z.minLength(1)))),
  /**
   * Short hash of the language version's content. Two events about the same version with
   * different content (a second human translation) get different `webhook-id`s; repeats of one
   * event keep theirs.
   */
  contentHash: z.optional(z.string().check(z.minLength(1))),
  /** `release.withdrawn`: the operator's reason, as given. */
  reason: z.optional(z.string().check(z.minLength(1))),
  /**
   * `release.withdrawn`: false when this language version was never public (it was withdrawn
   * under embargo; only subscriptions that received `release.embargoed` hear of it).
   */
  wasPublic: z.optional(z.boolean()),
  /** `release.embargoed`: the instant (UTC) before which nothing of it may be published. */
  embargoedUntil: z.optional(z.iso.datetime({ offset: true })),
  /** `release.embargoed`: the language version as an IPTC ninjs 3.1 document (`pubStatus: withheld`). */
  ninjs: z.optional(z.record(z.string(), z.unknown())),
});
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;

/** The Standard Webhooks payload shape: `{ type, timestamp, data }`. */
export interface WebhookEnvelope {
  type: WebhookEventType;
  timestamp: string;
  data: Omit<WebhookEvent, 'type'>;
}

/** Wraps an event in the Standard Webhooks envelope. */
export function toEnvelope(event: WebhookEvent): WebhookEnvelope {
  const { type, ...data } = event;
  return { type, timestamp: event.occurredAt, data };
}

/**
 * The exact bytes a subscriber receives (and that are signed). Deterministic for an event, so
 * every retry of a message carries an identical body.
 */
export function serializeEnvelope(event: WebhookEvent): string {
  return JSON.stringify(toEnvelope(event));
}

/** Sent by the publish stage on the webhook queue: one per changed language version. */
export const WebhookJobSchema = z.object({ event: WebhookEventSchema });
export type WebhookJob = z.infer<typeof WebhookJobSchema>;

/** One delivery attempt of one event to one subscription. */
export const DeliveryJobSchema = z.object({
  subscriptionId: z.string().check(z.minLength(1)),
  /** The `webhook-id`; see {@link messageIdFor}. */
  messageId: z.string().check(z.minLength(1)),
  event: WebhookEventSchema,
  /** 1-based number of the attempt this job makes. */
  attempt: z.int().check(z.gte(1)),
  /**
   * Epoch milliseconds before which the attempt must not run. SQS delays a message by at most
   * 15 minutes, so longer back-offs are re-delayed in hops until this instant.
   */
  notBefore: z.optional(z.int().check(z.gte(0))),
});
export type DeliveryJob = z.infer<typeof DeliveryJobSchema>;

/** A message on the webhook queue: a job to fan out, or one delivery. */
export type WebhookQueueMessage = { kind: 'fan-out'; job: WebhookJob } | { kind: 'delivery'; job: DeliveryJob };

/**
 * Tells the two message shapes apart (a delivery names its subscription) and validates them.
 * Throws the zod error of the shape it was meant to be when invalid.
 */
export function parseWebhookQueueMessage(body: unknown): WebhookQueueMessage {
  if (typeof body === 'object' && body !== null && 'subscriptionId' in body) {
    return { kind: 'delivery', job: DeliveryJobSchema.parse(body) };
  }
  return { kind: 'fan-out', job: WebhookJobSchema.parse(body) };
}

/**
 * The stable `webhook-id` of an event for a subscription: a retried attempt, a duplicated SQS
 * message or a re-sent publish job all reuse it, so receivers can drop duplicates by id.
 * Different subscriptions get different ids so one receiver cannot learn another's traffic. The
 * event's `contentHash`, when present, is part of the id: a second `release.updated` of the same
 * version with new content (a replaced translation) is a new message, not a duplicate.
 */
export function messageIdFor(subscriptionId: string, event: WebhookEvent): string {
  const parts = [subscriptionId, event.type, event.releaseId, String(event.version), event.language];
  if (event.contentHash !== undefined) parts.push(event.contentHash);
  const digest = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `msg_${digest.slice(0, 32)}`;
}
