import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { utf8Bytes } from '../../../../functions/core/translation/placeholders';
import { compileProtector, findQuoteMarks } from '../../../../functions/core/translation/protect';
import { joinPieces, splitToFit } from '../../../../functions/core/translation/segment';

describe('compileProtector', () => {
  const protector = compileProtector(['Acme', 'Business Wire'], { 'Top-Story': 'Top Story' });
  const found = (text: string) => protector.find(text).map((m) => text.slice(m.start, m.end));

  it('finds URLs without trailing punctuation, e-mails, tickers and whole-word terms', () => {
    expect(found('Siehe https://acme.com/a_(b). Mail: ir@acme.com; (NYSE: ACME; TSX: AC.U) via Business Wire.')).toEqual(['https://acme.com/a_(b)', 'ir@acme.com', '(NYSE: ACME; TSX: AC.U)', 'Business Wire']);
    expect(found('Acmeville und Acme-Gruppe, Top-Story')).toEqual(['Acme', 'Top-Story']);
    expect(found('艾克米Acme发布')).toEqual(['Acme']);
  });
});

describe('findQuoteMarks', () => {
  it('reads “ as opening or closing from context, and guillemets with their inner space', () => {
    const sides = (text: string) => findQuoteMarks(text, { open: 0 }).map((m) => `${m.span.kind === 'quote' ? m.span.side : ''}:${m.span.kind === 'quote' ? m.span.source : ''}`);
    expect(sides('“Ja”, sagte er.')).toEqual(['open:“', 'close:”']);
    expect(sides('„Ja“, sagte er.')).toEqual(['open:„', 'close:“']);
    expect(sides('« Oui », dit-il.')).toEqual(['open:« ', 'close: »']);
    expect(sides('「はい」')).toEqual(['open:「', 'close:」']);
  });
});

describe('splitToFit', () => {
  it('keeps every piece within the limit, cuts at sentences, and joins back to the input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.lorem({ maxCount: 30, mode: 'sentences' }), fc.constant('東京で会議が開かれた。'), fc.constant('Emoji 😀🎉 galore!')), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 120, max: 600 }),
        (sentences, limit) => {
          const markup = sentences.join(' ').replace(/\s+/g, ' ').trim();
          const pieces = splitToFit(markup, (p) => utf8Bytes(p) <= limit, 'en');
          for (const piece of pieces) expect(utf8Bytes(piece.markup)).toBeLessThanOrEqual(limit);
          expect(pieces.map((p) => p.markup + p.separator).join('')).toBe(markup);
          // Never mid-word: a piece ends where the input had a word boundary.
          pieces.slice(0, -1).forEach((piece, i) => {
            const glued = piece.separator === '' && /\p{Script=Latin}$/u.test(piece.markup) && /^\p{Script=Latin}/u.test(pieces[i + 1]!.markup);
            expect(glued).toBe(false);
          });
        },
      ),
      { numRuns: 100 },
    );
  });

  it('does not cut inside a link or emphasis span', () => {
    const markup = 'Erster Satz hier. <g1>Zweiter Satz. Dritter Satz.</g1> Vierter Satz hier.';
    const pieces = splitToFit(markup, (p) => utf8Bytes(p) <= 50, 'de');
    expect(pieces.map((p) => p.markup)).toEqual(['Erster Satz hier.', '<g1>Zweiter Satz. Dritter Satz.</g1>', 'Vierter Satz hier.']);
  });

  it('joins pieces without spaces for Japanese, Chinese and Thai', () => {
    const pieces = [
      { markup: 'A.', separator: ' ' },
      { markup: 'B.', separator: '' },
    ];
    expect(joinPieces(['一。', '二。'], pieces, 'ja')).toBe('一。二。');
    expect(joinPieces(['One.', 'Two.'], pieces, 'en')).toBe('One. Two.');
  });
});
