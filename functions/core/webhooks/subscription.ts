/**
 * A subscriber (a downstream news site) and what it wants to hear about. The URL rules here are
 * the syntactic half of the SSRF defence; the address half (which IPs a host may resolve to) runs
 * at connection time in `adapters/webhook/address-policy.ts`.
 */
import * as z from 'zod/mini';
import { InputError } from '../errors';
import { LanguageTagSchema } from '../release';
import { WebhookEventTypeSchema, type WebhookEvent } from './event';
import { isLoopbackHost } from './host';

export const SubscriptionIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'subscription id must be 1–64 characters of A–Z, a–z, 0–9, _ and -' }));

/** `whsec_` + base64 of at least 24 random bytes (Standard Webhooks asks for 24–64). */
export const WebhookSecretSchema = z.string().check(z.regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, { message: 'secret must be whsec_ followed by base64 of at least 24 bytes' }));

export const SubscriptionSchema = z.object({
  id: SubscriptionIdSchema,
  url: z.url({ protocol: /^https?$/ }),
  secret: WebhookSecretSchema,
  /** BCP 47 tags; a tag also matches its subtags (`zh` matches `zh-Hans`). Absent = all languages. */
  languages: z.optional(z.array(LanguageTagSchema).check(z.minLength(1))),
  /** Category names (case-insensitive). Absent = all categories. */
  categories: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
  /** Event types. Absent = all (`release.embargoed` only with `embargoed`). */
  events: z.optional(z.array(WebhookEventTypeSchema).check(z.minLength(1))),
  /**
   * A trusted subscriber that receives embargoed releases before the lift (`release.embargoed`,
   * with the content inline). Everyone else hears nothing of an embargoed release until it is public.
   */
  embargoed: z.optional(z.boolean()),
  /**
   * Made with `polywire subscribe --allow-loopback`: a receiver on this machine (127.0.0.1,
   * localhost, ::1). Honoured only by a deliver function running on the local stack; see
   * `loopbackAllowed`.
   */
  allowLoopback: z.optional(z.boolean()),
  status: z.enum(['active', 'disabled']),
  /** Why delivery stopped, e.g. `HTTP 410 Gone from the endpoint on 2026-11-26T10:00:00Z`. */
  disabledReason: z.optional(z.string()),
  createdAt: z.optional(z.iso.datetime({ offset: true })),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export interface UrlPolicyOptions {
  /**
   * Accept `http://127.0.0.1`, `http://localhost` and `http://[::1]` (any port): local runs and
   * tests only. Never on in a deployment.
   */
  allowLoopback?: boolean;
}

/** Loopback in any spelling (`localhost.`, `[::127.0.0.1]`, `[::ffff:7f00:1]`): see `normalizeHost`. */
const isLoopbackHostname = isLoopbackHost;

/**
 * The one rule for loopback receivers, in the words every refusal uses (at subscribe time and at
 * delivery time): the subscription opted in and the pipeline runs on the local stack.
 */
export const LOOPBACK_RULE = 'a loopback receiver (127.0.0.1, localhost, ::1) gets deliveries only on the local stack and only if subscribed with --allow-loopback';

/**
 * Whether deliveries to this subscription may go to a loopback address: it was made with
 * `--allow-loopback` and the deliver function runs on the local stack (`localRun`, which the
 * deliver configuration derives from the SDK pointing at emulators). Never true in the cloud.
 *
 * @example
 * deliverWebhook(subscription, job, { dispatcher, allowLoopback: loopbackAllowed(subscription, config.localRun) });
 */
export function loopbackAllowed(subscription: Pick<Subscription, 'allowLoopback'>, localRun: boolean): boolean {
  return localRun && subscription.allowLoopback === true;
}

/**
 * Why a subscriber URL is not acceptable, or undefined when it is. https only (http only for
 * loopback with `allowLoopback`), no credentials in the URL. Private addresses behind a hostname
 * are refused later, when connecting.
 */
export function subscriptionUrlProblem(url: string, options: UrlPolicyOptions = {}): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not an absolute URL';
  }
  if (parsed.username || parsed.password) return 'credentials in the URL are not allowed (they would be logged and shared)';
  if (parsed.protocol === 'https:') {
    if (isLoopbackHostname(parsed.hostname) && !options.allowLoopback) return LOOPBACK_RULE;
    return undefined;
  }
  if (parsed.protocol === 'http:') {
    if (isLoopbackHostname(parsed.hostname)) return options.allowLoopback ? undefined : LOOPBACK_RULE;
    return 'only https URLs are allowed';
  }
  return `unsupported scheme ${parsed.protocol.replace(/:$/, '')}`;
}

/** Validates a subscriber URL; throws an `InputError` naming the problem and the fix. */
export function assertSubscriptionUrl(url: string, options: UrlPolicyOptions = {}): string {
  const problem = subscriptionUrlProblem(url, options);
  if (problem) {
    throw new InputError('WEBHOOK_URL_INVALID', `${url}: ${problem}`, { field: 'url' }, 'use a public https:// URL of your webhook endpoint, e.g. https://news.example.com/hooks/polywire');
  }
  return new URL(url).href;
}

function languageMatches(wanted: readonly string[], language: string): boolean {
  const tag = language.toLowerCase();
  return wanted.some((w) => {
    const want = w.toLowerCase();
    return tag === want || tag.startsWith(`${want}-`);
  });
}

/**
 * Whether a subscription hears of a withdrawal: it is active and did not opt out of
 * `release.withdrawn`, whatever its language and category filters say now — a withdrawal has to
 * reach every copy, including those made while the filters were different. Which subscriptions
 * had the release at all is the deliver stage's recipient log (see `fanOut`).
 */
export function reachesWithdrawal(subscription: Subscription): boolean {
  return subscription.status === 'active' && (!subscription.events || subscription.events.includes('release.withdrawn'));
}

/**
 * Whether a subscription wants an event: it is active and every filter it sets accepts the event.
 * An event without categories passes category filters (a withdrawal must not be lost for want of
 * metadata).
 */
export function matches(subscription: Subscription, event: WebhookEvent): boolean {
  if (subscription.status !== 'active') return false;
  // Embargoed content goes to trusted subscribers only, whatever else they accept.
  if (event.type === 'release.embargoed' && subscription.embargoed !== true) return false;
  if (subscription.events && !subscription.events.includes(event.type)) return false;
  if (subscription.languages && !languageMatches(subscription.languages, event.language)) return false;
  if (subscription.categories && event.categories) {
    const wanted = new Set(subscription.categories.map((c) => c.toLocaleLowerCase()));
    if (!event.categories.some((c) => wanted.has(c.toLocaleLowerCase()))) return false;
  }
  return true;
}
