import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ParseError, parseRelease } from '../../../../functions/core/parse/index';
import { ReleaseSchema } from '../../../../functions/core/release';
import { BODY, utf8 } from './helpers';

/** Any input either parses into a valid release or fails with a ParseError: never a crash. */
async function parsesOrRejectsCleanly(name: string, bytes: Uint8Array): Promise<void> {
  try {
    const release = await parseRelease({ name, bytes });
    expect(ReleaseSchema.safeParse(release).success).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
  }
}

const pieces = fc.constantFrom(
  '\n',
  '\n\n',
  ' ',
  '“',
  '”',
  '„',
  '«',
  '»',
  '「',
  '」',
  '"',
  '#',
  '---',
  '- ',
  '* ',
  '<p>',
  '</p>',
  '<h1>',
  '<a href="javascript:x">',
  '{',
  '}',
  '[',
  ']',
  'About Acme',
  'Media Contact:',
  'Branchen: A, B',
  'EMBARGOED UNTIL 9:00 EST, November 20, 2026',
  '(SeaPRwire) – ',
  'BERLIN, 1. Mai 2026 –',
  'x@y.example',
  '+1 555 0100 123',
  BODY.en,
  BODY.de,
  BODY.fr,
  'Acme',
  '\u0000',
  '\uFEFF',
);

describe('robustness', () => {
  it('text-like uploads of any shape parse or fail with a ParseError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pieces, { maxLength: 30 }), fc.constantFrom('r.txt', 'r.md', 'r.html', 'r.json', 'r'), async (parts, name) => {
        await parsesOrRejectsCleanly(name, utf8(parts.join('')));
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('random bytes parse or fail with a ParseError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => {
        await parsesOrRejectsCleanly('r.txt', bytes);
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
