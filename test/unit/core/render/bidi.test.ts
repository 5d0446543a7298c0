import { describe, expect, it } from 'vitest';
import { isolateLtrRuns } from '../../../../functions/core/render/bidi';
import { blocksHtml } from '../../../../functions/core/render/html';

describe('left-to-right runs in right-to-left text', () => {
  it('isolates a phone number, an e-mail address, a URL, a ticker and a Latin name as whole units', () => {
    expect(isolateLtrRuns('الهاتف: +34 950 555 214')).toBe('الهاتف: <bdi dir="ltr">+34 950 555 214</bdi>');
    expect(isolateLtrRuns('البريد: media@rimal.example.')).toBe('البريد: <bdi dir="ltr">media@rimal.example</bdi>.');
    expect(isolateLtrRuns('زوروا https://www.rimal.example/ar/news، اليوم')).toBe('زوروا <bdi dir="ltr">https://www.rimal.example/ar/news</bdi>، اليوم');
    expect(isolateLtrRuns('أسهم (Nasdaq: NWBX) ارتفعت 12%')).toBe('أسهم (<bdi dir="ltr">Nasdaq: NWBX</bdi>) ارتفعت <bdi dir="ltr">12%</bdi>');
    expect(isolateLtrRuns('تقدم SeaPRwire خدمة')).toBe('تقدم <bdi dir="ltr">SeaPRwire</bdi> خدمة');
  });

  it('still escapes everything', () => {
    expect(isolateLtrRuns('<script>x</script> & 5')).toBe('&lt;<bdi dir="ltr">script</bdi>&gt;<bdi dir="ltr">x</bdi>&lt;/<bdi dir="ltr">script</bdi>&gt; &amp; <bdi dir="ltr">5</bdi>');
  });

  it('applies to body HTML only when the direction is right-to-left', () => {
    const blocks = [{ type: 'paragraph' as const, content: [{ type: 'text' as const, text: 'اتصل على +971 6 555 0142' }] }];
    expect(blocksHtml(blocks, { dir: 'rtl' })).toBe('<p>اتصل على <bdi dir="ltr">+971 6 555 0142</bdi></p>');
    expect(blocksHtml(blocks)).toBe('<p>اتصل على +971 6 555 0142</p>');
  });
});
