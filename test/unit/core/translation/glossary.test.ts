import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../functions/core/errors';
import { mergeGlossary, parseGlossary } from '../../../../functions/core/translation/index';

describe('parseGlossary', () => {
  it('reads the project glossary at the repository root', () => {
    const glossary = parseGlossary(readFileSync(new URL('../../../../glossary.yaml', import.meta.url), 'utf8'), 'glossary.yaml');
    expect(glossary.doNotTranslate).toContain('SeaPRwire');
    expect(glossary.forcedTerms.en).toMatchObject({ 'Top-Story': 'Top Story' });
    expect(glossary.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('normalizes language keys and versions by content', () => {
    const a = parseGlossary('doNotTranslate: [Acme, Acme]\nforcedTerms:\n  zh-CN:\n    Acme Robotics: 艾克米机器人\n', 'g.yaml');
    const b = parseGlossary('forcedTerms:\n  zh-Hans:\n    Acme Robotics: 艾克米机器人\ndoNotTranslate:\n  - Acme\n', 'g.yaml');
    expect(a.forcedTerms).toEqual({ 'zh-Hans': { 'Acme Robotics': '艾克米机器人' } });
    expect(a.doNotTranslate).toEqual(['Acme']);
    expect(a.version).toBe(b.version);
    expect(parseGlossary('', 'g.yaml').doNotTranslate).toEqual([]);
  });

  it.each([
    ['doNotTranslate:\n  - Acme\n  - 42\n', 3, /doNotTranslate entry must be a non-empty text, found 42/],
    ['doNotTranslate:\n  - Acme\n  - ""\n', 3, /non-empty/],
    ['doNotTranslat:\n  - Acme\n', 1, /unknown key "doNotTranslat"/],
    ['forcedTerms:\n  de:\n    Top-Story: Top-Story\n  tlh:\n    a: b\n', 4, /language "tlh" is not one of the wire's languages/],
    ['forcedTerms:\n  de:\n    - Top-Story\n', 3, /forcedTerms.de must map source terms/],
    ['doNotTranslate: [Acme\n', 2, /not valid YAML/],
    [`doNotTranslate:\n  - ${'x'.repeat(201)}\n`, 2, /longer than 200 bytes/],
  ])('rejects an invalid file naming the line (%#)', (yaml, line, message) => {
    let error: unknown;
    try {
      parseGlossary(yaml, 'glossary.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toMatchObject({ file: 'glossary.yaml', line });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toMatch(new RegExp(`^glossary\\.yaml, line ${line}: `));
  });
});

describe('mergeGlossary', () => {
  it('adds release terms and changes the version only when a term is new', () => {
    const project = parseGlossary('doNotTranslate: [SeaPRwire]\n', 'g.yaml');
    const merged = mergeGlossary(project, ['Acme Robotics', 'SeaPRwire']);
    expect(merged.doNotTranslate).toEqual(['SeaPRwire', 'Acme Robotics']);
    expect(merged.version).not.toBe(project.version);
    expect(mergeGlossary(merged, ['Acme Robotics'])).toBe(merged);
    expect(mergeGlossary(project)).toBe(project);
  });
});
