import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { declaredLanguage, detectLanguage } from '../../../../functions/core/parse/language';
import { BODY, fixture, parseText } from './helpers';

describe('language', () => {
  it.each([
    ['zh-hant.txt', 'zh-Hant'],
    ['zh-hans.txt', 'zh-Hans'],
    ['id.txt', 'id'],
    ['ms.txt', 'ms'],
    ['businesswire-en.txt', 'en'],
  ])('detects %s as %s', async (file, language) => {
    const release = await parseRelease({ name: file, bytes: fixture(file) });
    expect(release.language).toBe(language);
    expect(release.languageSource).toBe('detected');
    expect(release.languageConfidence).toBeGreaterThan(0.3);
    expect(release.languageConfidence).toBeLessThanOrEqual(1);
  });

  it.each([
    ['de', BODY.de],
    ['fr', BODY.fr],
    ['en', BODY.en],
  ])('detects %s from a headline and a paragraph', async (language, body) => {
    expect((await detectLanguage(body, 'x.txt')).language).toBe(language);
  });

  // The detector's database (eld extrasmall, core/parse/language.ts) must keep telling every wire
  // language apart: a whole release, and its headline with the first paragraph.
  it.each(['ar', 'de', 'en', 'es', 'fr', 'id', 'ja', 'ko', 'ms', 'pt', 'ru', 'th', 'vi', 'zh-Hans', 'zh-Hant'])('detects the %s release of test/fixtures/parse/lang, whole and by its lead', async (language) => {
    const text = new TextDecoder().decode(fixture(`lang/${language}.txt`));
    const lead = text
      .split(/\n\s*\n/)
      .slice(0, 2)
      .join('\n\n');
    expect((await detectLanguage(text, `${language}.txt`)).language).toBe(language);
    expect((await detectLanguage(lead, `${language}.txt`)).language).toBe(language);
  });

  it('prefers a declared language over detection, normalized to the wire tag', async () => {
    const release = await parseText('r.md', `---\nlanguage: de-AT\n---\n\n# Acme opens plant\n\n${BODY.en}`);
    expect(release).toMatchObject({ language: 'de', languageSource: 'declared', languageConfidence: 1 });
  });

  it('normalizes declared Chinese tags to the script tag', () => {
    expect(declaredLanguage('zh-TW', {})?.language).toBe('zh-Hant');
    expect(declaredLanguage('zh-CN', {})?.language).toBe('zh-Hans');
    expect(declaredLanguage('pt-BR', {})?.language).toBe('pt');
    expect(declaredLanguage('it', {})?.language).toBe('it');
  });

  it('reads <html lang>', async () => {
    const release = await parseText('p.html', `<html lang="fr-CA"><body><h1>Titre</h1><p>${BODY.fr}</p></body></html>`);
    expect(release.language).toBe('fr');
    expect(release.languageSource).toBe('declared');
  });
});
