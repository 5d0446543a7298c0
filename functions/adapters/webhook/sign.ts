/**
 * Standard Webhooks v1 signing (https://www.standardwebhooks.com/): HMAC-SHA256 with node:crypto,
 * which every function loads anyway, rather than the reference library, whose own SHA-256 and
 * base64 code (about 12 KiB) the deliver function compiled at every cold start. The tests verify
 * every signature with that reference library (`standardwebhooks`), as a receiver would.
 */
import { createHmac } from 'node:crypto';

export const WEBHOOK_USER_AGENT = 'polywire-webhooks/1';

/** The prefix of a Standard Webhooks secret; the rest is the key, base64-encoded. */
const SECRET_PREFIX = 'whsec_';

/** Padded standard base64, as the reference library requires (it refuses anything else). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface SignInput {
  /** `whsec_…` secret of the subscription. */
  secret: string;
  /** Stable per message: the same on every retry. */
  messageId: string;
  /** Send time; receivers reject timestamps more than ~5 minutes off. */
  timestamp: Date;
  /** The exact body bytes that will be sent. */
  body: string;
}

/**
 * The key of a `whsec_…` secret. Malformed base64 throws rather than being decoded leniently (as
 * Buffer would): a key no receiver's verifier derives the same way would only produce signatures
 * that fail there.
 */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (!BASE64.test(encoded)) throw new Error('webhook secret is not valid base64 after whsec_');
  return Buffer.from(encoded, 'base64');
}

/**
 * Returns the request headers for one webhook attempt: `webhook-id`, `webhook-timestamp` (Unix
 * seconds), `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), plus
 * content type and user agent.
 */
export function signedWebhookHeaders({ secret, messageId, timestamp, body }: SignInput): Record<string, string> {
  const seconds = String(Math.floor(timestamp.getTime() / 1000));
  const signature = createHmac('sha256', secretKey(secret)).update(`${messageId}.${seconds}.${body}`, 'utf8').digest('base64');
  return {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'webhook-id': messageId,
    'webhook-timestamp': seconds,
    'webhook-signature': `v1,${signature}`,
  };
}
