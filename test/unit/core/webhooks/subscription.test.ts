import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../functions/core/errors';
import { assertSubscriptionUrl, matches, subscriptionUrlProblem, SubscriptionSchema } from '../../../../functions/core/webhooks/subscription';
import { publishedEvent, subscription } from './fixtures';

describe('subscriptionUrlProblem', () => {
  it('accepts public https URLs', () => {
    expect(subscriptionUrlProblem('https://copies.zeitung.example/hooks/polywire')).toBeUndefined();
    expect(subscriptionUrlProblem('https://copies.zeitung.example:8443/hooks')).toBeUndefined();
  });

  it('refuses http, other schemes, credentials and garbage', () => {
    expect(subscriptionUrlProblem('http://copies.zeitung.example/hooks')).toMatch(/only https/);
    expect(subscriptionUrlProblem('ftp://copies.zeitung.example/hooks')).toMatch(/unsupported scheme/);
    expect(subscriptionUrlProblem('https://user:pw@copies.zeitung.example/')).toMatch(/credentials/);
    expect(subscriptionUrlProblem('not a url')).toMatch(/absolute URL/);
  });

  it('accepts http on loopback only with allowLoopback', () => {
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost:3000/', 'http://[::1]:9000/']) {
      expect(subscriptionUrlProblem(url)).toBeDefined();
      expect(subscriptionUrlProblem(url, { allowLoopback: true })).toBeUndefined();
    }
    expect(subscriptionUrlProblem('https://localhost/')).toMatch(/loopback/);
    expect(subscriptionUrlProblem('http://10.0.0.5/', { allowLoopback: true })).toMatch(/only https/);
  });

  it('throws an InputError naming the field and the fix', () => {
    const error = (() => {
      try {
        assertSubscriptionUrl('http://copies.zeitung.example/hooks');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location.field).toBe('url');
    expect((error as InputError).hint).toMatch(/https:\/\//);
  });
});

describe('SubscriptionSchema', () => {
  it('requires a whsec_ secret of at least 24 bytes', () => {
    expect(SubscriptionSchema.safeParse(subscription).success).toBe(true);
    expect(SubscriptionSchema.safeParse({ ...subscription, secret: 'whsec_c2hvcnQ=' }).success).toBe(false);
    expect(SubscriptionSchema.safeParse({ ...subscription, secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).success).toBe(false);
  });
});

describe('matches', () => {
  it('matches everything when no filter is set', () => {
    expect(matches(subscription, publishedEvent)).toBe(true);
    expect(matches(subscription, { ...publishedEvent, type: 'release.withdrawn', language: 'ar' })).toBe(true);
  });

  it('never matches a disabled subscription', () => {
    expect(matches({ ...subscription, status: 'disabled' }, publishedEvent)).toBe(false);
  });

  it('filters by language, a tag matching its subtags', () => {
    const chinese = { ...subscription, languages: ['zh', 'de'] };
    expect(matches(chinese, { ...publishedEvent, language: 'zh-Hant' })).toBe(true);
    expect(matches(chinese, { ...publishedEvent, language: 'DE' })).toBe(true);
    expect(matches(chinese, publishedEvent)).toBe(false);
    expect(matches({ ...subscription, languages: ['zh-Hans'] }, { ...publishedEvent, language: 'zh-Hant' })).toBe(false);
  });

  it('sends release.embargoed only to subscriptions that opted in to embargoed content', () => {
    const embargoed = { ...publishedEvent, type: 'release.embargoed' as const, embargoedUntil: '2027-01-15T09:00:00.000Z' };
    expect(matches(subscription, embargoed)).toBe(false);
    expect(matches({ ...subscription, embargoed: true }, embargoed)).toBe(true);
    // Opted in, but filtered out by its own event list or languages.
    expect(matches({ ...subscription, embargoed: true, events: ['release.published'] }, embargoed)).toBe(false);
    expect(matches({ ...subscription, embargoed: true, languages: ['de'] }, embargoed)).toBe(false);
    // Opting in changes nothing else.
    expect(matches({ ...subscription, embargoed: true }, publishedEvent)).toBe(true);
  });

  it('filters by event type', () => {
    const withdrawalsOnly = { ...subscription, events: ['release.withdrawn' as const] };
    expect(matches(withdrawalsOnly, publishedEvent)).toBe(false);
    expect(matches(withdrawalsOnly, { ...publishedEvent, type: 'release.withdrawn' })).toBe(true);
  });

  it('filters by category case-insensitively, letting events without categories through', () => {
    const frontPage = { ...subscription, categories: ['à la une'] };
    expect(matches(frontPage, publishedEvent)).toBe(true);
    expect(matches(frontPage, { ...publishedEvent, categories: ['Sport'] })).toBe(false);
    const { categories: _c, ...uncategorized } = publishedEvent;
    expect(matches(frontPage, uncategorized)).toBe(true);
  });
});
