import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TranslationError } from '../../../../functions/core/errors';
import { inlineText, type Block, type Inline } from '../../../../functions/core/release';
import { EMPTY_GLOSSARY, InMemoryTranslationMemory, translateVariant } from '../../../../functions/core/translation/index';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import { countCharacters, decodeEntities, placeholderMismatch, serialize, tokenize } from '../../../../functions/core/translation/placeholders';
import type { EngineRequest, TranslationEngine } from '../../../../functions/ports';
import { faithfulTranslation } from './fake-engines';
import { makeRelease } from './release-fixture';

describe('placeholder markup', () => {
  it('decodes entities once: no double decoding', () => {
    expect(decodeEntities('It&#39;s &quot;x&quot; &amp;amp; &#x27;y&#x27; &unknown; &#0;')).toBe("It's \"x\" &amp; 'y' &unknown; &#0;");
  });

  it('tolerates re-serialized empty elements and whitespace in tags', () => {
    expect(serialize(tokenize('a <x1></x1> b <x2 /> <g3 >c</g3 >'))).toBe('a <x1/> b <x2/> <g3>c</g3>');
  });

  it('counts code points of the text only (placeholders and entity markup excluded)', () => {
    expect(countCharacters('Hi <x1/><g2>you</g2> &amp; 😀')).toBe('Hi you & 😀'.length - 1);
  });

  it.each([
    ['<x1/> a <g2>b</g2>', 'a <g2>b</g2>', 'dropped'],
    ['<x1/> a <g2>b</g2>', '<x1/><x1/> a <g2>b</g2>', 'duplicated'],
    ['<x1/> a <g2>b</g2>', '<x7/> a <g2>b</g2>', 'unknown'],
    ['<x1/> a <g2>b</g2>', 'a <g2><x1/>b</g2>', 'moved'],
    ['<x1/> a <g2>b</g2>', '<x1/> a </g2>b<g2>', 'closes'],
    ['<g1>a <g2>b</g2></g1>', '<g1>a <g2>b</g1></g2>', 'closes'],
    ['a', 'a <b>bold</b>', 'unexpected markup'],
  ])('detects %s → %s', (source, translated, reason) => {
    expect(placeholderMismatch(source, translated)).toContain(reason);
  });

  it('accepts siblings in another order (word order differs between languages)', () => {
    expect(placeholderMismatch('<g1>A</g1> and <g2>B</g2><x3/>', '<x3/><g2>b</g2> und <g1>a</g1>')).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: round trip through a faithful engine, detection of a mangling one.

const word = fc.stringMatching(/^[A-Za-zÄÖÜäöüß0-9&<>'",.;:!?-]{1,12}$/);
const PROTECTED = ['https://example.com/path?q=1&r=2', 'www.acme.de/presse', 'presse@acme.de', '(NASDAQ: ACME)', '(NYSE: X; TSX: XYZ.U)', 'SeaPRwire'];
const protectedItem = fc.constantFrom(...PROTECTED);

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
const text = fc.array(fc.oneof({ weight: 5, arbitrary: word }, { weight: 1, arbitrary: protectedItem }), { minLength: 1, maxLength: 8 }).map((parts) => parts.join(' '));

const inline: fc.Arbitrary<Inline> = fc.letrec<{ inline: Inline }>((tie) => ({
  inline: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: text.map((t): Inline => ({ type: 'text', text: ` ${t} ` })) },
    { weight: 1, arbitrary: fc.constant<Inline>({ type: 'break' }) },
    fc.array(tie('inline'), { minLength: 1, maxLength: 3 }).map((children): Inline => ({ type: 'em', children })),
    fc.array(tie('inline'), { minLength: 1, maxLength: 3 }).map((children): Inline => ({ type: 'strong', children })),
    fc.tuple(fc.webUrl(), fc.array(tie('inline'), { minLength: 1, maxLength: 3 })).map(([href, children]): Inline => ({ type: 'link', href, children })),
  ),
})).inline;

// Every generated paragraph carries at least one link, hence at least one placeholder.
const paragraphs = fc.array(
  fc.tuple(fc.array(inline, { maxLength: 4 }), fc.webUrl(), text).map(
    ([before, href, t]): Block => ({
      type: 'paragraph',
      content: [...before, { type: 'link', href, children: [{ type: 'text', text: `Verweis ${t}` }] }],
    }),
  ),
  { minLength: 1, maxLength: 5 },
);

function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function shape(inlines: readonly Inline[]): string {
  return inlines.map((n) => (n.type === 'text' ? '' : n.type === 'break' ? 'B' : n.type === 'link' ? `L(${n.href}:${shape(n.children)})` : `${n.type}(${shape(n.children)})`)).join('');
}

function engineOf(translate: (request: EngineRequest) => string[]): TranslationEngine {
  return { name: 'fake', kind: 'machine', maxRequestBytes: 2_000, supports: () => true, translate: async (r) => translate(r) };
}

const deps = (engine: TranslationEngine) => ({ engine, memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES });

describe('placeholder properties', () => {
  it('round-trips links, emphasis, breaks and protected spans through a faithful engine', async () => {
    await fc.assert(
      fc.asyncProperty(paragraphs, async (body) => {
        const release = makeRelease({ body });
        // A faithful engine: "translates" by upper-casing text and keeps every tag.
        const variant = await translateVariant(release, 'en', deps(engineOf((r) => r.segments.map(faithfulTranslation))));
        expect(variant.content.body).toHaveLength(body.length);
        body.forEach((block, i) => {
          const original = (block as { content: Inline[] }).content;
          const translated = (variant.content.body[i] as { content: Inline[] }).content;
          expect(shape(translated)).toBe(shape(original));
          const out = inlineText(translated);
          expect(collapse(out).toUpperCase()).toBe(collapse(inlineText(original)).toUpperCase());
          // Protected spans are not upper-cased: they never went through the engine.
          for (const item of PROTECTED) expect(occurrences(out, item)).toBe(occurrences(inlineText(original), item));
        });
      }),
      { numRuns: 100 },
    );
  });

  type Mangle = (segments: string[], pick: number) => string[];
  /** Applies `change` to one of the segments that carry placeholders. */
  const onTagged =
    (change: (segment: string) => string): Mangle =>
    (s, k) => {
      const tagged = s.flatMap((seg, i) => (/<[xg]\d+/.test(seg) ? [i] : []));
      const target = tagged[k % tagged.length];
      return s.map((seg, i) => (i === target ? change(seg) : seg));
    };
  const dropTag = onTagged((seg) => seg.replace(/<(x\d+\/|g\d+)>/, ''));
  const duplicateTag = onTagged((seg) => seg.replace(/<(x\d+\/|g\d+)>/, (m) => (m.startsWith('<x') ? m + m : `${m}</g${m.slice(2, -1)}>${m}`)));
  const renameTag = onTagged((seg) => seg.replace(/<(\/?)g(\d+)>/g, '<$1g9$2>'));
  const swapClose = onTagged((seg) => seg.replace(/<g(\d+)>(.*?)<\/g\1>/, '</g$1>$2<g$1>'));
  const dropSegment: Mangle = (s, k) => s.filter((_, i) => i !== k % s.length);
  const extraSegment: Mangle = (s) => [...s, 'extra'];
  const rotateSegments: Mangle = (s) => (s.length > 1 ? [...s.slice(1), s[0]!] : ['', ...s].slice(0, s.length));

  it('detects an engine that drops, duplicates, renames, un-nests placeholders or shuffles segments', async () => {
    await fc.assert(
      fc.asyncProperty(paragraphs, fc.constantFrom(dropTag, duplicateTag, renameTag, swapClose, dropSegment, extraSegment, rotateSegments), fc.nat(), async (body, mangle, pick) => {
        const release = makeRelease({ body, categories: [], disclaimer: undefined, boilerplates: [], headline: 'Ein Titel' });
        const engine = engineOf((r) => mangle([...r.segments], pick));
        const error = await translateVariant(release, 'en', deps(engine)).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(TranslationError);
        expect(['PLACEHOLDER_MISMATCH', 'SEGMENT_COUNT_MISMATCH', 'EMPTY_TRANSLATION']).toContain((error as TranslationError).code);
      }),
      { numRuns: 200 },
    );
  });
});
