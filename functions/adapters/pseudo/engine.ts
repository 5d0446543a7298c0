/**
 * The pseudo-localizer: an offline engine that makes every untranslated string, truncated layout
 * and lost placeholder visible without calling a service. Output is NOT a translation: it keeps
 * the source words, accents their letters (`Release` → `Ŕéļéáśé`), lengthens them by about a
 * third (translations into German or Russian run 30 % longer), and brackets each segment
 * `⟦…⟧` so clipped text shows. Right-to-left targets get a right-to-left mark (RLM, U+200F)
 * inside each bracket, so the Latin-lettered text lines up as right-to-left text would; RLM rather
 * than an RLE…PDF embedding because renderers strip embeddings and overrides (they can spoof the
 * order of text) but keep the marks. Placeholders pass through untouched. Deterministic: same input, same output.
 */
import { directionOf } from '../../core/languages';
import { serialize, tokenize } from '../../core/translation/placeholders';
import type { EngineRequest, TranslationEngine } from '../../ports';

const ACCENTED: Record<string, string> = Object.fromEntries([...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'áƀçđéƒĝĥíĵķļɱñóþǫŕśţúṽŵẋýžÁƁÇĐÉƑĜĤÍĴĶĻṀÑÓÞǪŔŚŢÚṼŴẊÝŽ'][i]!]));
const VOWEL = /[aeiouAEIOU]/;
const RLM = '\u200f';

function pseudoText(text: string): { text: string; letters: number } {
  let letters = 0;
  const out = text.replace(/\p{L}+/gu, (word) => {
    letters += [...word].length;
    let expanded = '';
    let doubled = 0;
    for (const c of word) {
      const accented = ACCENTED[c] ?? c;
      expanded += accented;
      // Doubling every other vowel of longer words adds ~20 % spread through the text.
      if (word.length > 3 && VOWEL.test(c) && doubled++ % 2 === 0) expanded += accented;
    }
    return expanded;
  });
  return { text: out, letters };
}

/** Pseudo-localizes one segment's markup. */
export function pseudoLocalize(markup: string, targetLanguage: string): string {
  let letters = 0;
  let added = 0;
  const tokens = tokenize(markup).map((t) => {
    if (t.type !== 'text') return t;
    const result = pseudoText(t.text);
    letters += result.letters;
    added += [...result.text].length - [...t.text].length;
    return { ...t, text: result.text };
  });
  const padding = '·'.repeat(Math.max(0, Math.ceil(letters * 0.3) - added));
  const body = serialize(tokens) + (padding ? ` ${padding}` : '');
  return directionOf(targetLanguage) === 'rtl' ? `⟦${RLM}${body}${RLM}⟧` : `⟦${body}⟧`;
}

/**
 * The offline pseudo-localizer as a translation engine (see the file header): for development,
 * CI and layout checks; its variants carry `provenance.kind = 'pseudo'` and cost nothing.
 *
 * @example
 * const variant = await translateVariant(release, 'ar', { engine: new PseudoEngine(), memory, glossary, prices: DEFAULT_PRICES });
 */
export class PseudoEngine implements TranslationEngine {
  readonly name = 'pseudo';
  readonly kind = 'pseudo' as const;
  /** Same limit as Amazon Translate, so offline runs exercise the request packing too. */
  readonly maxRequestBytes = 10_000;

  supports(targetLanguage: string): boolean {
    try {
      return Intl.getCanonicalLocales(targetLanguage).length === 1;
    } catch {
      return false;
    }
  }

  async translate(request: EngineRequest): Promise<string[]> {
    return request.segments.map((segment) => pseudoLocalize(segment, request.targetLanguage));
  }
}
