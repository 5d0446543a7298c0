import { describe, expect, it } from 'vitest';
import { cleanDeep, cleanText, escapeHtml, fitText, jsonForHtmlScript } from '../../../../functions/core/render/text';
import { truncate } from '../../../../functions/core/text';
import { safeHref } from '../../../../functions/core/render/html';

describe('cleanText', () => {
  it('strips C0 (except tab and newline), DEL, C1 and bidi controls; keeps LRM/RLM, emoji and CJK', () => {
    expect(cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009bg')).toBe('abcdefg');
    expect(cleanText('line\r\nnext\rlast\tend')).toBe('line\nnext\nlast\tend');
    expect(cleanText('invoice\u202Egpj.exe \u2066x\u2069 \u202Ay\u202C')).toBe('invoicegpj.exe x y');
    expect(cleanText('مرحبا\u200F 🚀👩🏽‍💻 新闻')).toBe('مرحبا\u200F 🚀👩🏽‍💻 新闻');
    expect(cleanText('lone \uD800 surrogate \uDC00 \uFFFE')).toBe('lone  surrogate  ');
  });

  it('cleans every string of a structure and keeps its shape', () => {
    expect(cleanDeep({ a: ['x\u0000', { b: 'y\u202E' }], n: 3, t: true })).toEqual({ a: ['x', { b: 'y' }], n: 3, t: true });
  });
});

describe('truncate', () => {
  it('cuts at grapheme clusters, never inside an emoji or a Thai syllable, with an ellipsis', () => {
    const emoji = '👩🏽‍💻'.repeat(10);
    const cut = truncate(emoji, 5);
    expect(cut).toBe(`${'👩🏽‍💻'.repeat(4)}…`);
    expect(truncate('สวัสดีครับ'.repeat(20), 10).endsWith('…')).toBe(true);
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('one two three four five six seven eight', 20)).toBe('one two three four…');
  });
});

describe('escaping', () => {
  it('escapes HTML, including > so no escaped text can close a CDATA section', () => {
    expect(escapeHtml(`<a href="x">'&]]>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;]]&gt;');
  });

  it('keeps JSON-LD data intact but unable to close its script element', () => {
    const data = { h: '</script><script>alert(1)</script><!-- & \u2028' };
    const json = jsonForHtmlScript(data);
    expect(json).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(json)).toEqual(data);
  });

  it('allows only http(s) and mailto link targets', () => {
    expect(safeHref('https://a.example/x?y="z"')).toBe('https://a.example/x?y=%22z%22');
    expect(safeHref('mailto:press@a.example')).toBe('mailto:press@a.example');
    for (const bad of ['javascript:alert(1)', ' java\nscript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '']) {
      expect(safeHref(bad)).toBeUndefined();
    }
  });
});

describe('fitText', () => {
  it('gives exactly what truncate gives, short or long, one line or several, any script', () => {
    const samples = ['Acme launches R2', '  Acme\n launches\tR2  ', 'one two three four five six seven eight', 'Launch 🚀👩🏽‍💻 🇩🇪 '.repeat(12), 'อาคมเปิดตัวหุ่นยนต์รุ่นใหม่'.repeat(10), `${'x'.repeat(20)}\n${'y'.repeat(5)}`];
    for (const sample of samples) for (const max of [5, 20, 21, 60, 500]) expect(fitText(sample, max)).toBe(truncate(sample, max));
    expect(fitText('one two three four five six seven eight', 20)).toBe('one two three four…');
  });
});
