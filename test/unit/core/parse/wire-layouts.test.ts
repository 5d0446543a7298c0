/** The layouts real wires send, in plain text and HTML (our own texts in test/fixtures/parse). */
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { blockText } from '../../../../functions/core/release';
import { fixture } from './helpers';

const parse = (name: string) => parseRelease({ name, bytes: fixture(name) });
const bodyText = (release: Awaited<ReturnType<typeof parse>>) => release.body.map(blockText).join('\n');

describe.each(['txt', 'html'])('wire layouts as .%s', (ext) => {
  it('PR Newswire: dateline with /PRNewswire/, About blocks, forward-looking section, SOURCE line and ### dropped', async () => {
    const release = await parse(`prnewswire-en.${ext}`);
    expect(release.sourceTag).toEqual({ raw: 'ROTTERDAM, Netherlands, Dec. 1, 2026 /PRNewswire/ --', wire: 'PRNewswire', place: 'ROTTERDAM, Netherlands', date: 'Dec. 1, 2026', day: '2026-12-01' });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'quote']);
    expect(release.boilerplates.map((b) => [b.kind, b.title])).toEqual(
      expect.arrayContaining([
        ['issuer', 'About Tidewater Robotics'],
        ['forward-looking', 'Forward-Looking Statements'],
      ]),
    );
    expect(release.contacts[0]).toMatchObject({ name: 'Lotte Bakker', phone: '+31 10 555 0199', email: 'press@tidewater.example' });
    expect(bodyText(release)).not.toMatch(/FOR IMMEDIATE RELEASE|SOURCE Tidewater|###|forward-looking/);
  });

  it('Business Wire: CITY--(BUSINESS WIRE)--, About block, Contacts', async () => {
    const release = await parse(`businesswire-en.${ext}`);
    expect(release.sourceTag).toEqual({ raw: 'SAN FRANCISCO--(BUSINESS WIRE)--', wire: 'Business Wire', place: 'SAN FRANCISCO' });
    expect(release.boilerplates[0]).toMatchObject({ kind: 'issuer', title: 'About Halvard Analytics' });
    expect(release.contacts[0]).toMatchObject({ email: 'sam.whitaker@halvard.example', phone: '+1 415-555-0162' });
    expect(bodyText(release)).not.toContain('Contacts');
  });

  it('GlobeNewswire: (GLOBE NEWSWIRE) dateline, safe-harbor paragraph kept and marked, -30- dropped, investor and media contacts', async () => {
    const release = await parse(`globenewswire-en.${ext}`);
    expect(release.sourceTag).toEqual({ raw: 'BOSTON, Nov. 18, 2026 (GLOBE NEWSWIRE) --', wire: 'GlobeNewswire', place: 'BOSTON', date: 'Nov. 18, 2026', day: '2026-11-18' });
    const safeHarbor = release.boilerplates.find((b) => b.kind === 'forward-looking');
    expect(blockText(safeHarbor!.body[0]!)).toMatch(/^Safe Harbor Statement: This press release contains forward-looking statements/);
    expect(release.boilerplates.find((b) => b.kind === 'issuer')?.title).toBe('About Northwind Biologics');
    expect(release.contacts[0]!.text).toMatch(/Investors: Daniel Ortiz, ir@northwind.example\nMedia: Grace Liu, \+1 617-555-0123/);
    expect(bodyText(release)).not.toMatch(/-30-|Safe Harbor/);
    expect(release.body).toHaveLength(2);
  });
});
