/**
 * The feed libraries (feed, sanitize-html) and the sitemap package are loaded on first use, so
 * publish's cold start does not compile them. Rendering before they are loaded must fail, never
 * fall back to unsanitized item HTML. Its own file: the module state (not yet loaded) is fresh in
 * each test file.
 */
import { describe, expect, it } from 'vitest';
import { feedEntryOf, loadFeedRenderer, loadSitemapRenderer, renderArchivePage, renderLanguageFiles, renderRootFiles } from '../../../../functions/core/render/index';
import * as F from '../../../fixtures/render/releases';

describe('feeds before and after loadFeedRenderer', () => {
  // The hostile fixture's Arabic variant: markup in its summary and engine name.
  const entry = feedEntryOf(F.hostile, F.hostileAr, { publishedAt: '2026-11-26T08:00:00Z', updatedAt: '2026-11-26T08:00:00Z' });
  const input = { site: F.SITE, language: 'ar', entries: [entry], updatedAt: entry.updatedAt };

  it('refuses to render feeds (and so item HTML) before the libraries are loaded', () => {
    expect(() => renderLanguageFiles(input)).toThrow(/loadFeedRenderer/);
    expect(() => renderArchivePage({ site: F.SITE, language: 'ar', page: 1, entries: [entry] })).toThrow(/loadFeedRenderer/);
  });

  it('renders with sanitized item HTML once loaded, and loading twice is harmless', async () => {
    await Promise.all([loadFeedRenderer(), loadFeedRenderer()]);
    await loadFeedRenderer();
    const files = renderLanguageFiles(input);
    const rss = files.find((file) => file.path === 'ar/feed.xml')!.body;
    expect(rss).toContain('<item>');
    expect(rss).not.toMatch(/<script/i);
    expect(renderArchivePage({ site: F.SITE, language: 'ar', page: 1, entries: [entry] })).toHaveLength(3);
  });

  it('refuses to render the root files (sitemaps) before the sitemap package is loaded', async () => {
    const root = () => renderRootFiles({ site: F.SITE, languages: [{ language: 'ar', latest: [entry] }], recent: [entry], now: '2026-11-27T00:00:00Z' });
    expect(root).toThrow(/loadSitemapRenderer/);
    await loadSitemapRenderer();
    expect(root().find((file) => file.path === 'sitemap.xml')!.body).toContain('<loc>');
  });
});
