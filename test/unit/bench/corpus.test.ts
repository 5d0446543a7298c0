import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ReleaseSchema } from '../../../functions/core/release';
import { DISCLAIMER, generateCorpus, maskedSegment, normalizeSegment, protectedTerms, seededRandom, textCharacters, uniqueSegmentLimit, WIRE_BOILERPLATE } from '../../../bench/corpus';

const digest = (texts: string[]) => createHash('sha256').update(texts.join('\u0001')).digest('hex');

describe('seededRandom', () => {
  it('repeats the same sequence for the same seed and differs for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(first);
    for (const value of first) expect(value >= 0 && value < 1).toBe(true);
  });
});

describe('generateCorpus', () => {
  it('is byte-identical across calls with the same options', () => {
    const first = generateCorpus({ releases: 40 });
    const second = generateCorpus({ releases: 40 });
    expect(digest(second.map((d) => d.text))).toBe(digest(first.map((d) => d.text)));
    expect(second.map((d) => d.name)).toEqual(first.map((d) => d.name));
  });

  it('changes with the seed', () => {
    expect(digest(generateCorpus({ releases: 10, seed: 1 }).map((d) => d.text))).not.toBe(digest(generateCorpus({ releases: 10, seed: 2 }).map((d) => d.text)));
  });

  it('builds 200 releases from 6 issuers plus 10% corrections, all valid Release models', () => {
    const corpus = generateCorpus();
    expect(corpus).toHaveLength(220);
    expect(new Set(corpus.map((d) => d.issuer)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(corpus.map((d) => `${d.id}@${d.version}`)).size).toBe(220);
    for (const document of corpus) {
      expect(ReleaseSchema.safeParse(document.release).success).toBe(true);
      expect(document.text).toContain(DISCLAIMER);
      expect(document.text).toContain(WIRE_BOILERPLATE);
      expect(document.release.source.bytes).toBe(Buffer.byteLength(document.text));
    }
  });

  it('changes exactly one body paragraph in a corrected version', () => {
    const corpus = generateCorpus({ releases: 20 });
    const corrections = corpus.filter((d) => d.version === 2);
    expect(corrections).toHaveLength(2);
    for (const correction of corrections) {
      const original = corpus.find((d) => d.id === correction.id && d.version === 1)!;
      const differing = original.release.body.filter((block, i) => JSON.stringify(block) !== JSON.stringify(correction.release.body[i]));
      expect(differing).toHaveLength(1);
      expect(correction.release.body).toHaveLength(original.release.body.length);
    }
  });
});

describe('uniqueSegmentLimit', () => {
  const documents = [
    {
      blocks: [
        { kind: 'headline' as const, sentences: ['Acme launches a robot'] },
        { kind: 'disclaimer' as const, sentences: ['Shared.', 'Text.'] },
      ],
    },
    {
      blocks: [
        { kind: 'headline' as const, sentences: ['Acme  launches a robot '] },
        { kind: 'disclaimer' as const, sentences: ['Shared.', 'Text.'] },
      ],
    },
    {
      blocks: [
        { kind: 'headline' as const, sentences: ['Other news'] },
        { kind: 'paragraph' as const, sentences: ['Text.', 'New.'] },
      ],
    },
  ];

  it('counts each normalized block once at block granularity', () => {
    const limit = uniqueSegmentLimit(documents, 'block');
    // 'Acme launches a robot' (21), 'Shared. Text.' (13), 'Other news' (10), 'Text. New.' (10)
    expect(limit).toEqual({ segments: 4, characters: 21 + 13 + 10 + 10, totalSegments: 6, totalCharacters: 21 * 2 + 13 * 2 + 10 + 10 });
  });

  it('counts each sentence once at sentence granularity', () => {
    const limit = uniqueSegmentLimit(documents, 'sentence');
    // 'Acme launches a robot', 'Shared.', 'Text.', 'Other news', 'New.'
    expect(limit.segments).toBe(5);
    expect(limit.characters).toBe(21 + 7 + 5 + 10 + 4);
  });

  it('measures masked segments without their masks, so protected names collapse into one segment', () => {
    const mask = maskedSegment(protectedTerms([{ name: 'Acme Robotics' }, { name: 'Globex' }]));
    const limit = uniqueSegmentLimit(
      [{ blocks: [{ kind: 'boilerplate', sentences: ['About Acme Robotics'] }] }, { blocks: [{ kind: 'boilerplate', sentences: ['About Globex'] }] }, { blocks: [{ kind: 'quote', sentences: ['“Yes,” said Globex.'] }] }],
      'block',
      mask,
      textCharacters,
    );
    // 'About ' (6) once; ',  said .' → 'Yes, said .' (11)
    expect(limit.segments).toBe(2);
    expect(limit.characters).toBe(6 + 11);
  });

  it('normalizes whitespace and Unicode composition', () => {
    expect(normalizeSegment(' Cafe\u0301\n  au\tlait ')).toBe('Café au lait');
  });
});

describe('largestRelease', () => {
  it('pads the release up to, and never over, the character limit', async () => {
    const { largestRelease } = await import('../../../bench/memory');
    const release = largestRelease(30_000);
    expect(release.text.length).toBeLessThanOrEqual(30_000);
    expect(release.text.length).toBeGreaterThan(29_000);
    expect(largestRelease(30_000).text).toBe(release.text);
  });
});
