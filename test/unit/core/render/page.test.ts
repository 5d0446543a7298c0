import { describe, expect, it } from 'vitest';
import { parseDocument } from 'htmlparser2';
import { findAll, textContent } from 'domutils';
import { CONTENT_SECURITY_POLICY, renderVariantFiles, type OutputFile } from '../../../../functions/core/render/index';
import { openGraphLocale } from '../../../../functions/core/render/page';
import * as F from '../../../fixtures/render/releases';
import { elementsOf, executableBitsOf, hreflangsOf } from '../../../fixtures/render/checks';

const times = { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' };

function pageOf(files: OutputFile[]): string {
  return files.find((f) => f.path.endsWith('.html'))!.body;
}

function blinkenPages(): Map<string, string> {
  return new Map(F.blinkenVariants.map((variant) => [variant.language, pageOf(renderVariantFiles({ site: F.SITE, release: F.blinken, variant, languages: F.BLINKEN_LANGUAGES, times }))]));
}

function attr(html: string, selector: (name: string, attribs: Record<string, string>) => boolean, name: string) {
  return elementsOf(html).find((el) => selector(el.name, el.attribs))?.attribs[name];
}

describe('article page', () => {
  it('lists every language version including itself, plus x-default, with absolute URLs, reciprocally', () => {
    // Prepare
    const pages = blinkenPages();
    // Assess
    const urlOfLang = (lang: string) => `https://news.example.com/${lang}/releases/seaprwire-de-2024-blinken.html`;
    for (const [lang, html] of pages) {
      const hreflangs = hreflangsOf(html);
      expect([...hreflangs.keys()].sort()).toEqual([...F.BLINKEN_LANGUAGES, 'x-default'].sort());
      expect(hreflangs.get('x-default')).toBe(urlOfLang('de'));
      expect(hreflangs.get(lang)).toBe(urlOfLang(lang));
      // Reciprocal: every page this one points to points back to it.
      for (const [other, href] of hreflangs) {
        if (other === 'x-default') continue;
        expect(href).toBe(urlOfLang(other));
        expect(hreflangsOf(pages.get(other)!).get(lang)).toBe(urlOfLang(lang));
      }
    }
  });

  it('is right-to-left for Arabic and left-to-right for German', () => {
    const pages = blinkenPages();
    expect(pages.get('ar')).toMatch(/^<!doctype html>\n<html lang="ar" dir="rtl">/);
    expect(pages.get('de')).toMatch(/^<!doctype html>\n<html lang="de" dir="ltr">/);
  });

  it('points canonical to the original-language page, or to the release’s own canonical URL', () => {
    const pages = blinkenPages();
    for (const html of pages.values()) {
      expect(attr(html, (n, a) => n === 'link' && a.rel === 'canonical', 'href')).toBe('https://news.example.com/de/releases/seaprwire-de-2024-blinken.html');
    }
    const own = pageOf(renderVariantFiles({ site: F.SITE, release: { ...F.acme, canonicalUrl: 'https://acme.example/news/r2' }, variant: F.acmeEn, languages: ['en'] }));
    expect(attr(own, (n, a) => n === 'link' && a.rel === 'canonical', 'href')).toBe('https://acme.example/news/r2');
  });

  it('carries the strict CSP, OpenGraph and a parseable NewsArticle JSON-LD', () => {
    const html = blinkenPages().get('en')!;
    expect(attr(html, (n, a) => n === 'meta' && a['http-equiv'] === 'Content-Security-Policy', 'content')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'none'");
    expect(attr(html, (n, a) => n === 'meta' && a.property === 'og:url', 'content')).toBe('https://news.example.com/en/releases/seaprwire-de-2024-blinken.html');
    const ld = findAll((el) => el.name === 'script', parseDocument(html).children);
    expect(ld).toHaveLength(1);
    const data = JSON.parse(textContent(ld[0]!)) as Record<string, unknown>;
    expect(data).toMatchObject({
      '@type': 'NewsArticle',
      inLanguage: 'en',
      datePublished: times.publishedAt,
      translationOfWork: { '@id': 'https://news.example.com/de/releases/seaprwire-de-2024-blinken.html' },
      translator: { name: 'Amazon Translate' },
    });
  });

  it('discloses machine translation and pseudo-localization, and not on the original', () => {
    const pages = blinkenPages();
    expect(pages.get('en')).toContain('Machine translation by Amazon Translate.');
    expect(pages.get('ar')).toContain('ترجمة آلية بواسطة Amazon Translate.');
    expect(pages.get('ja')).toContain('polywire pseudo-localizer');
    expect(pages.get('ja')).toContain('class="notice notice-pseudo"');
    expect(pages.get('de')).not.toContain('class="notice');
  });

  it('renders quotes, headings, lists, links with nofollow noopener, categories, boilerplate, contact, embargo', () => {
    const html = pageOf(renderVariantFiles({ site: F.SITE, release: F.acme, variant: F.acmeEn, languages: ['en'] }));
    expect(html).toContain('<a href="https://acme.example/r2" rel="nofollow noopener">the product page</a>');
    expect(html).toContain('<h2>Availability</h2>');
    expect(html).toContain('<ul><li>Europe: March</li><li>Asia: May</li></ul>');
    expect(html).toContain('<a href="../../en/categories/robotics-ai/index.html">Robotics &amp; AI</a>');
    expect(html).toContain('<h2>About Acme Robotics</h2>');
    expect(html).toContain('<a href="mailto:press@acme.example">press@acme.example</a>');
    expect(html).toContain('<time datetime="2026-11-26T09:00:00+01:00">');
    expect(html).toContain('Embargoed until');
    // The dateline is already the start of the first paragraph: it is not printed twice.
    const body = html.split('<div class="body">')[1]!.split('</div>')[0]!;
    expect(body.match(/PRNewswire/g)).toHaveLength(1);
    const blinken = blinkenPages().get('de')!;
    expect(blinken).toContain('<blockquote><p>“Tatsächlich');
    expect(blinken).toContain('<p><span class="dateline">(SeaPRwire) –</span> In einer');
  });

  it('links the contact address found in the raw text, and escapes the text around it', () => {
    const render = (contact: (typeof F.acme.contacts)[number]) => pageOf(renderVariantFiles({ site: F.SITE, release: { ...F.acme, contacts: [contact] }, variant: F.acmeEn, languages: ['en'] }));
    const bracketed = render({ name: 'Jane Doe', email: 'press@acme.example', text: 'Jane Doe <press@acme.example> & team\nR&D <lab> https://acme.example/press?a=1&b=2', url: 'https://acme.example/press?a=1&b=2' });
    expect(bracketed).toContain(
      '<p class="contact">Jane Doe &lt;<a href="mailto:press@acme.example">press@acme.example</a>&gt; &amp; team<br>R&amp;D &lt;lab&gt; <a href="https://acme.example/press?a=1&amp;b=2" rel="nofollow noopener">https://acme.example/press?a=1&amp;b=2</a></p>',
    );
    // An address that only appears in the escaped text (across the `&lt;` entity) is not there as written.
    const acrossEntity = render({ email: 'lt;press@acme.example', text: 'Press office <press@acme.example>' });
    expect(acrossEntity).toContain('<p class="contact">Press office &lt;press@acme.example&gt;</p>');
    expect(acrossEntity).not.toContain('&<a');
  });

  it('marks pseudo-localized pages noindex, and only those', () => {
    const pages = blinkenPages();
    const robots = (html: string) => attr(html, (name, attribs) => name === 'meta' && attribs.name === 'robots', 'content');
    expect(robots(pages.get('ja')!)).toBe('noindex');
    for (const lang of ['de', 'en', 'ar']) expect(robots(pages.get(lang)!), lang).toBeUndefined();
  });

  it('declares og:locale in OpenGraph form and the other language versions as og:locale:alternate', () => {
    const pages = blinkenPages();
    const og = (html: string, property: string) =>
      elementsOf(html)
        .filter((el) => el.name === 'meta' && el.attribs.property === property)
        .map((el) => el.attribs.content);
    expect(og(pages.get('de')!, 'og:locale')).toEqual(['de_DE']);
    expect(og(pages.get('de')!, 'og:locale:alternate').sort()).toEqual(['ar_EG', 'en_US', 'ja_JP']);
    expect(og(pages.get('ar')!, 'og:locale')).toEqual(['ar_EG']);
    expect(og(pages.get('ar')!, 'og:locale:alternate').sort()).toEqual(['de_DE', 'en_US', 'ja_JP']);
    expect(['zh-Hans', 'zh-Hant', 'pt', 'pt-PT', 'en'].map(openGraphLocale)).toEqual(['zh_CN', 'zh_TW', 'pt_BR', 'pt_PT', 'en_US']);
  });

  it('escapes the XSS fixture set: no script, handler or script URL survives, in either direction', () => {
    for (const variant of [F.hostileEn, F.hostileAr]) {
      const html = pageOf(renderVariantFiles({ site: F.SITE, release: F.hostile, variant, languages: ['en', 'ar'] }));
      expect(executableBitsOf(html)).toEqual([]);
      expect(html).not.toMatch(/javascript:|data:text/i);
      // The JSON-LD block stays one element and its data round-trips.
      const scripts = findAll((el) => el.name === 'script', parseDocument(html).children);
      expect(scripts).toHaveLength(1);
      const data = JSON.parse(textContent(scripts[0]!)) as { alternativeHeadline: string };
      expect(data.alternativeHeadline).toContain(F.HOSTILE.styleBreak);
      // Text is shown, not interpreted.
      expect(html).toContain('&lt;script&gt;window.__xss = 1&lt;/script&gt;');
    }
  });

  it('has a checker that does catch scripts, handlers and script URLs', () => {
    expect(executableBitsOf('<p onclick="x"><script>1</script><a href=" javascript:x">x</a><a href="../ok.html">ok</a></p>')).toHaveLength(3);
  });

  it('strips control and bidi override characters and keeps emoji', () => {
    const html = pageOf(renderVariantFiles({ site: F.SITE, release: F.hostile, variant: F.hostileEn, languages: ['en'] }));
    expect(html).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
    expect(html).toContain('invoicegpj.exe');
    expect(html).toContain('🚀👩🏽‍💻 🇩🇪');
  });

  it('keeps a 10,000-character headline whole on the page and shortens it in <title> and JSON-LD', () => {
    const html = pageOf(renderVariantFiles({ site: F.SITE, release: F.longRelease, variant: F.longEn, languages: ['en'] }));
    const h1 = findAll((el) => el.name === 'h1', parseDocument(html).children)[0]!;
    expect(textContent(h1)).toBe(F.longHeadline);
    const title = textContent(findAll((el) => el.name === 'title', parseDocument(html).children)[0]!);
    expect([...new Intl.Segmenter().segment(title)].length).toBeLessThanOrEqual(200 + ' – polywire newsroom'.length);
    expect(title).toMatch(/…/);
    expect(html).not.toContain('class="categories"');
  });

  it('links every other language by its native name', () => {
    const html = blinkenPages().get('de')!;
    expect(html).toContain('hreflang="ar" lang="ar">العربية</a>');
    expect(html).toContain('<li aria-current="page"><span lang="de">Deutsch</span></li>');
  });
});
