import { describe, expect, it } from 'vitest';
import { MAX_TEXT_CHARS, MAX_UPLOAD_BYTES, PARSE_ERROR_CODES, parseRelease } from '../../../../functions/core/parse/index';
import { BODY, expectParseError, parseText, utf8 } from './helpers';

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
/** A local file header of a ZIP holding `notes.txt`: an archive, but no Word document. */
const ZIP = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, ...utf8('notes.txt')]);

describe('ParseError for bad uploads', () => {
  it('empty file', async () => {
    await expectParseError(parseRelease({ name: 'empty.txt', bytes: new Uint8Array() }), PARSE_ERROR_CODES.EMPTY_FILE, 'empty.txt', [/empty/]);
  });

  it('whitespace only', async () => {
    await expectParseError(parseText('blank.txt', ' \n\n\t \n'), PARSE_ERROR_CODES.NO_HEADLINE, 'blank.txt', [/headline/]);
  });

  it('PNG bytes, even named .txt', async () => {
    await expectParseError(parseRelease({ name: 'photo.txt', bytes: PNG }), PARSE_ERROR_CODES.BINARY_FILE, 'photo.txt', [/PNG image/]);
  });

  it('a ZIP archive that is not a Word document', async () => {
    await expectParseError(parseRelease({ name: 'press-kit.zip', bytes: ZIP }), PARSE_ERROR_CODES.UNSUPPORTED_FORMAT, 'press-kit.zip', [/ZIP archive/, /unpack/]);
  });

  it('NUL bytes in what claims to be text', async () => {
    const bytes = utf8('Headline\n\nSome text\u0000\u0000\u0001 more text\n');
    await expectParseError(parseRelease({ name: 'release.txt', bytes }), PARSE_ERROR_CODES.BINARY_FILE, 'release.txt', [/NUL byte at offset 19/]);
  });

  it('a headline with no body', async () => {
    const error = await expectParseError(parseText('short.txt', '\nAcme opens new plant\n'), PARSE_ERROR_CODES.NO_BODY, 'short.txt', [/no body/, /Acme opens new plant/]);
    expect(error.location.line).toBe(2);
  });

  it('a headline with no body quotes a long headline shortened without splitting an emoji', async () => {
    // 58 ASCII characters, then emoji: a cut at 59 UTF-16 units would leave half a surrogate pair.
    const headline = `${'Acme opens its new plant in Wernigerode with a ceremony '.padEnd(58, 'x')}🚀🚀🚀🚀`;
    const error = await expectParseError(parseText('short.txt', `${headline}\n`), PARSE_ERROR_CODES.NO_BODY, 'short.txt', [/no body/]);
    expect(error.message).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(error.message).toContain('Acme opens its new plant');
    expect(error.message).toContain('…');
  });

  it('an empty entry in a front-matter list says to remove it', async () => {
    const error = await expectParseError(parseText('tags.md', `---\nlanguage: en\ncategories: [Energy, "", Industry]\n---\n\n# Acme opens plant\n\n${BODY.en}`), 'SCHEMA_MISMATCH', 'tags.md', [/empty entry/]);
    expect(error.hint).toBe('remove the empty entry');
  });

  it('a JSON release with canonicalUrl is told the key is canonical', async () => {
    const json = { headline: 'Acme opens plant', body: [BODY.en], canonicalUrl: 'https://acme.example/news/plant' };
    const error = await expectParseError(parseText('acme.json', JSON.stringify(json)), 'SCHEMA_MISMATCH', 'acme.json', [/canonicalUrl/]);
    expect(error.hint).toBe('the key is `canonical`, not `canonicalUrl`');
  });

  it('over the byte limit', async () => {
    const bytes = utf8(`Headline\n\n${BODY.en}`);
    await expectParseError(parseRelease({ name: 'big.txt', bytes }, { maxBytes: 100 }), PARSE_ERROR_CODES.TOO_LARGE, 'big.txt', [/limit is 100 bytes/]);
    expect(MAX_UPLOAD_BYTES).toBe(5 * 1024 * 1024);
  });

  it('over the character limit after decoding', async () => {
    const text = `Headline\n\n${'word '.repeat(MAX_TEXT_CHARS / 5 + 10)}`;
    await expectParseError(parseText('long.txt', text), PARSE_ERROR_CODES.TOO_LARGE, 'long.txt', [/200,000/]);
  });

  it('invalid YAML front matter names the line', async () => {
    const markdown = ['---', 'language: fr', 'title: Ondine: nouvelle ferme', 'categories: [Énergie', '---', '', '# Titre', '', BODY.fr].join('\n');
    const error = await expectParseError(parseText('bad.md', markdown), PARSE_ERROR_CODES.INVALID_FRONT_MATTER, 'bad.md', [/YAML/, /line 3/]);
    expect(error.location.line).toBe(3);
  });

  it('front matter that is never closed', async () => {
    await expectParseError(parseText('open.md', `---\nlanguage: fr\n\n# Titre\n\n${BODY.fr}`), PARSE_ERROR_CODES.INVALID_FRONT_MATTER, 'open.md', [/never closed/]);
  });

  it('JSON failing the schema names the JSON path', async () => {
    const json = JSON.stringify({ headline: 'Acme opens plant', language: 'en', body: [BODY.en, { type: 'table', content: 'x' }] });
    const error = await expectParseError(parseText('release.json', json), PARSE_ERROR_CODES.SCHEMA_MISMATCH, 'release.json', [/\$\.body\[1\]/]);
    expect(error.location.field).toMatch(/^\$\.body\[1\]/);
  });

  it('JSON with a misspelt field', async () => {
    const json = JSON.stringify({ headline: 'Acme opens plant', langauge: 'en', body: [BODY.en] });
    await expectParseError(parseText('release.json', json), PARSE_ERROR_CODES.SCHEMA_MISMATCH, 'release.json', [/"langauge"/]);
  });

  it('JSON with a missing headline', async () => {
    const error = await expectParseError(parseText('release.json', JSON.stringify({ body: [BODY.en] })), PARSE_ERROR_CODES.SCHEMA_MISMATCH, 'release.json');
    expect(error.location.field).toBe('$.headline');
  });

  it('invalid JSON syntax names the line', async () => {
    const error = await expectParseError(parseText('release.json', '{\n  "headline": "Acme",\n  "body": ["x",]\n}'), PARSE_ERROR_CODES.INVALID_JSON, 'release.json', [/not valid JSON/]);
    expect(error.location.line).toBe(3);
  });

  it('HTML that is only script', async () => {
    const html = '<!doctype html><html><head><script>alert(1)</script></head><body><script>document.write("<h1>Hi</h1>")</script></body></html>';
    await expectParseError(parseText('page.html', html), PARSE_ERROR_CODES.NO_HEADLINE, 'page.html', [/no headline/]);
  });

  it('no declared language and too little text to detect one', async () => {
    await expectParseError(parseText('tiny.txt', 'Acme Q3\n\nRevenue up 4 %.'), PARSE_ERROR_CODES.NO_LANGUAGE, 'tiny.txt', [/language/, /language: de/]);
  });

  it('no declared language and text in no detectable language', async () => {
    const gibberish = `Xqzt vwpl\n\n${'brrkt zzqv xxpl mmqr vvtk plqz wwrt kkzv qqpm zrtv '.repeat(3)}`;
    await expectParseError(parseText('noise.txt', gibberish), PARSE_ERROR_CODES.NO_LANGUAGE, 'noise.txt', [/declare the language/]);
  });

  it('an unparseable embargo time names the line', async () => {
    const text = `EMBARGOED UNTIL sometime after the board meeting\n\nAcme opens new plant\n\n${BODY.en}`;
    const error = await expectParseError(parseText('embargo.txt', text), PARSE_ERROR_CODES.INVALID_EMBARGO, 'embargo.txt', [/line 1/, /sometime after the board meeting/]);
    expect(error.location.line).toBe(1);
  });

  it('an embargo without a time zone is ambiguous', async () => {
    const text = `EMBARGOED UNTIL November 20, 2026 09:00\n\nAcme opens new plant\n\n${BODY.en}`;
    await expectParseError(parseText('embargo.txt', text), PARSE_ERROR_CODES.INVALID_EMBARGO, 'embargo.txt', [/no time zone/, /add a zone/]);
  });

  it('an embargo in front matter without a zone names the field', async () => {
    const markdown = `---\nlanguage: en\nembargo: 2026-11-20 09:00\n---\n\n# Acme opens plant\n\n${BODY.en}`;
    const error = await expectParseError(parseText('embargo.md', markdown), PARSE_ERROR_CODES.INVALID_EMBARGO, 'embargo.md', [/front matter: embargo/]);
    expect(error.location.line).toBe(3);
  });

  it('a .docx that is really a text file', async () => {
    await expectParseError(parseText('release.docx', `Acme opens plant\n\n${BODY.en}`), PARSE_ERROR_CODES.NOT_A_DOCX, 'release.docx', [/not a Word document/, /rename it to \.txt/]);
  });

  it('a legacy .doc file', async () => {
    const doc = Uint8Array.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    await expectParseError(parseRelease({ name: 'release.doc', bytes: doc }), PARSE_ERROR_CODES.UNSUPPORTED_FORMAT, 'release.doc', [/save it as \.docx/]);
  });

  it('a declared language that is not a BCP 47 tag', async () => {
    const markdown = `---\nlanguage: Deutsch (Schweiz)\n---\n\n# Überschrift\n\n${BODY.de}`;
    const error = await expectParseError(parseText('release.md', markdown), PARSE_ERROR_CODES.INVALID_LANGUAGE_TAG, 'release.md', [/"Deutsch \(Schweiz\)"/, /BCP 47/, /zh-Hans/]);
    expect(error.location.field).toBe('front matter: language');
  });

  it('a declared language in JSON that is not a tag', async () => {
    const json = JSON.stringify({ headline: 'Acme', language: 'english', body: [BODY.en] });
    const error = await expectParseError(parseText('release.json', json), PARSE_ERROR_CODES.INVALID_LANGUAGE_TAG, 'release.json');
    expect(error.location.field).toBe('$.language');
  });

  it('a ninjs item without bodies', async () => {
    const json = JSON.stringify({ uri: 'urn:x:1', type: 'text', headlines: [{ value: 'Acme' }] });
    const error = await expectParseError(parseText('item.json', json), PARSE_ERROR_CODES.SCHEMA_MISMATCH, 'item.json');
    expect(error.location.field).toBe('$.bodies');
  });

  it('is never retried and serializes with its location', async () => {
    const error = await parseText('short.txt', 'Headline only').catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: false });
    expect((error as { toJSON(): unknown }).toJSON()).toMatchObject({ code: 'NO_BODY', location: { file: 'short.txt', line: 1 } });
  });
});
