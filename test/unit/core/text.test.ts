import { describe, expect, it } from 'vitest';
import { escapeRegExp, oneLine, truncate } from '../../../functions/core/text';

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
