import { describe, expect, it } from 'vitest';
import { messageIdFor, parseWebhookQueueMessage, serializeEnvelope, toEnvelope, WebhookEventSchema } from '../../../../functions/core/webhooks/event';
import { publishedEvent } from './fixtures';

describe('WebhookEventSchema', () => {
  it('accepts a real-shaped event and rejects a missing page URL', () => {
    expect(WebhookEventSchema.parse(publishedEvent)).toEqual(publishedEvent);
    const { url: _url, ...withoutUrl } = publishedEvent;
    expect(WebhookEventSchema.safeParse(withoutUrl).success).toBe(false);
  });

  it('rejects an unknown event type', () => {
    expect(WebhookEventSchema.safeParse({ ...publishedEvent, type: 'release.deleted' }).success).toBe(false);
  });
});

describe('toEnvelope / serializeEnvelope', () => {
  it('wraps the event as { type, timestamp, data } with the occurrence time', () => {
    const envelope = toEnvelope(publishedEvent);
    expect(envelope.type).toBe('release.published');
    expect(envelope.timestamp).toBe('2026-11-26T09:30:00.000Z');
    expect(envelope.data).not.toHaveProperty('type');
    expect(envelope.data.headline).toBe(publishedEvent.headline);
  });

  it('produces identical bytes for identical events (retries carry the same body)', () => {
    expect(serializeEnvelope({ ...publishedEvent })).toBe(serializeEnvelope(publishedEvent));
  });
});

describe('messageIdFor', () => {
  it('is stable for the same subscription, type, release, version and language', () => {
    const id = messageIdFor('sub_a', publishedEvent);
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(messageIdFor('sub_a', { ...publishedEvent, headline: 'edited headline' })).toBe(id);
  });

  it('differs per subscription, event type, version and language', () => {
    const id = messageIdFor('sub_a', publishedEvent);
    expect(messageIdFor('sub_b', publishedEvent)).not.toBe(id);
    expect(messageIdFor('sub_a', { ...publishedEvent, type: 'release.withdrawn' })).not.toBe(id);
    expect(messageIdFor('sub_a', { ...publishedEvent, version: 2 })).not.toBe(id);
    expect(messageIdFor('sub_a', { ...publishedEvent, language: 'de' })).not.toBe(id);
  });
});

describe('parseWebhookQueueMessage', () => {
  it('tells a fan-out job from a delivery job', () => {
    expect(parseWebhookQueueMessage({ event: publishedEvent }).kind).toBe('fan-out');
    const delivery = parseWebhookQueueMessage({ subscriptionId: 'sub_a', messageId: 'msg_1', event: publishedEvent, attempt: 1 });
    expect(delivery.kind).toBe('delivery');
  });

  it('rejects a delivery job without an attempt number', () => {
    expect(() => parseWebhookQueueMessage({ subscriptionId: 'sub_a', messageId: 'msg_1', event: publishedEvent })).toThrow();
  });
});
