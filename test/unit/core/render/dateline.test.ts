/** Datelines as local copy: a translated page rebuilds the dateline in the target's convention. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PseudoEngine } from '../../../../functions/adapters/pseudo/engine';
import { parseRelease } from '../../../../functions/core/parse/index';
import { contentOf } from '../../../../functions/core/release';
import { datelineText, localizedDay } from '../../../../functions/core/render/dateline';
import { renderArticlePage } from '../../../../functions/core/render/page';
import { parseGlossary } from '../../../../functions/core/translation/glossary-yaml';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import { InMemoryTranslationMemory } from '../../../../functions/core/translation/memory';
import { translateVariant } from '../../../../functions/core/translation/translate';
import { EMPTY_LEDGER } from '../../../../functions/core/variant';
import { renderNinjs } from '../../../../functions/core/render/ninjs';
import { CountingEngine } from '../translation/fake-engines';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/parse/${name}`, import.meta.url));
const site = { baseUrl: 'https://news.example', title: 'polywire newsroom' };

describe('dateline day', () => {
  it('is read from each language’s way of writing a date', async () => {
    const en = await parseRelease({ name: 'prn.txt', bytes: fixture('prnewswire-en.txt') });
    expect(en.sourceTag).toMatchObject({ place: 'ROTTERDAM, Netherlands', date: 'Dec. 1, 2026', day: '2026-12-01', wire: 'PRNewswire' });
    for (const tag of ['ja', 'ar', 'th', 'vi', 'ru', 'ko', 'zh-Hant']) {
      const release = await parseRelease({ name: `${tag}.txt`, bytes: fixture(`lang/${tag}.txt`) });
      expect(release.sourceTag?.day, tag).toBe('2026-11-20');
    }
  });

  it('is rendered in the target language, with the wire name untouched', () => {
    const tag = { raw: 'ROTTERDAM, Netherlands, Dec. 1, 2026 /PRNewswire/ --', place: 'ROTTERDAM, Netherlands', date: 'Dec. 1, 2026', day: '2026-12-01', wire: 'PRNewswire' };
    expect(datelineText(tag, 'en', true)).toBe(tag.raw);
    expect(datelineText(tag, 'es', false)).toBe(`ROTTERDAM, Netherlands, ${localizedDay('2026-12-01', 'es')} (PRNewswire) –`);
    expect(localizedDay('2026-12-01', 'es')).toBe('1 de diciembre de 2026');
    expect(localizedDay('2026-12-01', 'ja')).toBe('2026年12月1日');
    expect(localizedDay('2026-12-01', 'de')).toBe('1. Dezember 2026');
  });
});

describe('the dateline place', () => {
  it('is sent to the engine as its own segment and printed as translated, on the page and in ninjs', async () => {
    const release = await parseRelease({ name: 'prn.txt', bytes: fixture('prnewswire-en.txt') });
    const engine = new CountingEngine(10_000, (markup) => (markup === 'ROTTERDAM, Netherlands' ? 'Róterdam, Países Bajos' : markup));
    const deps = { engine, memory: new InMemoryTranslationMemory(), glossary: parseGlossary('', 'glossary.yaml'), prices: DEFAULT_PRICES };
    const variant = await translateVariant(release, 'es', deps);
    expect(engine.sentSegments()).toContain('ROTTERDAM, Netherlands');
    expect(variant.content.place).toBe('Róterdam, Países Bajos');
    const page = renderArticlePage({ site, release, variant, languages: ['en', 'es'] });
    expect(page).toContain('<span class="dateline">Róterdam, Países Bajos, 1 de diciembre de 2026 (PRNewswire) –</span>');
    const ninjs = JSON.parse(renderNinjs({ site, release, variant, languages: ['en', 'es'] })) as { located?: string; bodies: { contentType: string; value: string }[] };
    expect(ninjs.located).toBe('Róterdam, Países Bajos');
    // ninjs body_html opens with the same rebuilt dateline as the page, as a wire's copy does.
    const html = ninjs.bodies.find((b) => b.contentType === 'text/html')!.value;
    expect(html.startsWith('<p><span class="dateline">Róterdam, Países Bajos, 1 de diciembre de 2026 (PRNewswire) –</span> ')).toBe(true);
  });

  it('stays as the source wrote it on the original', async () => {
    const release = await parseRelease({ name: 'prn.txt', bytes: fixture('prnewswire-en.txt') });
    expect(contentOf(release).place).toBe('ROTTERDAM, Netherlands');
    expect(datelineText(release.sourceTag!, 'en', true, 'ignored')).toBe(release.sourceTag!.raw);
  });
});

describe('a page translated by the pseudo engine', () => {
  it('shows the dateline in the target language’s date format, not the source’s words', async () => {
    const release = await parseRelease({ name: 'prn.txt', bytes: fixture('prnewswire-en.txt') });
    const deps = { engine: new PseudoEngine(), memory: new InMemoryTranslationMemory(), glossary: parseGlossary('', 'glossary.yaml'), prices: DEFAULT_PRICES };
    const variant = await translateVariant(release, 'de', deps);
    expect(variant.provenance.kind).toBe('pseudo');
    const languages = ['en', 'de'];
    const page = renderArticlePage({ site, release, variant, languages });
    // The place is translated with the content (pseudo-localized here), the date is Intl's German.
    const place = variant.content.place!;
    expect(place).not.toBe('ROTTERDAM, Netherlands');
    expect(page).toContain(`<span class="dateline">${place}, 1. Dezember 2026 (PRNewswire) –</span>`);
    expect(page).not.toContain('Dec. 1, 2026');
    const original = renderArticlePage({
      site,
      release,
      variant: { releaseId: release.id, version: 1, language: 'en', sourceLanguage: 'en', content: contentOf(release), provenance: { kind: 'original', engine: 'none' }, ledger: EMPTY_LEDGER },
      languages,
    });
    expect(original).toContain('<span class="dateline">ROTTERDAM, Netherlands, Dec. 1, 2026 /PRNewswire/ --</span>');
  });
});
