import { beforeAll, describe, expect, it } from 'vitest';
import { feedEntryOf, loadFeedRenderer, renderLanguageFiles } from '../../../../functions/core/render/index';
import { feedText } from '../../../../functions/core/render/feeds';
import * as F from '../../../fixtures/render/releases';

// The feed libraries (feed, sanitize-html) are loaded on first use (functions/core/render/feeds.ts).
beforeAll(() => loadFeedRenderer());

const HEADLINE = 'Acme </title><script>alert(0)</script> opens <b>plant</b> & grows 5 < 7';

function renderWith(headline: string, summary?: string) {
  const variant = { ...F.acmeEn, content: { ...F.acmeEn.content, headline } };
  const entry = feedEntryOf(F.acme, variant, { publishedAt: '2026-11-26T08:00:00Z', updatedAt: '2026-11-26T08:00:00Z' });
  const entries = [summary === undefined ? entry : { ...entry, summary }];
  const files = Object.fromEntries(renderLanguageFiles({ site: F.SITE, language: 'en', entries, updatedAt: '2026-11-26T08:00:00Z' }).map((f) => [f.path, f.body]));
  return { rss: files['en/feed.xml']!, atom: files['en/atom.xml']!, json: JSON.parse(files['en/feed.json']!) as { items: { title: string; summary: string }[] } };
}

describe('feed text fields carry plain text', () => {
  it('removes tag-shaped sequences and keeps the words and a lone <', () => {
    expect(feedText(HEADLINE)).toBe('Acme alert(0) opens plant & grows 5 < 7');
    expect(feedText('<!-- x --> a <?php ?> b')).toBe('a b');
  });

  it('RSS, Atom and JSON Feed titles of a headline with markup hold no tags', () => {
    const { rss, atom, json } = renderWith(HEADLINE, 'Summary with <img src=x onerror=alert(1)> markup');
    const rssTitle = /<item>\s*<title><!\[CDATA\[(.*?)\]\]><\/title>/s.exec(rss)?.[1];
    expect(rssTitle).toBe('Acme alert(0) opens plant & grows 5 < 7');
    const atomTitle = /<entry>\s*<title type="html">(.*?)<\/title>/s.exec(atom)?.[1];
    expect(atomTitle).toBe('<![CDATA[Acme alert(0) opens plant &amp; grows 5 &lt; 7]]>');
    expect(json.items[0]!.title).toBe('Acme alert(0) opens plant & grows 5 < 7');
    expect(json.items[0]!.summary).toBe('Summary with markup');
    for (const body of [rss, atom, JSON.stringify(json)]) expect(body).not.toMatch(/<\/?script|&lt;\/?script|<\/title><script/);
  });

  it('is linear on a long run of unclosed tag starts (each attempt stops at the next <)', () => {
    const text = '<a'.repeat(50_000);
    expect(feedText(text)).toBe(text);
  });
});
