import type { Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { contributors } from '../../../bench/cold-start';
import { billableCharacters, CountingEngine } from '../../../bench/engines';

describe('billableCharacters', () => {
  it('counts the text between placeholders, entities decoded, in code points', () => {
    expect(billableCharacters('<x1/>Yes,<x2/> said <x3/>.')).toBe('Yes, said .'.length);
    expect(billableCharacters('<g1>bold</g1> &amp; <x2 />plain')).toBe('bold & plain'.length);
    expect(billableCharacters('😀 ok')).toBe(4);
  });
});

describe('CountingEngine', () => {
  it('counts characters per language and flags a segment sent twice for the same language', async () => {
    const engine = new CountingEngine();
    await engine.translate({ sourceLanguage: 'en', targetLanguage: 'de', segments: ['<x1/>Hello<x2/>', 'World'] });
    await engine.translate({ sourceLanguage: 'en', targetLanguage: 'fr', segments: ['World'] });
    expect(engine.duplicateSegments).toBe(0);
    // Renumbered placeholders are still the same segment.
    const answer = await engine.translate({ sourceLanguage: 'en', targetLanguage: 'de', segments: ['<x3/>Hello<x4/>'] });
    expect(engine.duplicateSegments).toBe(1);
    expect(answer).toEqual(['<x3/>Hello<x4/> [de]']);
    expect(engine.characters).toBe(5 + 5 + 5 + 5);
    expect(engine.charactersByLanguage.get('de')).toBe(15);
    expect(engine.requests).toBe(3);
  });
});

describe('contributors', () => {
  it('groups the bundle inputs by package or project folder, largest first', () => {
    const metafile = {
      inputs: {},
      outputs: {
        'out.mjs': {
          bytes: 0,
          imports: [],
          exports: [],
          inputs: {
            'node_modules/zod/v4/core/schemas.js': { bytesInOutput: 300 },
            'node_modules/zod/v4/classic/schemas.js': { bytesInOutput: 200 },
            'node_modules/@aws-sdk/client-s3/dist-es/index.js': { bytesInOutput: 400 },
            'node_modules/@smithy/core/dist-es/a.js': { bytesInOutput: 50 },
            'functions/core/release.ts': { bytesInOutput: 30 },
            'functions/core/variant.ts': { bytesInOutput: 30 },
          },
        },
      },
    } as unknown as Metafile;
    expect(contributors(metafile, 3)).toEqual([
      { name: 'zod', bytes: 500 },
      { name: '@aws-sdk/client-s3', bytes: 400 },
      { name: 'functions/core', bytes: 60 },
    ]);
  });
});
