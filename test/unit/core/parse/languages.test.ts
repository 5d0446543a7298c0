/**
 * One SeaPRwire-layout release per wire language (test/fixtures/parse/lang/<tag>.txt, our own
 * text): headline, dateline, quote, categories, disclaimer, wire boilerplate and contacts must be
 * recognized in each, whatever the script, colon, comma or word spacing.
 */
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import type { Explanation } from '../../../../functions/core/parse/structure';
import { blockText } from '../../../../functions/core/release';
import { fixture, parseText } from './helpers';

interface Expected {
  headline: RegExp;
  place: string;
  date: string;
  categories: string[];
  email: string;
  phone: string;
}

const EXPECTED: Record<string, Expected> = {
  en: { headline: /^Harbourline Ferries Orders/, place: 'HALIFAX, Nova Scotia', date: 'Nov. 20, 2026', categories: ['Transport', 'Energy', 'Local News'], email: 'press@harbourline.example', phone: '+1 902-555-0138' },
  ko: { headline: /^한빛바이오, 청주에/, place: '청주', date: '2026년 11월 20일', categories: ['제약', '지역 뉴스'], email: 'press@hanbitbio.example', phone: '+82 43-555-0176' },
  ja: { headline: /^北陸グリーン電力/, place: '富山', date: '2026年11月20日', categories: ['エネルギー', '地方ニュース'], email: 'press@hokuriku-green.example', phone: '076-555-0123' },
  ar: { headline: /^شركة رمال الخليج للطاقة/, place: 'عجمان', date: '20 نوفمبر 2026', categories: ['الطاقة', 'المياه', 'الأخبار المحلية'], email: 'media@rimal-energy.example', phone: '+971 6 555 0142' },
  'zh-Hans': { headline: /^华南储能/, place: '广州', date: '2026年11月20日', categories: ['能源', '地方新闻'], email: 'media@huanan-storage.example', phone: '+86 20-5555-0198' },
  'zh-Hant': { headline: /^台東海洋科技/, place: '台東', date: '2026年11月20日', categories: ['水資源', '地方新聞'], email: 'press@taitung-ocean.example', phone: '+886 89-555-012' },
  vi: {
    headline: /^Mekong Agritech khánh thành/,
    place: 'CẦN THƠ',
    date: 'ngày 20 tháng 11 năm 2026',
    categories: ['Nông nghiệp', 'Năng lượng', 'Tin địa phương'],
    email: 'truyenthong@mekongagritech.example',
    phone: '+84 292 555 0163',
  },
  th: { headline: /^สยามไบโอแก๊ส/, place: 'จันทบุรี', date: '20 พฤศจิกายน 2569', categories: ['พลังงาน', 'ข่าวท้องถิ่น'], email: 'pr@siambiogas.example', phone: '+66 39 555 014' },
  id: { headline: /^Sumatra Hijau Energi/, place: 'PEKANBARU', date: '20 November 2026', categories: ['Energi', 'Perkebunan', 'Berita Daerah'], email: 'media@sumatrahijau.example', phone: '+62 761 555 0184' },
  ms: { headline: /^Syarikat Air Pahang/, place: 'KUANTAN', date: '20 November 2026', categories: ['Utiliti', 'Tenaga', 'Berita Tempatan'], email: 'media@airpahang.example', phone: '+60 9-555 0172' },
  de: { headline: /^Lindenhof Molkerei/, place: 'HANNOVER', date: '20. November 2026', categories: ['Verkehr', 'Energie', 'Lokalnachrichten'], email: 'presse@lindenhof-molkerei.example', phone: '+49 5141 555 0190' },
  ru: { headline: /^«Северный ветер»/, place: 'МУРМАНСК', date: '20 ноября 2026 года', categories: ['Энергетика', 'Региональные новости'], email: 'press@severveter.example', phone: '+7 815 255-01-47' },
  fr: {
    headline: /^Les Vergers de Loire/,
    place: 'ANGERS',
    date: '20 novembre 2026',
    categories: ['Agriculture', 'Énergie', 'Actualités régionales'],
    email: 'presse@vergers-de-loire.example',
    phone: '+33 2 41 55 01 77',
  },
  es: { headline: /^Aceites del Sur/, place: 'JAÉN', date: '20 de noviembre de 2026', categories: ['Agricultura', 'Energía', 'Noticias locales'], email: 'prensa@aceitesdelsur.example', phone: '+34 953 555 021' },
  pt: {
    headline: /^Cooperativa Vale Verde/,
    place: 'RIO VERDE',
    date: '20 de novembro de 2026',
    categories: ['Agronegócio', 'Energia', 'Notícias locais'],
    email: 'imprensa@valeverde.example',
    phone: '+55 64 5555-0142',
  },
};

describe('a SeaPRwire-layout release in each of the 15 wire languages', () => {
  it('covers all 15 languages', () => {
    expect(Object.keys(EXPECTED)).toHaveLength(15);
  });

  it.each(Object.entries(EXPECTED))('%s', async (tag, expected) => {
    const explanations: Explanation[] = [];
    const release = await parseRelease({ name: `${tag}.txt`, bytes: fixture(`lang/${tag}.txt`) }, { onExplain: (found) => explanations.push(...found) });
    expect(release.language).toBe(tag);
    expect(release.headline).toMatch(expected.headline);
    expect(release.sourceTag).toMatchObject({ wire: 'SeaPRwire', place: expected.place, date: expected.date });
    expect(release.body.filter((block) => block.type === 'quote').length).toBeGreaterThanOrEqual(1);
    expect(release.categories).toEqual(expected.categories);
    expect(release.disclaimer).toContain('SeaPRwire (https://www.seaprwire.com/)');
    expect(release.boilerplates).toEqual([{ kind: 'wire', body: [expect.objectContaining({ type: 'paragraph' })] }]);
    expect(blockText(release.boilerplates[0]!.body[0]!)).toMatch(/SeaPRwire/);
    // Nothing of the trailing blocks is left in the body, and the dateline left the first paragraph.
    expect(release.body).toHaveLength(3);
    const bodyText = release.body.map(blockText).join('\n');
    expect(bodyText).not.toContain('SeaPRwire');
    expect(bodyText).not.toContain(expected.email);
    // Contacts as contacts: address whole, phone as written, one line per line.
    expect(release.contacts).toHaveLength(1);
    const [contact] = release.contacts;
    expect(contact).toMatchObject({ email: expected.email, phone: expected.phone });
    expect(contact!.text.split('\n').length).toBeGreaterThanOrEqual(3);
    expect(contact!.text.split('\n')).toContainEqual(expect.stringContaining(expected.email));
    // Every block was explained, and none of the wire's parts stayed in the body.
    expect(explanations.map((e) => e.part)).toEqual(expect.arrayContaining(['dateline', 'quote', 'contacts', 'disclaimer', 'categories', 'wire-boilerplate']));
  });

  it('keeps the Arabic contact block line by line, with the address and phone as written', async () => {
    const release = await parseRelease({ name: 'ar.txt', bytes: fixture('lang/ar.txt') });
    expect(release.contacts[0]!.text.split('\n')).toEqual([
      'سارة المنصوري',
      'شركة رمال الخليج للطاقة',
      'الهاتف: +971 6 555 0142',
      'البريد الإلكتروني: media@rimal-energy.example',
      'الموقع: https://www.rimal-energy.example',
    ]);
    expect(release.contacts[0]).toMatchObject({ name: 'سارة المنصوري', organization: 'شركة رمال الخليج للطاقة', url: 'https://www.rimal-energy.example' });
  });
});

describe('recognition by shape and position', () => {
  const body = 'The company said on Tuesday that the new plant will employ about 400 people and start production in the spring of next year, after regulators approved the final permit.';

  it('reads a category line whose label is not in the phrase table, after the disclaimer', async () => {
    const text = `Acme opens plant\n\n(SeaPRwire) -- ${body}\n\nThe article is provided by a third-party content provider. SeaPRwire (https://www.seaprwire.com/) makes no warranties.\n\nNewsroom topics: Manufacturing, Jobs\n\nSeaPRwire delivers press releases.`;
    const release = await parseText('shape.txt', text);
    expect(release.categories).toEqual(['Manufacturing', 'Jobs']);
    expect(release.body).toHaveLength(1);
  });

  it('reads a full-width colon and ideographic commas, and an Arabic comma', async () => {
    const ja = await parseText(
      'ja.txt',
      `見出し\n\n（SeaPRwire）– 星空モビリティは本日、新しい電動バスの運行を始めたと発表しました。市内の三つの路線で一日に四千人の利用を見込んでいます。\n\n業種：エネルギー、地方ニュース`,
    );
    expect(ja.categories).toEqual(['エネルギー', '地方ニュース']);
    expect(ja.body.map(blockText).join('')).not.toContain('業種');
  });

  it('takes the wire paragraph by the wire name among the trailing blocks, not in the body', async () => {
    const text = `Acme opens plant\n\n(SeaPRwire) -- ${body}\n\nSeaPRwire's editors said the release was one of the most read this week.\n\n${body}\n\nCategory: Energy\n\nSeaPRwireは、企業向けのプレスリリース配信サービスです。`;
    const release = await parseText('position.txt', text);
    // The mention in the middle of the story stays body text; the one after the category line is the wire's.
    expect(release.body.map(blockText)).toContainEqual(expect.stringMatching(/^SeaPRwire's editors/));
    expect(release.boilerplates).toEqual([{ kind: 'wire', body: [expect.objectContaining({ type: 'paragraph' })] }]);
  });

  it('explains why a block stayed in the body', async () => {
    const explanations: Explanation[] = [];
    await parseRelease({ name: 'x.txt', bytes: new TextEncoder().encode(`Acme opens plant\n\n${body}\n\nAbout 300 guests attended.`) }, { onExplain: (e) => explanations.push(...e) });
    expect(explanations).toEqual([
      expect.objectContaining({ part: 'body', rule: expect.stringMatching(/no phrase, shape or position rule/), line: 3 }),
      expect.objectContaining({ part: 'body', text: 'About 300 guests attended.' }),
    ]);
  });
});
