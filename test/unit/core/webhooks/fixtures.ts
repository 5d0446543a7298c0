import type { WebhookEvent } from '../../../../functions/core/webhooks/event';
import type { Subscription } from '../../../../functions/core/webhooks/subscription';

/** The German sample release, published in French: what the publish stage sends. */
export const publishedEvent: WebhookEvent = {
  type: 'release.published',
  releaseId: 'usa-warnt-russland-vor-moeglicher-unterstuetzung',
  version: 1,
  language: 'fr',
  url: 'https://news.polywire.example/fr/releases/usa-warnt-russland-vor-moeglicher-unterstuetzung.html',
  ninjsUrl: 'https://news.polywire.example/fr/releases/usa-warnt-russland-vor-moeglicher-unterstuetzung.json',
  headline: 'Les États-Unis mettent en garde la Russie contre un éventuel soutien au programme nucléaire nord-coréen',
  occurredAt: '2026-11-26T09:30:00.000Z',
  categories: ['À la une', 'Actualités du jour'],
};

export const subscription: Subscription = {
  id: 'sub_3f9a1c2b7d',
  url: 'https://copies.zeitung.example/hooks/polywire',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  status: 'active',
};
