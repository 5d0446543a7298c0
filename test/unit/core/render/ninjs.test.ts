// biome-ignore-all lint/suspicious/noExplicitAny: the test walks rendered ninjs documents as plain JSON.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { renderVariantFiles } from '../../../../functions/core/render/index';
import type { Block, Release } from '../../../../functions/core/release';
import type { Variant } from '../../../../functions/core/variant';
import * as F from '../../../fixtures/render/releases';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../../fixtures/schemas/ninjs-schema_3.1.json', import.meta.url)), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
// The schema references GeoJSON for places; polywire emits no places, so a permissive stub will do.
ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json' });
const validate = ajv.compile(schema);

function ninjsOf(release: Release, variant: Variant, languages: string[], times?: { publishedAt: string; updatedAt: string }) {
  const file = renderVariantFiles({ site: F.SITE, release, variant, languages, ...(times ? { times } : {}) }).find((f) => f.path.endsWith('.json'))!;
  expect(file.contentType).toBe('application/json; charset=utf-8');
  return JSON.parse(file.body) as Record<string, any>;
}

const paragraph = (text: string): Block => ({ type: 'paragraph', content: [{ type: 'text', text }] });

const cases: [string, Release, Variant, string[]][] = [
  ['German original', F.blinken, F.blinkenDe, F.BLINKEN_LANGUAGES],
  ['English machine translation', F.blinken, F.blinkenEn, F.BLINKEN_LANGUAGES],
  ['Arabic machine translation', F.blinken, F.blinkenAr, F.BLINKEN_LANGUAGES],
  ['Japanese pseudo-localization', F.blinken, F.blinkenJa, F.BLINKEN_LANGUAGES],
  ['issuer release with embargo and contact', F.acme, F.acmeEn, ['en']],
  ['hostile release', F.hostile, F.hostileEn, ['en', 'ar']],
  ['hostile release, hostile engine name', F.hostile, F.hostileAr, ['en', 'ar']],
  ['10,000-character headline', F.longRelease, F.longEn, ['en']],
];

describe('ninjs 3.1', () => {
  it.each(cases)('validates against the IPTC schema: %s', (_name, release, variant, languages) => {
    for (const times of [undefined, { publishedAt: '2026-11-26T09:00:00+01:00', updatedAt: '2026-11-27T10:30:00Z' }]) {
      const doc = ninjsOf(release, variant, languages, times);
      const valid = validate(doc);
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });

  it('rejects what the schema forbids (the validator is really checking)', () => {
    const doc = ninjsOf(F.blinken, F.blinkenEn, F.BLINKEN_LANGUAGES);
    expect(validate({ ...doc, pubStatus: 'published' })).toBe(false);
    expect(validate({ ...doc, links: [] })).toBe(false);
  });

  it('carries the fields a newsroom system reads', () => {
    const doc = ninjsOf(F.acme, F.acmeEn, ['en', 'de'], { publishedAt: '2026-11-26T08:00:00Z', updatedAt: '2026-11-26T08:00:00Z' });
    expect(doc).toMatchObject({
      uri: 'urn:polywire:acme-robotics-launch:en',
      type: 'text',
      language: 'en',
      pubStatus: 'usable',
      version: '1',
      firstCreated: '2026-11-26T08:00:00.000Z',
      versionCreated: '2026-11-26T08:00:00.000Z',
      embargoedUntil: '2026-11-26T08:00:00.000Z',
      headlines: [
        { role: 'main', value: 'Acme Robotics launches the R2 warehouse robot' },
        { role: 'sub', value: 'Shipping in 15 countries from March' },
      ],
      subjects: [
        { name: 'Technology', literal: 'technology', uri: 'https://news.example.com/en/categories/technology/index.html' },
        { name: 'Robotics & AI', literal: 'robotics-ai' },
        // The IPTC Media Topic of `Technology` (config/categories.yaml); `Robotics & AI` is unmapped.
        { name: 'science and technology', rel: 'about', literal: 'medtop:13000000', uri: 'http://cv.iptc.org/newscodes/mediatopic/13000000' },
      ],
    });
    expect(doc.bodies[0]).toMatchObject({ role: 'main', contentType: 'text/html' });
    expect(doc.bodies[0].value).toContain('<strong>R2</strong>');
  });

  it('links the other language versions as associations, marking the original', () => {
    const doc = ninjsOf(F.blinken, F.blinkenEn, F.BLINKEN_LANGUAGES);
    expect(doc.associations.map((a: { language: string; rel: string }) => [a.language, a.rel])).toEqual([
      ['ja', 'translation'],
      ['ar', 'translation'],
      ['de', 'original'],
    ]);
    expect(doc.associations[2].renditions[0].href).toBe('https://news.example.com/de/releases/seaprwire-de-2024-blinken.html');
    expect(doc.infoSources).toContainEqual({ name: 'Amazon Translate', role: 'translator', literal: 'amazon-translate' });
  });

  it('counts words of long bodies exactly as one segmentation pass would (paragraphs, one long paragraph, CJK)', () => {
    const oneLongParagraph = 'Acme Robotics ships the R2, 20% faster than before. '.repeat(300);
    const cjk = 'アクメ・ロボティクスは本日、倉庫向けの新しいロボットを発表しました。'.repeat(120);
    const body = [...Array.from({ length: 40 }, (_, i) => paragraph(`Paragraph ${i}: the R2 sorts parcels in 15 countries.`)), paragraph(oneLongParagraph), paragraph(cjk)];
    const release: Release = { ...F.acme, body };
    const variant: Variant = { ...F.acmeEn, content: { ...F.acmeEn.content, body } };
    const doc = ninjsOf(release, variant, ['en']);
    const text = doc.bodies[1].value as string;
    expect(text.length).toBeGreaterThan(20_000);
    const reference = [...new Intl.Segmenter(undefined, { granularity: 'word' }).segment(text)].filter((s) => s.isWordLike).length;
    expect(doc.bodies[0].wordCount).toBe(reference);
    expect(doc.bodies[1].wordCount).toBe(reference);
  });
});
