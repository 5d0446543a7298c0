import { describe, expect, it } from 'vitest';
import { invalidationPaths, invalidationReference, MAX_INVALIDATION_PATHS } from '../../../../functions/core/publish/invalidation';

describe('invalidationPaths', () => {
  it('turns bucket keys into sorted, unique, percent-encoded URL paths, with / for the root page', () => {
    expect(invalidationPaths(['de/feed.xml', 'index.html', 'de/feed.xml', 'zh-Hans/categories/能源/feed.xml', 'de/releases/a b.html'])).toEqual([
      '/',
      '/de/feed.xml',
      '/de/releases/a%20b.html',
      '/index.html',
      '/zh-Hans/categories/%E8%83%BD%E6%BA%90/feed.xml',
    ]);
  });

  it('only the root index.html stands for /, not a language index', () => {
    expect(invalidationPaths(['de/index.html'])).toEqual(['/de/index.html']);
  });

  it('falls back to one wildcard above the limit of explicit paths', () => {
    const keys = Array.from({ length: MAX_INVALIDATION_PATHS + 1 }, (_, i) => `de/releases/r${i}.html`);
    expect(invalidationPaths(keys)).toEqual(['/*']);
    expect(invalidationPaths(keys.slice(1))).toHaveLength(MAX_INVALIDATION_PATHS);
  });
});

describe('invalidationReference', () => {
  it('is the same for the same paths and moment, and differs when either changes', () => {
    const at = '2026-11-26T12:00:01.000Z';
    const reference = invalidationReference(['/de/feed.xml'], at);
    expect(reference).toMatch(/^polywire-20261126120001000-[0-9a-f]{16}$/);
    expect(invalidationReference(['/de/feed.xml'], at)).toBe(reference);
    expect(invalidationReference(['/fr/feed.xml'], at)).not.toBe(reference);
    expect(invalidationReference(['/de/feed.xml'], '2026-11-26T12:00:02.000Z')).not.toBe(reference);
  });
});
