import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { blockText } from '../../../../functions/core/release';
import { matchSourceTag } from '../../../../functions/core/parse/structure';
import { BODY, fixture, parseText, seed } from './helpers';

describe('source tags and datelines', () => {
  it.each([
    ['(SeaPRwire) –   In einer Warnung', { raw: '(SeaPRwire) –', wire: 'SeaPRwire' }],
    ['/PRNewswire/ -- Acme today', { raw: '/PRNewswire/ --', wire: 'PRNewswire' }],
    ['SAN FRANCISCO--(BUSINESS WIRE)--Acme today', { raw: 'SAN FRANCISCO--(BUSINESS WIRE)--', wire: 'Business Wire', place: 'SAN FRANCISCO' }],
    ['(BUSINESS WIRE)--Acme today', { raw: '(BUSINESS WIRE)--', wire: 'Business Wire' }],
    ['BERLIN, 26. November 2026 /PRNewswire/ -- Die Muster AG', { raw: 'BERLIN, 26. November 2026 /PRNewswire/ --', wire: 'PRNewswire', place: 'BERLIN', date: '26. November 2026', day: '2026-11-26' }],
    ['NEW YORK, Nov. 20, 2026 (GLOBE NEWSWIRE) -- Acme', { raw: 'NEW YORK, Nov. 20, 2026 (GLOBE NEWSWIRE) --', wire: 'GlobeNewswire', place: 'NEW YORK', date: 'Nov. 20, 2026', day: '2026-11-20' }],
    ['PUEBLO, Colo., Nov. 20, 2026 /PRNewswire/ -- Kestrel', { raw: 'PUEBLO, Colo., Nov. 20, 2026 /PRNewswire/ --', wire: 'PRNewswire', place: 'PUEBLO, Colo.', date: 'Nov. 20, 2026', day: '2026-11-20' }],
    ['GROSSETO, Italy (AP) -- The trial', { raw: 'GROSSETO, Italy (AP) --', wire: 'AP', place: 'GROSSETO, Italy' }],
    ['ALMERÍA, 19 de noviembre de 2026 – Aguamar', { raw: 'ALMERÍA, 19 de noviembre de 2026 –', place: 'ALMERÍA', date: '19 de noviembre de 2026', day: '2026-11-19' }],
    ['Paris, le 20 novembre 2026 – Ondine', { raw: 'Paris, le 20 novembre 2026 –', place: 'Paris', date: 'le 20 novembre 2026', day: '2026-11-20' }],
  ])('%s', (text, tag) => {
    expect(matchSourceTag(text)?.tag).toEqual(tag);
  });

  it('leaves ordinary opening sentences alone', () => {
    expect(matchSourceTag('Die Muster AG hat heute (am Dienstag) – wie erwartet – ihre Zahlen vorgelegt.')).toBeUndefined();
    expect(matchSourceTag('In 2026, revenue grew 4 % – the best year yet.')).toBeUndefined();
  });
});

describe('plain-text wire release', () => {
  it('reads the English PRNewswire seed: embargo, subheadline, About block, contact, category line', async () => {
    const release = await parseRelease({ name: 'kestrel.txt', bytes: seed('kestrel-grid-en-2026-embargoed.txt') });
    expect(release.embargo).toEqual({ until: '2026-11-20T09:00:00-05:00', raw: 'EMBARGOED UNTIL 9:00 a.m. EST, November 20, 2026' });
    expect(release.headline).toBe('Kestrel Grid Systems Opens 400-Megawatt Battery Campus in Pueblo, Colorado');
    expect(release.subheadline).toBe('Largest grid storage site in the Mountain West to shift solar power into evening peak hours');
    expect(release.sourceTag?.wire).toBe('PRNewswire');
    expect(release.language).toBe('en');
    expect(release.categories).toEqual(['Energy', 'Utilities', 'Environment']);
    expect(release.boilerplates).toEqual([{ kind: 'issuer', title: 'About Kestrel Grid Systems', body: [expect.objectContaining({ type: 'paragraph' })] }]);
    expect(release.contacts).toEqual([
      {
        name: 'Priya Raman',
        organization: 'Kestrel Grid Systems',
        phone: '+1 303-555-0147',
        email: 'press@kestrelgrid.example',
        text: 'Priya Raman\nKestrel Grid Systems\n+1 303-555-0147\npress@kestrelgrid.example',
      },
    ]);
    // The wrapped lines of a paragraph are joined with spaces.
    expect(blockText(release.body[0]!)).toMatch(/^Kestrel Grid Systems, a developer and operator of utility-scale battery storage, today opened/);
    // An intro line followed by bullets becomes a paragraph and a list.
    const list = release.body.find((block) => block.type === 'list');
    expect(list).toMatchObject({ ordered: false, items: expect.arrayContaining([[{ type: 'text', text: '400 MW of output, 1,600 MWh of stored energy' }]]) });
    // Straight quotes open quote blocks too; PR Newswire's `SOURCE …` trailer is dropped.
    expect(release.body.filter((block) => block.type === 'quote')).toHaveLength(2);
    expect(release.body.map(blockText).join('\n')).not.toMatch(/^SOURCE /m);
  });

  it('reads a Business Wire release: instruction line, multi-paragraph About block, several contacts, end mark', async () => {
    const release = await parseRelease({ name: 'halvard.txt', bytes: fixture('businesswire-en.txt') });
    expect(release.headline).toBe('Halvard Analytics Names Imani Okafor Chief Technology Officer');
    expect(release.sourceTag).toEqual({ raw: 'SAN FRANCISCO--(BUSINESS WIRE)--', wire: 'Business Wire', place: 'SAN FRANCISCO' });
    expect(release.boilerplates).toHaveLength(1);
    expect(release.boilerplates[0]!.title).toBe('About Halvard Analytics');
    expect(release.boilerplates[0]!.body).toHaveLength(2);
    expect(release.contacts.map((c) => c.email)).toEqual(['sam.whitaker@halvard.example', 'ir@halvard.example']);
    expect(release.contacts[0]!.phone).toBe('+1 415-555-0162');
    expect(release.body.map(blockText)).not.toContain('###');
    expect(release.body.map(blockText).join(' ')).not.toContain('FOR IMMEDIATE RELEASE');
    expect(release.body).toHaveLength(3);
  });

  it('reads a German release with dateline, Sperrfrist, Über-block and Pressekontakt', async () => {
    const text = [
      'SPERRFRIST: 26. November 2026, 10:00 Uhr MEZ',
      '',
      'Muster Robotik eröffnet Werk in Leipzig',
      '',
      `BERLIN, 26. November 2026 /PRNewswire/ -- ${BODY.de}`,
      '',
      '„Wir bauen dort, wo unsere Kunden sind“, sagte Geschäftsführerin Petra Schulz.',
      '',
      'Über die Muster Robotik GmbH',
      'Die Muster Robotik GmbH entwickelt Roboter für die Lagerlogistik.',
      '',
      'Pressekontakt:',
      'Lena Vogel',
      'Tel.: +49 30 5555 0123',
      'E-Mail: presse@muster-robotik.example',
      '',
      'Branchen: Industrie, Logistik',
    ].join('\n');
    const release = await parseText('muster.txt', text);
    expect(release.embargo).toEqual({ until: '2026-11-26T10:00:00+01:00', raw: 'SPERRFRIST: 26. November 2026, 10:00 Uhr MEZ' });
    expect(release.sourceTag).toMatchObject({ wire: 'PRNewswire', place: 'BERLIN', date: '26. November 2026', day: '2026-11-26' });
    expect(release.body.map((block) => block.type)).toEqual(['paragraph', 'quote']);
    expect(release.boilerplates).toEqual([
      { kind: 'issuer', title: 'Über die Muster Robotik GmbH', body: [{ type: 'paragraph', content: [{ type: 'text', text: 'Die Muster Robotik GmbH entwickelt Roboter für die Lagerlogistik.' }] }] },
    ]);
    expect(release.contacts).toEqual([expect.objectContaining({ name: 'Lena Vogel', phone: '+49 30 5555 0123', email: 'presse@muster-robotik.example' })]);
    expect(release.categories).toEqual(['Industrie', 'Logistik']);
  });

  it('does not take a sentence starting with “About” for a boilerplate heading', async () => {
    const release = await parseText('about.txt', `Acme opens plant\n\n${BODY.en}\n\nAbout 300 guests attended the opening.\n\nAbout the numbers: we expect more.`);
    expect(release.boilerplates).toEqual([]);
    expect(release.body).toHaveLength(3);
  });

  it('does not take a short quoted name for a quote', async () => {
    const release = await parseText('name.txt', `Acme launches Nova\n\n“Nova” is the company's first electric tractor. ${BODY.en}`);
    expect(release.body[0]!.type).toBe('paragraph');
  });
});
