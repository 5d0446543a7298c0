/**
 * The text helpers rewritten to be linear (issue 18) give the same results as before on the
 * inputs that made them superlinear. Their speed is measured in bench/scaling.ts, not here.
 */
import { describe, expect, it } from 'vitest';
import { segmentStarts, truncate } from '../../../functions/core/text';
import { compileProtector } from '../../../functions/core/translation/protect';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** The former implementation: segments the whole text. */
function truncateBySegmentingAll(text: string, max: number): string {
  const clusters = Array.from(segmenter.segment(text), (s) => s.segment);
  if (clusters.length <= max) return text;
  let cut = clusters.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  if (space > cut.length * 0.7) cut = cut.slice(0, space);
  return `${cut.trimEnd()}…`;
}

describe('truncate on long texts', () => {
  it.each([
    ['a long paragraph', 'Acme grows fast. '.repeat(2_000).trim()],
    ['one long token', 'x'.repeat(20_000)],
    ['combining marks (clusters longer than the first window)', `${'e\u0301\u0302\u0303\u0304\u0305\u0306'.repeat(3_000)} end`],
    ['emoji with modifiers', '👍🏽 '.repeat(5_000).trim()],
    ['Thai', 'การประชุมครั้งนี้ '.repeat(1_000).trim()],
  ])('%s: same result as segmenting everything', (_what, text) => {
    for (const max of [1, 2, 60, 300]) expect(truncate(text, max)).toBe(truncateBySegmentingAll(text, max));
  });
});

describe('protected spans on hostile runs', () => {
  const protector = compileProtector([], {});
  const texts = (text: string): string[] => protector.find(text).map((m) => (m.span.kind === 'protected' ? m.span.text : ''));

  it('finds no address in a long run of address characters without @', () => {
    expect(texts('a.b-c_d+'.repeat(5_000))).toEqual([]);
  });

  it('still finds an address after a long run, and addresses inside ordinary text', () => {
    expect(texts(`${'x'.repeat(5_000)} press@acme.example.com, and a.b+c@x.co.uk.`)).toEqual(['press@acme.example.com', 'a.b+c@x.co.uk']);
    // A run glued to the address is one local part, as before.
    expect(texts('see xyzpress@acme.com')).toEqual(['xyzpress@acme.com']);
  });

  it('trims unbalanced closing parentheses after a URL, keeping balanced ones', () => {
    expect(texts(`(see https://x.example/a_(b)${')'.repeat(5_000)}.`)).toEqual(['https://x.example/a_(b)']);
  });
});

describe('segmentStarts (windowed segmentation)', () => {
  const whole = (segmenter: Intl.Segmenter, text: string): number[] => Array.from(segmenter.segment(text), (s) => s.index).filter((i) => i > 0);
  const texts: Array<[string, string]> = [
    ['English sentences', 'Acme Corp. said on Tuesday that Mr. Smith (the CEO) will lead it. Sales rose 5.2% to $3.4 bn! Really? Yes. '.repeat(60)],
    ['German', 'Die Acme GmbH hat am 1. Mai 2026 z. B. 400 Stellen geschaffen. Das ist gut. '.repeat(60)],
    ['Japanese', '株式会社アクメは本日、新工場を開設しました。従業員は四百人です。'.repeat(80)],
    ['Thai', 'บริษัทเปิดโรงงานใหม่ในวันนี้ พนักงานสี่ร้อยคน '.repeat(80)],
    ['one long token', 'x'.repeat(5_000)],
    ['emoji and combining marks', '👩🏽‍💻 e\u0301 🇩🇪 '.repeat(300)],
  ];
  it.each(texts)('%s: the same boundaries as segmenting the whole text', (_what, text) => {
    for (const granularity of ['sentence', 'word', 'grapheme'] as const) {
      const segmenter = new Intl.Segmenter('en', { granularity });
      expect(segmentStarts(segmenter, text), granularity).toEqual(whole(segmenter, text));
    }
  });
});
