import { describe, expect, it } from 'vitest';
import { PseudoEngine, pseudoLocalize } from '../../../../functions/adapters/pseudo/engine';
import { blockText } from '../../../../functions/core/release';
import { EMPTY_GLOSSARY, InMemoryTranslationMemory, translateVariant } from '../../../../functions/core/translation/index';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import { placeholderMismatch } from '../../../../functions/core/translation/placeholders';
import { renderVariantFiles } from '../../../../functions/core/render/index';
import { makeRelease } from '../../core/translation/release-fixture';

describe('PseudoEngine', () => {
  it('accents, expands by at least 30 %, brackets, and keeps placeholders and entities intact', () => {
    const source = 'Release <g1>today</g1> at <x2/> &amp; more';
    const out = pseudoLocalize(source, 'de');
    expect(out).toMatch(/^⟦Ŕééļéááśé <g1>ţóóđáý<\/g1> áţ <x2\/> &amp; ɱóóŕé ·+⟧$/);
    expect(placeholderMismatch(source, out)).toBeUndefined();
    const letters = 'Releasetodayatmore'.length;
    expect([...out].length - [...source].length - 2).toBeGreaterThanOrEqual(Math.ceil(letters * 0.3));
    expect(pseudoLocalize(source, 'de')).toBe(out);
  });

  it('marks right-to-left targets with RLM inside the brackets, never with embeddings', () => {
    expect(pseudoLocalize('Hello', 'ar')).toMatch(/^⟦\u200f.*\u200f⟧$/u);
    expect(pseudoLocalize('Hello', 'ar')).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/u);
    expect(pseudoLocalize('Hello', 'ja')).not.toMatch(/\u200f/u);
  });

  it('keeps its right-to-left marks through the renderer', async () => {
    const release = makeRelease();
    const variant = await translateVariant(release, 'ar', { engine: new PseudoEngine(), memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES });
    const files = renderVariantFiles({
      site: { baseUrl: 'https://news.example.com', title: 'Newsroom' },
      release,
      variant,
      languages: [release.language, 'ar'],
      times: { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' },
    });
    const page = files.find((file) => file.path.startsWith('ar/') && file.path.endsWith('.html'))!;
    const html = page.body;
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toMatch(/<h1[^>]*>⟦\u200f[^<]*\u200f⟧<\/h1>/u);
  });

  it('marks the variant as pseudo so outputs can disclose it', async () => {
    const variant = await translateVariant(makeRelease(), 'ar', { engine: new PseudoEngine(), memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES });
    expect(variant.provenance).toEqual({ kind: 'pseudo', engine: 'pseudo' });
    expect(variant.content.headline).toMatch(/^⟦\u200f.*\u200f⟧$/u);
    expect(variant.ledger.estimatedCostUsd).toBe(0);
    // The wire's name and URLs are protected: they come through untouched.
    expect(variant.content.disclaimer).toContain('SeaPRwire (https://www.seaprwire.com/)');
    expect(blockText(variant.content.body[1]!)).toMatch(/^⟦\u200f«/u);
  });

  it('supports every language', () => {
    expect(['en', 'ar', 'zh-Hant', 'tlh', 'qps-ploc'].every((t) => new PseudoEngine().supports(t))).toBe(true);
  });
});
