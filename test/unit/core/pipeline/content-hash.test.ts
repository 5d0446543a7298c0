import { describe, expect, it } from 'vitest';
import { publishMessage, variantContentHash } from '../../../../functions/core/pipeline/jobs';
import { messageIdFor, type WebhookEvent } from '../../../../functions/core/webhooks/event';

const content = (headline: string) => ({
  headline,
  subheadline: undefined,
  body: [{ type: 'paragraph', children: [{ type: 'text', text: `${headline}: Acme Robotics a nommé Maria Lopez ingénieure en chef.` }] }],
  categories: ['Technologie'],
});

const event: WebhookEvent = {
  type: 'release.updated',
  releaseId: 'chief-engineer',
  version: 1,
  language: 'fr',
  url: 'https://news.example.com/fr/releases/chief-engineer.html',
  ninjsUrl: 'https://news.example.com/fr/releases/chief-engineer.ninjs.json',
  headline: 'Acme nomme une nouvelle ingénieure en chef',
  occurredAt: '2026-11-26T09:30:00.000Z',
};

describe('variantContentHash', () => {
  it('is equal for the same translation and differs for another translation or provenance', () => {
    const human = { provenance: { kind: 'human' as const, engine: 'human' }, content: content('Acme nomme une nouvelle ingénieure') };
    const hash = variantContentHash(human as never);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(variantContentHash(structuredClone(human) as never)).toBe(hash);
    expect(variantContentHash({ ...human, content: content('Acme nomme sa nouvelle ingénieure') } as never)).not.toBe(hash);
    expect(variantContentHash({ ...human, provenance: { kind: 'machine', engine: 'deepl' } } as never)).not.toBe(hash);
  });
});

describe('publish deduplication ids', () => {
  it('tell two human translations of one version apart, and keep the hash for a long release id', () => {
    const job = { kind: 'variant', releaseId: 'chief-engineer', version: 1, language: 'fr' } as const;
    expect(publishMessage(job, 'human.aaaaaaaaaaaaaaaa').deduplicationId).not.toBe(publishMessage(job, 'human.bbbbbbbbbbbbbbbb').deduplicationId);
    const long = { ...job, releaseId: 'a'.repeat(120) };
    const first = publishMessage(long, 'human.aaaaaaaaaaaaaaaa').deduplicationId!;
    expect(first.length).toBeLessThanOrEqual(128);
    expect(first.endsWith('.human.aaaaaaaaaaaaaaaa')).toBe(true);
    expect(publishMessage(long, 'human.bbbbbbbbbbbbbbbb').deduplicationId).not.toBe(first);
  });
});

describe('webhook ids with content', () => {
  it('differ for a second update of one version with other content, and stay stable for a repeat', () => {
    const first = messageIdFor('sub_a', { ...event, contentHash: 'aaaaaaaaaaaaaaaa' });
    expect(messageIdFor('sub_a', { ...event, contentHash: 'bbbbbbbbbbbbbbbb' })).not.toBe(first);
    expect(messageIdFor('sub_a', { ...event, occurredAt: '2026-11-26T09:31:00.000Z', contentHash: 'aaaaaaaaaaaaaaaa' })).toBe(first);
  });
});
