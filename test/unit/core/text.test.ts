import { describe, expect, it } from 'vitest';
import { escapeRegExp, oneLine, stripControlCharacters, stripControlCharactersDeep, truncate } from '../../../functions/core/text';

describe('escapeRegExp', () => {
  it('makes every special character match literally', () => {
    const name = 'Acme (Europe) Ltd. [A+B] ^$ {1} a|b \\ *?';
    expect(new RegExp(`^${escapeRegExp(name)}$`).test(name)).toBe(true);
    expect(new RegExp(escapeRegExp('Ltd.')).test('Ltdx')).toBe(false);
  });
});

describe('truncate', () => {
  it('never splits a surrogate pair or an emoji sequence', () => {
    const text = `${'x'.repeat(58)}🚀🚀🚀🚀`;
    const cut = truncate(text, 60);
    expect(cut).toBe(`${'x'.repeat(58)}🚀…`);
    expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('returns short text unchanged except for collapsed whitespace', () => {
    expect(truncate('Acme\n  opens plant', 60)).toBe('Acme opens plant');
    expect(oneLine('  a \n\t b ')).toBe('a b');
  });
});

describe('stripControlCharacters', () => {
  it('removes C0 (but tab and newline), DEL, C1 and bidi controls, keeps RLM/LRM/ALM, emoji and CJK', () => {
    expect(stripControlCharacters('a\u0000b\u0007c\u001bd\u007fe\u0085f\tg\nh')).toBe('abcdef\tg\nh');
    expect(stripControlCharacters('invoice\u202Egpj.exe \u2066x\u2069 \u202Ay\u202C')).toBe('invoicegpj.exe x y');
    expect(stripControlCharacters('مرحبا\u200F\u200E\u061C 🚀👩🏽‍💻 新闻')).toBe('مرحبا\u200F\u200E\u061C 🚀👩🏽‍💻 新闻');
  });

  it('cleans every string of plain data and leaves dates and numbers alone', () => {
    const date = new Date('2026-11-26T09:00:00Z');
    const cleaned = stripControlCharactersDeep({ a: ['x\u202e'], b: { c: 'y\u0007' }, date, n: 3 });
    expect(cleaned).toEqual({ a: ['x'], b: { c: 'y' }, date, n: 3 });
    expect(cleaned.date).toBe(date);
  });
});
