import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { signedWebhookHeaders } from '../../../../functions/adapters/webhook/sign';
import { serializeEnvelope } from '../../../../functions/core/webhooks/event';
import { publishedEvent, subscription } from '../../core/webhooks/fixtures';

function signNow() {
  const body = serializeEnvelope(publishedEvent);
  const headers = signedWebhookHeaders({
    secret: subscription.secret,
    messageId: 'msg_5b1c0f0a4f2e4d3c9a8b7c6d5e4f3a2b',
    timestamp: new Date(),
    body,
  });
  return { body, headers };
}

describe('signedWebhookHeaders', () => {
  it('produces Standard Webhooks headers a real verifier accepts', () => {
    const { body, headers } = signNow();
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'polywire-webhooks/1',
      'webhook-id': 'msg_5b1c0f0a4f2e4d3c9a8b7c6d5e4f3a2b',
    });
    expect(headers['webhook-timestamp']).toMatch(/^\d{10}$/);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const payload = new Webhook(subscription.secret).verify(body, headers) as { type: string; data: { releaseId: string } };
    expect(payload.type).toBe('release.published');
    expect(payload.data.releaseId).toBe(publishedEvent.releaseId);
  });

  it('fails verification with another secret', () => {
    const { body, headers } = signNow();
    const other = new Webhook('whsec_ZmFrZS1zZWNyZXQtMjQtYnl0ZXMtbG9uZyEh');
    expect(() => other.verify(body, headers)).toThrow(WebhookVerificationError);
  });

  it('fails verification when the body was tampered with', () => {
    const { body, headers } = signNow();
    const tampered = body.replace('release.published', 'release.withdrawn');
    expect(tampered).not.toBe(body);
    expect(() => new Webhook(subscription.secret).verify(tampered, headers)).toThrow(WebhookVerificationError);
  });

  it('fails verification when the id was swapped', () => {
    const { body, headers } = signNow();
    expect(() => new Webhook(subscription.secret).verify(body, { ...headers, 'webhook-id': 'msg_other' })).toThrow(WebhookVerificationError);
  });
});
