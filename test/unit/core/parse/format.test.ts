import { describe, expect, it } from 'vitest';
import { detectFormat } from '../../../../functions/core/parse/index';
import { seed, utf8 } from './helpers';

describe('detectFormat', () => {
  it.each([
    ['release.txt', 'Headline\n\nBody', 'text'],
    ['release', 'Headline\n\nBody', 'text'],
    ['release.md', '# Headline\n\nBody', 'markdown'],
    ['release.txt', '---\nlanguage: fr\n---\n# Titre', 'markdown'],
    ['release.html', '<p>Body</p>', 'html'],
    ['export.txt', '<!DOCTYPE html>\n<html lang="de"><body><h1>Titel</h1></body></html>', 'html'],
    ['export.txt', '<?xml version="1.0"?>\n<!-- exported -->\n<html><body></body></html>', 'html'],
    ['release.json', '{"headline":"x","body":["y"]}', 'json'],
    ['release.txt', '  {"headline":"x","body":["y"]}', 'json'],
    ['item.json', '{"uri":"urn:x","type":"text","headlines":[{"value":"x"}]}', 'ninjs'],
    ['item.json', '{"bodies":[{"value":"x"}]}', 'ninjs'],
  ])('%s with %j → %s', (name, text, format) => {
    expect(detectFormat(name, utf8(text))).toBe(format);
  });

  it('reads a .docx by its ZIP signature and word/document.xml, whatever its name', () => {
    expect(detectFormat('upload.bin', seed('cerrado-sementes-pt-2026.docx'))).toBe('docx');
  });

  it('detects every seed by content', () => {
    expect(detectFormat('x', seed('hoshizora-ja-2026.ninjs.json'))).toBe('ninjs');
    expect(detectFormat('x', seed('lindqvist-bahn-de-2026.json'))).toBe('json');
    expect(detectFormat('x', seed('aguamar-es-2026.html'))).toBe('html');
    expect(detectFormat('x', seed('ondine-energie-fr-2026.md'))).toBe('markdown');
  });

  it('refuses RTF', () => {
    expect(() => detectFormat('release.rtf', utf8('{\\rtf1\\ansi Hello}'))).toThrow(/RTF/);
  });
});
