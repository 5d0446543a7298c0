/**
 * The NewsML-G2 item as a receiving system reads it: parsed as XML (htmlparser2 in XML mode),
 * then its item metadata checked per state — versions, corrections, embargo, withdrawal. Schema
 * validity is checked with xmllint in the e2e suite (test/e2e/render/newsml-g2.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'htmlparser2';
import { findAll, findOne, getAttributeValue, textContent } from 'domutils';
import type { Element } from 'domhandler';
import { renderVariantFiles } from '../../../../functions/core/render/index';
import { renderCanceledNewsmlItem, renderNewsmlItem, xhtml } from '../../../../functions/core/render/newsml-g2';
import { renderWithdrawnFiles } from '../../../../functions/core/render/withdrawn';
import { cleanDeep } from '../../../../functions/core/render/text';
import * as F from '../../../fixtures/render/releases';

const times = { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:30:00Z' };

function parse(xml: string) {
  const doc = parseDocument(xml, { xmlMode: true });
  const one = (name: string): Element | null => findOne((e) => e.name === name, doc.children, true);
  const all = (name: string): Element[] => findAll((e) => e.name === name, doc.children);
  return { one, all, attr: (name: string, attribute: string) => getAttributeValue(one(name)!, attribute) };
}

function itemOf(release = F.blinken, variant = F.blinkenEn, languages = F.BLINKEN_LANGUAGES, t: typeof times | null = times) {
  const file = renderVariantFiles({ site: F.SITE, release, variant, languages, ...(t ? { times: t } : {}) }).find((f) => f.path.endsWith('.xml'))!;
  expect(file.contentType).toBe('application/vnd.iptc.g2.newsitem+xml; charset=utf-8');
  return { file, ...parse(file.body) };
}

describe('NewsML-G2 newsItem', () => {
  it('has a version-independent guid, the version, the language and the publication times', () => {
    const { file, attr, one } = itemOf();
    expect(file.path).toBe('en/releases/seaprwire-de-2024-blinken.xml');
    expect(attr('newsItem', 'guid')).toBe('urn:polywire:seaprwire-de-2024-blinken:en');
    expect(attr('newsItem', 'version')).toBe('1');
    expect(attr('newsItem', 'standardversion')).toBe('2.35');
    expect(attr('newsItem', 'xml:lang')).toBe('en');
    expect(attr('language', 'tag')).toBe('en');
    expect(textContent(one('firstCreated')!)).toBe('2026-11-26T09:00:00Z');
    expect(textContent(one('versionCreated')!)).toBe('2026-11-26T09:30:00Z');
    expect(attr('pubStatus', 'qcode')).toBe('stat:usable');
    expect(one('signal')).toBeNull();
    expect(textContent(one('creditline')!)).toBe('SeaPRwire');
    expect(textContent(one('provider')!)).toBe('SeaPRwire');
  });

  it('a correction keeps the guid, raises the version and signals sig:correction', () => {
    const corrected = { ...F.blinkenEn, version: 2, content: { ...F.blinkenEn.content, headline: 'Corrected headline' } };
    const { attr, one, all } = itemOf({ ...F.blinken, version: 2 }, corrected, F.BLINKEN_LANGUAGES, { ...times, updatedAt: '2026-11-27T10:00:00Z' });
    expect(attr('newsItem', 'guid')).toBe('urn:polywire:seaprwire-de-2024-blinken:en');
    expect(attr('newsItem', 'version')).toBe('2');
    expect(attr('signal', 'qcode')).toBe('sig:correction');
    expect(textContent(one('firstCreated')!)).toBe('2026-11-26T09:00:00Z');
    expect(textContent(one('versionCreated')!)).toBe('2026-11-27T10:00:00Z');
    expect(textContent(all('headline')[0]!)).toBe('Corrected headline');
  });

  it('links a translation to its original and to the other language versions', () => {
    const { all } = itemOf();
    const links = all('link').map((l) => [getAttributeValue(l, 'rel'), getAttributeValue(l, 'residref') ?? getAttributeValue(l, 'href')]);
    expect(links).toEqual([
      ['irel:seeAlso', 'https://news.example.com/en/releases/seaprwire-de-2024-blinken.html'],
      ['irel:translationOf', 'urn:polywire:seaprwire-de-2024-blinken:de'],
      ['irel:seeAlso', 'urn:polywire:seaprwire-de-2024-blinken:ja'],
      ['irel:seeAlso', 'urn:polywire:seaprwire-de-2024-blinken:ar'],
    ]);
    const original = itemOf(F.blinken, F.blinkenDe);
    expect(original.all('link').some((l) => getAttributeValue(l, 'rel') === 'irel:translationOf')).toBe(false);
  });

  it('states the embargo and is withheld while the embargo is ahead of the publication time', () => {
    // acme: embargoed until 2026-11-26T08:00:00Z
    const after = itemOf(F.acme, F.acmeEn, ['en'], times);
    expect(textContent(after.one('embargoed')!)).toBe('2026-11-26T08:00:00Z');
    expect(after.attr('pubStatus', 'qcode')).toBe('stat:usable');
    const before = itemOf(F.acme, F.acmeEn, ['en'], { publishedAt: '2026-11-26T07:00:00Z', updatedAt: '2026-11-26T07:00:00Z' });
    expect(before.attr('pubStatus', 'qcode')).toBe('stat:withheld');
    // No publication time at all: fail closed.
    expect(itemOf(F.acme, F.acmeEn, ['en'], null).attr('pubStatus', 'qcode')).toBe('stat:withheld');
  });

  it('takes the lifecycle state it is given (withheld by a hold record, canceled)', () => {
    const article = { site: F.SITE, release: cleanDeep(F.blinken), variant: cleanDeep(F.blinkenEn), languages: F.BLINKEN_LANGUAGES, times };
    const held = parse(renderNewsmlItem({ ...article, state: { pubStatus: 'withheld', hold: { kind: 'embargo', until: '2026-12-01T00:00:00Z' } } }));
    expect(held.attr('pubStatus', 'qcode')).toBe('stat:withheld');
    const canceled = parse(renderNewsmlItem({ ...article, state: { pubStatus: 'canceled', withdrawnAt: '2026-11-28T00:00:00Z', reason: 'x' } }));
    expect(canceled.attr('pubStatus', 'qcode')).toBe('stat:canceled');
  });

  it('a withdrawal replaces the item with a canceled one at the same URL, same guid, no content', () => {
    const files = renderWithdrawnFiles({
      site: F.SITE,
      releaseId: 'seaprwire-de-2024-blinken',
      language: 'en',
      version: 2,
      publishedAt: '2026-11-26T09:00:00Z',
      withdrawnAt: '2026-11-28T12:00:00Z',
      reason: 'Issued in error',
    });
    const file = files.find((f) => f.path === 'en/releases/seaprwire-de-2024-blinken.xml')!;
    const { attr, one } = parse(file.body);
    expect(attr('newsItem', 'guid')).toBe('urn:polywire:seaprwire-de-2024-blinken:en');
    expect(attr('newsItem', 'version')).toBe('2');
    expect(attr('pubStatus', 'qcode')).toBe('stat:canceled');
    expect(textContent(one('edNote')!)).toBe('Withdrawn: Issued in error');
    expect(one('contentSet')).toBeNull();
    expect(file.body).toBe(
      renderCanceledNewsmlItem({ site: F.SITE, releaseId: 'seaprwire-de-2024-blinken', language: 'en', version: 2, publishedAt: '2026-11-26T09:00:00Z', withdrawnAt: '2026-11-28T12:00:00Z', reason: 'Issued in error' }),
    );
  });

  it('carries the body as XHTML and keeps hostile text as text', () => {
    const { one, all } = itemOf(F.hostile, F.hostileEn, ['en', 'ar']);
    const html = one('html')!;
    expect(getAttributeValue(html, 'xmlns')).toBe('http://www.w3.org/1999/xhtml');
    expect(all('script')).toEqual([]);
    expect(textContent(html)).toContain('<script>window.__xss = 1</script>');
    const ar = itemOf(F.hostile, F.hostileAr, ['en', 'ar']);
    expect(getAttributeValue(ar.one('html')!, 'dir')).toBe('rtl');
  });

  it('subjects: Media Topic codes plus every category as written', () => {
    const { all } = itemOf(F.acme, F.acmeEn, ['en']);
    const subjects = all('subject').map((s) => [getAttributeValue(s, 'qcode') ?? getAttributeValue(s, 'literal'), textContent(s)]);
    expect(subjects).toEqual([
      ['medtop:13000000', 'science and technology'],
      ['technology', 'Technology'],
      ['robotics-ai', 'Robotics & AI'],
    ]);
  });

  it('is byte-identical when rendered again from the same input', () => {
    expect(itemOf().file.body).toBe(itemOf().file.body);
  });
});

describe('NewsML-G2 body XHTML', () => {
  it('closes the void elements of line breaks and pictures, as XML requires', () => {
    expect(xhtml('<p>a<br>b<br/></p><picture><source type="image/webp" srcset="a.webp 600w"><img src="x.jpg" alt="A &gt; B" width="80"></picture>')).toBe(
      '<p>a<br/>b<br/></p><picture><source type="image/webp" srcset="a.webp 600w"/><img src="x.jpg" alt="A &gt; B" width="80"/></picture>',
    );
  });
});
