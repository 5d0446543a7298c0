import { describe, expect, it } from 'vitest';
import { deriveReleaseId, keyedReleaseId, splitTranslationName, uriReleaseId } from '../../../../functions/core/parse/index';
import { ReleaseIdSchema } from '../../../../functions/core/release';

describe('deriveReleaseId', () => {
  it.each([
    ['seeds/seaprwire-de-2024-blinken.txt', 'seaprwire-de-2024-blinken'],
    ['incoming/2026/Übernahme der Müller AG.docx', 'uebernahme-der-mueller-ag'],
    ['Straße & Söhne — Q3 Zahlen.md', 'strasse-soehne-q3-zahlen'],
    ['Énergie éolienne à Brest.html', 'energie-eolienne-a-brest'],
    ['Łódź fabryka.txt', 'lodz-fabryka'],
    ['item.ninjs.json', 'item'],
    ['report.v2.md', 'report-v2'],
    ['  --Launch!!--  .txt', 'launch'],
  ])('%s → %s', (name, id) => {
    expect(deriveReleaseId(name)).toBe(id);
  });

  it('hashes names without any ASCII letter, stably', () => {
    const id = deriveReleaseId('incoming/新製品発表.txt');
    expect(id).toMatch(/^r-[0-9a-f]{10}$/);
    expect(deriveReleaseId('other/新製品発表.md')).toBe(id);
    expect(deriveReleaseId('新製品発表2.txt')).not.toBe(id);
    expect(deriveReleaseId('2026.txt')).toMatch(/^r-[0-9a-f]{10}$/);
  });

  it('always yields a valid id of at most 128 characters', () => {
    for (const name of [`${'a-'.repeat(200)}.txt`, '-.txt', '...', 'Ω.txt', 'x'.repeat(300)]) {
      const id = deriveReleaseId(name);
      expect(ReleaseIdSchema.safeParse(id).success, `${name} → ${id}`).toBe(true);
      expect(id.length).toBeLessThanOrEqual(128);
    }
  });
});

describe('release ids that cannot collide by accident', () => {
  it('derives the same readable id from an NFC and an NFD name (umlauts written out either way)', () => {
    const name = 'incoming/Übernahme der Müller AG.docx';
    expect(deriveReleaseId(name.normalize('NFD'))).toBe('uebernahme-der-mueller-ag');
    expect(deriveReleaseId(name.normalize('NFC'))).toBe('uebernahme-der-mueller-ag');
  });

  it('keys an id by the whole key, folder included, and by its exact (unnormalized) form', () => {
    const acme = keyedReleaseId('incoming/acme/news.md');
    const globex = keyedReleaseId('incoming/globex/news.md');
    expect(acme).toMatch(/^news-[0-9a-f]{10}$/);
    expect(globex).toMatch(/^news-[0-9a-f]{10}$/);
    expect(acme).not.toBe(globex);
    expect(keyedReleaseId('incoming/acme/news.md')).toBe(acme);
    expect(keyedReleaseId('incoming/Café.txt'.normalize('NFC'))).not.toBe(keyedReleaseId('incoming/Café.txt'.normalize('NFD')));
    const long = keyedReleaseId(`incoming/${'a'.repeat(300)}.txt`);
    expect(ReleaseIdSchema.safeParse(long).success).toBe(true);
    expect(long.length).toBeLessThanOrEqual(128);
  });

  it('hashes ninjs uris whole: ids sharing a suffix stay apart, the same uri gives the same id', () => {
    const a = uriReleaseId('urn:newsml:reuters.com:20261126:nL1N3AA01:1');
    const b = uriReleaseId('urn:newsml:reuters.com:20261126:nL1N3BB02:1');
    expect(a).not.toBe(b);
    expect(uriReleaseId('urn:newsml:reuters.com:20261126:nL1N3AA01:1')).toBe(a);
    expect(uriReleaseId('https://a.example/items/plant')).not.toBe(uriReleaseId('https://b.example/items/plant'));
    expect(uriReleaseId('urn:x:1')).toMatch(/^x-[0-9a-f]{10}$/);
    for (const id of [a, b, uriReleaseId('urn:新製品:1'), uriReleaseId('1')]) expect(ReleaseIdSchema.safeParse(id).success, id).toBe(true);
  });
});

describe('splitTranslationName', () => {
  it.each([
    ['release.fr.md', { baseName: 'release.md', language: 'fr' }],
    ['launch.zh-Hant.html', { baseName: 'launch.html', language: 'zh-Hant' }],
    ['launch.zh-TW.html', { baseName: 'launch.html', language: 'zh-Hant' }],
    ['incoming/acme.pt-BR.txt', { baseName: 'incoming/acme.txt', language: 'pt' }],
    ['acme.de-AT.docx', { baseName: 'acme.docx', language: 'de' }],
    ['acme.FR.md', { baseName: 'acme.md', language: 'fr' }],
  ])('%s', (name, expected) => {
    expect(splitTranslationName(name)).toEqual(expected);
  });

  it.each(['report.v2.md', 'release.md', 'release.final.md', 'release.web.html', 'release.new.txt', '.fr.md', 'release.xx.md'])('%s is no translation', (name) => {
    expect(splitTranslationName(name)).toBeUndefined();
  });
});
