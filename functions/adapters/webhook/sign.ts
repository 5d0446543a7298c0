/**
 * Standard Webhooks v1 signing, delegated to the reference library so that any receiver using a
 * Standard Webhooks verifier (there are libraries for most languages) accepts the signature.
 */
import { Webhook } from 'standardwebhooks';

export const WEBHOOK_USER_AGENT = 'polywire-webhooks/1';

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
 * Returns the request headers for one webhook attempt: `webhook-id`, `webhook-timestamp` (Unix
 * seconds), `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`), plus
 * content type and user agent.
 */
export function signedWebhookHeaders({ secret, messageId, timestamp, body }: SignInput): Record<string, string> {
  const signature = new Webhook(secret).sign(messageId, timestamp, body);
  return {
    'content-type': 'application/json',
    'user-agent': WEBHOOK_USER_AGENT,
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
