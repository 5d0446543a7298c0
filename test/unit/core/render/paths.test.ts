import { describe, expect, it } from 'vitest';
import { categorySlug, guidOf, paths, urlOf } from '../../../../functions/core/render/index';
import { relativeHref } from '../../../../functions/core/render/paths';
import { InputError } from '../../../../functions/core/errors';
import { SITE } from '../../../fixtures/render/releases';

describe('categorySlug', () => {
  it.each([
    ['Top-Story', 'top-story'],
    ['Robotics & AI', 'robotics-ai'],
    ['  Tagesnachrichten  ', 'tagesnachrichten'],
    ['أخبار عاجلة', 'أخبار-عاجلة'],
    ['科技 新闻', '科技-新闻'],
    ['ข่าวเด่น', 'ข่าวเด่น'],
    ['Главные новости', 'главные-новости'],
    ['ＴＥＣＨ／ＡＩ', 'tech-ai'],
    ['Tiếng Việt', 'tiếng-việt'],
  ])('%s → %s', (name, slug) => {
    expect(categorySlug(name)).toBe(slug);
  });

  it('is bounded, stable, and never empty', () => {
    expect([...new Intl.Segmenter().segment(categorySlug('a'.repeat(500)))].length).toBe(60);
    expect(categorySlug('!!!')).toMatch(/^category-[0-9a-f]{10}$/);
    expect(categorySlug('!!!')).toBe(categorySlug('!!!'));
    expect(categorySlug('???')).not.toBe(categorySlug('!!!'));
    expect(categorySlug(categorySlug('Robotics & AI'))).toBe('robotics-ai');
    // Same slug before and after control/bidi stripping, so callers may pass raw names.
    expect(categorySlug('Tech\u0000no\u202Elogy')).toBe(categorySlug('Technology'));
  });
});

describe('paths', () => {
  it('follows the documented URL scheme', () => {
    expect(paths.page('fr', 'acme-launch')).toBe('fr/releases/acme-launch.html');
    expect(paths.ninjs('zh-Hans', 'acme-launch')).toBe('zh-Hans/releases/acme-launch.json');
    expect(paths.rss('de')).toBe('de/feed.xml');
    expect(paths.atom('de', 'Top-Story')).toBe('de/categories/top-story/atom.xml');
    expect(paths.jsonFeed('de')).toBe('de/feed.json');
    expect(paths.languageIndex('ar', 'أخبار')).toBe('ar/categories/أخبار/index.html');
    expect([paths.root(), paths.newsSitemap(), paths.sitemap()]).toEqual(['index.html', 'news-sitemap.xml', 'sitemap.xml']);
  });

  it('refuses path traversal through language or release id', () => {
    expect(() => paths.page('../etc', 'x')).toThrow(InputError);
    expect(() => paths.page('en', '../../secret')).toThrow(InputError);
  });

  it('percent-encodes absolute URLs and builds relative links from a key', () => {
    expect(urlOf(SITE, 'ar/categories/أخبار/feed.xml')).toBe('https://news.example.com/ar/categories/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/feed.xml');
    expect(relativeHref('de/releases/x.html', 'assets/site.css')).toBe('../../assets/site.css');
    expect(relativeHref('index.html', 'de/index.html')).toBe('de/index.html');
    expect(guidOf('acme-launch', 'pt')).toBe('urn:polywire:acme-launch:pt');
  });
});
