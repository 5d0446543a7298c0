import { describe, expect, it } from 'vitest';
import { contentFrom, InlineSchema, isSafeHref } from '../../../functions/core/release';

describe('the Release model refuses unsafe links', () => {
  it.each(['https://example.com/a?b=1', 'http://example.com', 'mailto:presse@example.com', ' HTTPS://EXAMPLE.COM '])('keeps %s', (href) => {
    expect(isSafeHref(href)).toBe(true);
    expect(InlineSchema.safeParse({ type: 'link', href, children: [{ type: 'text', text: 'x' }] }).success).toBe(true);
  });

  it.each(['javascript:alert(1)', 'java\tscript:alert(1)', 'JavaScript:alert(1)', 'data:text/html,<script>alert(1)</script>', '/about', 'example.com', 'ftp://example.com', 'http:'])(
    'refuses %s with a message saying what a link target must be',
    (href) => {
      expect(isSafeHref(href)).toBe(false);
      const result = InlineSchema.safeParse({ type: 'em', children: [{ type: 'link', href, children: [{ type: 'text', text: 'x' }] }] });
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/absolute http\(s\) or mailto URL/);
    },
  );
});

describe('contentOf', () => {
  it('leaves undefined optional parts out, so rebuilt content equals the original', () => {
    const content = contentFrom({ headline: 'H', subheadline: undefined, body: [{ type: 'paragraph', content: [{ type: 'text', text: 'B' }] }], categories: [], disclaimer: undefined, boilerplates: [] });
    expect(Object.keys(content)).toEqual(['headline', 'body', 'categories', 'boilerplates']);
    expect(contentFrom({ ...content, subheadline: 'S', disclaimer: 'D' })).toMatchObject({ subheadline: 'S', disclaimer: 'D' });
  });
});
