import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { decodeText } from '../../../../functions/core/parse/encoding';
import { BODY, parseText, utf8 } from './helpers';

const TEXT = `Übernahme der Müller AG für 12 € je Aktie\n\n${BODY.de} „Ein großer Schritt“, sagte sie.`;

function utf16(text: string, endian: 'le' | 'be', bom: boolean): Uint8Array {
  const units = Array.from(text, (c) => c.charCodeAt(0));
  const bytes = new Uint8Array((units.length + (bom ? 1 : 0)) * 2);
  const all = bom ? [0xfeff, ...units] : units;
  all.forEach((unit, i) => {
    const [first, second] = endian === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff];
    bytes[i * 2] = first;
    bytes[i * 2 + 1] = second;
  });
  return bytes;
}

/** Windows-1252 bytes of a Latin-1/€ text, written out by hand like an old Windows editor would. */
function windows1252(text: string): Uint8Array {
  return Uint8Array.from(Array.from(text, (c) => (c === '€' ? 0x80 : c === '„' ? 0x84 : c === '“' ? 0x93 : c.charCodeAt(0))));
}

describe('decoding', () => {
  it.each([
    ['utf-8', new TextEncoder().encode(TEXT)],
    ['utf-8-bom', Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(TEXT)])],
    ['utf-16le', utf16(TEXT, 'le', true)],
    ['utf-16be', utf16(TEXT, 'be', true)],
    ['windows-1252', windows1252(TEXT)],
  ])('%s decodes without mojibake and is recorded', async (encoding, bytes) => {
    const release = await parseRelease({ name: 'muller.txt', bytes });
    expect(release.source.encoding).toBe(encoding);
    expect(release.headline).toBe('Übernahme der Müller AG für 12 € je Aktie');
    expect(JSON.stringify(release)).not.toMatch(/Ã|â€|\uFFFD/);
  });

  it('reads UTF-16 without a byte-order mark', () => {
    expect(decodeText(utf16(TEXT, 'le', false), 'x.txt')).toEqual({ text: TEXT, encoding: 'utf-16le' });
  });

  it('normalizes line endings and decomposed umlauts (NFC)', () => {
    const decomposed = 'U\u0308bernahme\r\n\r\nText\rmehr';
    expect(decodeText(new TextEncoder().encode(decomposed), 'x.txt').text).toBe('Übernahme\n\nText\nmehr');
  });
});

describe('control and bidi override characters', () => {
  const SPOOFED = 'Acme\u202e reports \u0007record\u2066 results\u2069\u202c';

  it('are removed right after decoding', () => {
    expect(decodeText(utf8(`${SPOOFED}\n\tx\u200f`), 'spoof.txt').text).toBe('Acme reports record results\n\tx\u200f');
  });

  it.each([
    ['spoof.txt', `${SPOOFED}\n\n${BODY.en}`],
    ['spoof.json', JSON.stringify({ headline: SPOOFED, body: [`${BODY.en}\u202e\u0007`] })],
    ['spoof.html', `<html lang="en"><body><h1>Acme&#8238; reports &#7;record results</h1><p>${BODY.en}&#x202E;</p></body></html>`],
  ])('never reach the release from %s, whether raw, JSON-escaped or as HTML entities', async (name, text) => {
    const release = await parseText(name, text);
    expect(release.headline).toBe('Acme reports record results');
    expect(JSON.stringify(release)).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u202A-\u202E\u2066-\u2069]|\\u00(?:0[0-8bcef]|1)|\\u202|\\u206/i);
  });
});
