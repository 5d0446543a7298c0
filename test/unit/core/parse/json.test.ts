import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { inlineText, type Inline } from '../../../../functions/core/release';
import { BODY, parseText, seed } from './helpers';

describe('polywire JSON releases', () => {
  it('reads the German seed: blocks as strings and objects, explicit parts, translations', async () => {
    const release = await parseRelease({ name: 'lindqvist.json', bytes: seed('lindqvist-bahn-de-2026.json') });
    expect(release).toMatchObject({
      id: 'lindqvist-wasserstoffzug-harz',
      version: 2,
      language: 'de',
      subheadline: 'Zwei Triebwagen ersetzen ab Dezember die Dieselloks auf der Strecke Nordhausen – Wernigerode',
      sourceTag: { raw: 'WERNIGERODE, 24. November 2026 –', place: 'WERNIGERODE', date: '24. November 2026' },
      categories: ['Verkehr', 'Energie', 'Industrie'],
      boilerplates: [{ kind: 'issuer', title: 'Über die Lindqvist Bahntechnik GmbH' }],
      contacts: [{ name: 'Jonas Brenner', organization: 'Lindqvist Bahntechnik GmbH', phone: '+49 3941 555 0123', email: 'presse@lindqvist-bahn.example' }],
      glossary: ['Lindqvist Bahntechnik', 'Brocken H2', 'Harzquerbahn'],
    });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'quote', 'heading', 'paragraph', 'list', 'paragraph']);
    // „Brocken H2“ names a product: a short quoted segment does not make a quote block.
    expect(release.body[1]!.type).toBe('paragraph');
    expect(release.body[4]).toMatchObject({ content: expect.arrayContaining([{ type: 'link', href: 'https://www.nationalpark-harz.example/', children: [{ type: 'text', text: 'Nationalpark Harz' }] }]) });
    expect(release.translations?.en).toMatchObject({ headline: expect.stringMatching(/^Lindqvist Bahntechnik sends/), categories: [], boilerplates: [] });
  });

  it('detects the language when none is declared, and recognizes wire parts in paragraph strings', async () => {
    const json = {
      headline: 'Acme opens plant',
      body: [`(SeaPRwire) – ${BODY.en}`, 'Industries: Manufacturing'],
    };
    const release = await parseText('acme.json', JSON.stringify(json));
    expect(release).toMatchObject({ language: 'en', languageSource: 'detected', sourceTag: { wire: 'SeaPRwire' }, categories: ['Manufacturing'], id: 'acme' });
  });

  it('keeps the text of a link with an unsafe target and drops the link, in the body and in translations', async () => {
    const unsafe = [
      { type: 'text', text: `${BODY.en} Read ` },
      { type: 'link', href: 'javascript:alert(1)', children: [{ type: 'strong', children: [{ type: 'text', text: 'the details' }] }] },
      { type: 'text', text: ' or ' },
      { type: 'link', href: 'data:text/html,<script>alert(1)</script>', children: [{ type: 'text', text: 'the summary' }] },
      { type: 'text', text: ' at ' },
      { type: 'link', href: 'https://acme.example/plant', children: [{ type: 'text', text: 'acme.example' }] },
      { type: 'text', text: '.' },
    ];
    const json = { headline: 'Acme opens plant', language: 'en', body: [{ type: 'paragraph', content: unsafe }], translations: { de: { headline: 'Acme eröffnet Werk', body: [{ type: 'paragraph', content: unsafe }] } } };
    const release = await parseText('acme.json', JSON.stringify(json));
    for (const body of [release.body, release.translations!.de!.body]) {
      const content = (body[0] as { content: Array<{ type: string; href?: string }> }).content;
      expect(content.filter((node) => node.type === 'link').map((node) => node.href)).toEqual(['https://acme.example/plant']);
      expect(content).toContainEqual({ type: 'strong', children: [{ type: 'text', text: 'the details' }] });
      expect(JSON.stringify(content)).not.toMatch(/javascript:|data:/);
      expect(inlineText(content as Inline[])).toContain('Read the details or the summary at acme.example.');
    }
  });
});

describe('IPTC ninjs items', () => {
  it('reads the Japanese seed: headlines by role, HTML body, subjects, uri as id, dates', async () => {
    const release = await parseRelease({ name: 'item.json', bytes: seed('hoshizora-ja-2026.ninjs.json') });
    expect(release).toMatchObject({
      id: expect.stringMatching(/^2026-11-21-kobe-ferry-[0-9a-f]{10}$/),
      language: 'ja',
      headline: '星空モビリティ、神戸港で国内初の電動高速旅客船を就航',
      subheadline: '神戸と関西国際空港を約30分で結び、年間1,800トンのCO2を削減',
      categories: ['運輸', '環境'],
      date: '2026-11-21T10:00:00+09:00',
      source: { format: 'ninjs' },
    });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'quote', 'paragraph']);
    expect(release.boilerplates).toMatchObject([{ kind: 'issuer', title: '星空モビリティについて' }]);
  });

  it('reads IPTC’s own example (text/plain and body_xhtml bodies, dateline)', async () => {
    const item = {
      uri: 'http://ninjs.example.com/newsitems/20130709simp123',
      type: 'text',
      versionCreated: '2013-07-09T10:37:00Z',
      headlines: [{ role: 'main', value: 'Captain of wrecked cruise ship on trial in Italy' }],
      bodies: [
        { role: 'main', contentType: 'text/plain', value: 'GROSSETO, Italy (AP) -- The trial of the captain has begun.' },
        { role: 'richtext', contentType: 'body_xhtml', value: `<p>GROSSETO, Italy (AP) -- The trial of the captain of the shipwrecked Costa Concordia cruise liner has begun in a theater.</p> <p>${BODY.en}</p>` },
      ],
    };
    const release = await parseText('ninjs.json', JSON.stringify(item));
    expect(release).toMatchObject({ id: expect.stringMatching(/^20130709simp123-[0-9a-f]{10}$/), language: 'en', sourceTag: { wire: 'AP', place: 'GROSSETO, Italy' }, date: '2013-07-09T10:37:00Z' });
    expect(release.body).toHaveLength(2);
  });

  it('reads a text/plain body and the 3.x embargo field', async () => {
    const item = {
      uri: 'urn:newsml:acme:2026:plant',
      language: 'en-US',
      embargoedUntil: '2026-11-20T14:00:00Z',
      headlines: [{ value: 'Acme opens plant' }],
      bodies: [{ contentType: 'text/plain', value: `${BODY.en}\n\n“We are proud of the team that built this plant,” said the CEO.` }],
      subjects: [{ literal: 'manufacturing' }],
    };
    const release = await parseText('x.json', JSON.stringify(item));
    expect(release).toMatchObject({ id: expect.stringMatching(/^plant-[0-9a-f]{10}$/), language: 'en', embargo: { until: '2026-11-20T14:00:00Z' }, categories: ['manufacturing'] });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'quote']);
  });
});
