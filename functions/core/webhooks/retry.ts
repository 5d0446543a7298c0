/**
 * When to try a delivery again, and what an endpoint's answer means. The schedule is Svix's
 * (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h): eight attempts over up to ~27.6 hours,
 * long enough to outlast a subscriber's bad deploy or a night-long outage, so a correction or a
 * withdrawal still reaches the copy.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** Base delay before attempt n (index n − 1). The first attempt goes out immediately. */
export const RETRY_SCHEDULE_MS: readonly number[] = [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];

/** Attempts per message, the first included; after the last failure the delivery is `failed`. */
export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length;

/** Upper bound on a `Retry-After` we honour: a receiver cannot park a message for days. */
export const MAX_RETRY_AFTER_MS = 10 * HOUR;

export interface DelayOptions {
  /** Reference time for an HTTP-date `Retry-After`. */
  now?: Date;
  /** Source of randomness in [0, 1); injectable for deterministic tests. */
  random?: () => number;
}

/**
 * Parses a `Retry-After` header (delay-seconds or an HTTP-date) into milliseconds from `now`.
 * Undefined when absent or unreadable; never negative; capped at {@link MAX_RETRY_AFTER_MS}.
 */
export function parseRetryAfter(header: string | undefined, now: Date = new Date()): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '') return undefined;
  let ms: number;
  if (/^\d+$/.test(value)) {
    ms = Number(value) * SECOND;
  } else {
    const at = Date.parse(value);
    if (Number.isNaN(at)) return undefined;
    ms = at - now.getTime();
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Milliseconds to wait before the attempt after `attempt` (1-based number of the attempt that
 * just failed), or undefined when no attempt is left.
 *
 * Without `Retry-After`: full jitter, a uniform draw in [0, base) of the schedule's next step,
 * so that subscribers recovering from a shared outage are not hit by a synchronized wave. With a
 * readable `Retry-After` (pass it only for 429 and 503): exactly that delay, capped.
 *
 * @example
 * nextAttemptDelay(1);            // somewhere in [0, 5 s)
 * nextAttemptDelay(1, '120');     // 120 000
 * nextAttemptDelay(MAX_ATTEMPTS); // undefined: give up
 */
export function nextAttemptDelay(attempt: number, retryAfterHeader?: string, options: DelayOptions = {}): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  if (attempt >= MAX_ATTEMPTS) return undefined;
  const retryAfter = parseRetryAfter(retryAfterHeader, options.now);
  if (retryAfter !== undefined) return retryAfter;
  const base = RETRY_SCHEDULE_MS[attempt]!;
  const random = options.random ?? Math.random;
  return Math.floor(random() * base);
}

/** What one HTTP answer means for the delivery. */
export type ResponseClass = { outcome: 'delivered' } | { outcome: 'disable'; reason: string } | { outcome: 'retry'; reason: string; honourRetryAfter: boolean };

/**
 * Classifies an endpoint's HTTP status.
 *
 * - 2xx: delivered. Nothing else counts as success.
 * - 410 Gone: the endpoint asks to be removed — the subscription is disabled, no retry.
 * - Every other status is a failed attempt and is retried on the schedule, as Svix does. That
 *   includes 3xx (redirects are never followed: the subscription URL must be the final one) and
 *   4xx such as 401/403/404, which are usually a receiver's misconfiguration (a rotated secret, a
 *   broken deploy) fixed within hours: giving up at once would silently lose a withdrawal. The
 *   delivery is marked `failed` once the attempts run out, so a failure is visible, never silent.
 * - 429 and 503 additionally honour `Retry-After`.
 */
export function classifyResponse(status: number): ResponseClass {
  if (status >= 200 && status <= 299) return { outcome: 'delivered' };
  if (status === 410) return { outcome: 'disable', reason: 'HTTP 410 Gone: the endpoint asked to stop deliveries' };
  const honourRetryAfter = status === 429 || status === 503;
  if (status >= 300 && status <= 399) {
    return { outcome: 'retry', reason: `HTTP ${status} redirect not followed: set the subscription URL to the final location`, honourRetryAfter };
  }
  return { outcome: 'retry', reason: `HTTP ${status}`, honourRetryAfter };
}
