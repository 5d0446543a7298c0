import { describe, expect, it } from 'vitest';
import { ConfigError, ParseError } from '../../../../functions/core/errors';
import { checkDocxPackage } from '../../../../functions/core/parse/docx-package';
import { asUploadError, LIMITS, parseRelease } from '../../../../functions/core/parse/index';
import { ReleaseSchema } from '../../../../functions/core/release';
import { hostileCorpus } from '../../../fixtures/hostile/corpus';

const corpus = hostileCorpus();

describe('hostile corpus through the parse core', () => {
  it('covers the classes of the issue', () => {
    const kinds = corpus.map((file) => file.name).join(' ');
    for (const name of [
      'nested-div',
      'nested-inline.json',
      'alias-bomb',
      'paragraph-bomb.docx',
      'expands-400mb.docx',
      'expands-lying.docx',
      'long-token',
      'email-like',
      'invalid-utf8',
      'control-chars',
      'html-entities',
      'giant-table',
      'many-paragraphs',
    ]) {
      expect(kinds).toContain(name);
    }
  });

  it.each(corpus.map((file) => [file.name, file] as const))('%s is parsed or refused with its named reason', async (_name, file) => {
    const outcome = await parseRelease({ name: file.name, bytes: file.bytes }).then(
      (release) => ({ release }),
      (error: unknown) => ({ error }),
    );
    if ('release' in outcome) {
      expect(file.expect === 'parsed' || file.expect.includes('parsed'), `${file.kind} parsed, expected ${String(file.expect)}`).toBe(true);
      expect(ReleaseSchema.safeParse(outcome.release).success).toBe(true);
      return;
    }
    const error = outcome.error as ParseError;
    expect(error, String(error)).toBeInstanceOf(ParseError);
    expect(file.expect, `${file.kind}: ${error.message}`).toContain(error.code);
    // One line, naming the file and saying what to fix.
    expect(error.message).not.toMatch(/\n/);
    expect(error.message).toContain(file.name);
    expect(error.hint).toBeTruthy();
    if (error.code === 'LIMIT_EXCEEDED') expect(error.message).toMatch(new RegExp(`\\((?:${Object.keys(LIMITS).join('|')})\\)`));
  });
});

describe('.docx package check', () => {
  it('refuses bombs from the ZIP directory and capped inflation, before mammoth sees them', () => {
    for (const name of ['paragraph-bomb.docx', 'paragraph-flood.docx', 'expands-400mb.docx', 'expands-lying.docx', 'many-entries.docx', 'nested-tables.docx', 'many-pictures.docx']) {
      const file = corpus.find((f) => f.name === name)!;
      expect(() => checkDocxPackage(file.bytes, name), name).toThrow(ParseError);
    }
  });

  it('counts what a normal document holds and lets it through', () => {
    const file = corpus.find((f) => f.name === 'entities.docx')!;
    const facts = checkDocxPackage(file.bytes, 'ok.docx');
    expect(facts).toMatchObject({ entries: 3, paragraphs: 2, tableCells: 0, pictures: 0 });
    expect(facts.depth).toBeLessThan(10);
  });

  it('refuses a lying entry by what it inflates to, not by what it declares', () => {
    const file = corpus.find((f) => f.name === 'expands-lying.docx')!;
    expect(() => checkDocxPackage(file.bytes, 'x.docx')).toThrow(/maxDocxUnpackedBytes/);
  });
});

describe('safety net', () => {
  it('turns an unexpected parser exception into UNREADABLE_UPLOAD, keeping the cause', () => {
    const cause = new RangeError('Maximum call stack size exceeded');
    const error = asUploadError(cause, 'odd.html') as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.code).toBe('UNREADABLE_UPLOAD');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(error.message).toMatch(/^odd\.html: the file could not be read \(RangeError: Maximum call stack size exceeded\)/);
  });

  it('leaves input errors and deployment faults as they are', () => {
    const input = new ParseError('EMPTY_FILE', 'empty', { file: 'a' }, 'fix');
    const config = new ConfigError('no engine');
    expect(asUploadError(input, 'a')).toBe(input);
    expect(asUploadError(config, 'a')).toBe(config);
  });
});

describe('language tags', () => {
  const body = 'Acme Corp today opened its new plant in Rotterdam, which will employ 400 people and produce parts for wind turbines.';
  const md = (language: string): Uint8Array => new TextEncoder().encode(`---\nlanguage: ${language}\n---\n# Acme opens plant\n\n${body}\n`);

  it.each(['xx', 'xx-Latn-XX', 'zxx', 'mul', 'qaa', 'en-Zzzz', 'en-QM'])('refuses %s as a source language', async (tag) => {
    await expect(parseRelease({ name: 'r.md', bytes: md(tag) })).rejects.toMatchObject({ code: 'INVALID_LANGUAGE_TAG' });
  });

  it.each([
    ['pt-BR', 'pt'],
    ['gsw', 'gsw'],
    ['zh-TW', 'zh-Hant'],
    ['sr-Latn-RS', 'sr-Latn-RS'],
  ])('accepts %s', async (tag, expected) => {
    expect((await parseRelease({ name: 'r.md', bytes: md(tag) })).language).toBe(expected);
  });

  it('detects the language when a page declares lang="und"', async () => {
    const html = `<!doctype html><html lang="und"><body><h1>Acme opens plant</h1><p>${body}</p></body></html>`;
    const release = await parseRelease({ name: 'r.html', bytes: new TextEncoder().encode(html) });
    expect(release).toMatchObject({ language: 'en', languageSource: 'detected' });
  });

  it('names no Object.prototype member in the hint for __proto__ and constructor keys', async () => {
    const json = `{"headline":"Acme opens plant","body":["${body}"],"constructor":{"x":1}}`;
    const error = (await parseRelease({ name: 'r.json', bytes: new TextEncoder().encode(json) }).catch((e: unknown) => e)) as ParseError;
    expect(error.code).toBe('SCHEMA_MISMATCH');
    expect(error.message).not.toContain('[object Object]');
    expect(error.message).not.toContain('function');
  });
});
