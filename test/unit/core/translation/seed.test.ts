import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PseudoEngine } from '../../../../functions/adapters/pseudo/engine';
import { parseRelease } from '../../../../functions/core/parse/index';
import { blockText } from '../../../../functions/core/release';
import { InMemoryTranslationMemory, parseGlossary, translateRelease } from '../../../../functions/core/translation/index';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';

const seed = new URL('../../../../seeds/seaprwire-de-2024-blinken.txt', import.meta.url);
const glossaryFile = new URL('../../../../glossary.yaml', import.meta.url);

describe('the sample release through the pseudo engine', () => {
  it('translates into en, ar and ja offline with the structure, quotes and protected spans intact', async () => {
    const release = await parseRelease({ name: 'seaprwire-de-2024-blinken.txt', bytes: readFileSync(seed) });
    const glossary = parseGlossary(readFileSync(glossaryFile, 'utf8'), 'glossary.yaml');
    const memory = new InMemoryTranslationMemory();
    const deps = { engine: new PseudoEngine(), memory, glossary, prices: DEFAULT_PRICES };
    const outcomes = await translateRelease(release, ['en', 'ar', 'ja'], deps);
    for (const outcome of outcomes) {
      expect(outcome.status).toBe('translated');
      if (outcome.status !== 'translated') continue;
      const { content, provenance, ledger } = outcome.variant;
      expect(provenance.kind).toBe('pseudo');
      expect(content.body.map((b) => b.type)).toEqual(release.body.map((b) => b.type));
      expect(content.disclaimer).toContain('SeaPRwire (https://www.seaprwire.com/)');
      expect(ledger.requests).toBe(1);
      const [open] = { en: ['“'], ar: ['«'], ja: ['「'] }[outcome.language as 'en' | 'ar' | 'ja'];
      const quote = content.body.find((b) => b.type === 'quote');
      if (quote) expect(blockText(quote)).toContain(open);
    }
    const en = outcomes[0]!.status === 'translated' ? outcomes[0]!.variant : undefined;
    expect(en?.content.categories).toEqual(['Top Story', 'Daily News']);
    // The same release again is served from the translation memory.
    const again = await translateRelease(release, ['en', 'ar', 'ja'], deps);
    expect(again.map((o) => (o.status === 'translated' ? o.variant.ledger.billedCharacters : -1))).toEqual([0, 0, 0]);
  });
});
