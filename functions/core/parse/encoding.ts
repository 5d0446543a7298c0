/**
 * Turns uploaded bytes into text without ever producing mojibake: a byte-order mark decides first,
 * then strict UTF-8, then Windows-1252 (what "ANSI" exports from Western Windows tools are).
 * Windows-1252 can decode any byte sequence, so it is the last resort, never a guess over UTF-8.
 */
import { ParseError } from '../errors';
import { stripControlCharacters } from '../text';
import { PARSE_ERROR_CODES } from './codes';

export type TextEncodingName = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  /** NFC-normalized, line endings as `\n`, BOM, control and bidi override characters removed. */
  text: string;
  encoding: TextEncodingName;
}

/**
 * Decodes an upload's bytes. Throws `BINARY_FILE` for NUL bytes outside UTF-16. Control and bidi
 * override characters go right away, so that no later step (line splitting, structure
 * recognition) sees them.
 */
export function decodeText(bytes: Uint8Array, file: string): DecodedText {
  const { text, encoding } = decodeRaw(bytes, file);
  return { text: stripControlCharacters(text.replace(/\r\n?/g, '\n')).normalize('NFC'), encoding };
}

function decodeRaw(bytes: Uint8Array, file: string): { text: string; encoding: TextEncodingName } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strictUtf8(bytes.subarray(3), file, 'utf-8-bom'), encoding: 'utf-8-bom' };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  }
  const unmarked = unmarkedUtf16(bytes);
  if (unmarked) return { text: new TextDecoder(unmarked).decode(bytes), encoding: unmarked };
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new ParseError(PARSE_ERROR_CODES.BINARY_FILE, `binary data (a NUL byte at offset ${nul}), not a text release`, { file }, 'upload the release as .txt, .md, .html, .json or .docx');
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

function strictUtf8(bytes: Uint8Array, file: string, label: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ParseError(PARSE_ERROR_CODES.BINARY_FILE, `starts with a UTF-8 byte-order mark but is not valid ${label}`, { file }, 'save the file again as UTF-8', { cause });
  }
}

/**
 * UTF-16 without a BOM (some Windows exports): ASCII-heavy text has a zero in every other byte and
 * nowhere else. Requires most of the sampled code units to look like that, so that a binary file
 * with scattered NULs is not mistaken for text.
 */
function unmarkedUtf16(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes.length < 8 || bytes.length % 2 !== 0) return undefined;
  const sample = Math.min(bytes.length, 4096);
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < sample; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const units = sample / 2;
  if (oddZeros > units * 0.6 && evenZeros === 0) return 'utf-16le';
  if (evenZeros > units * 0.6 && oddZeros === 0) return 'utf-16be';
  return undefined;
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, „, “, ”, –, — …). Node 20's TextDecoder
 * decodes the `windows-1252` label as Latin-1, turning € into U+0080, so those 32 bytes are mapped
 * here; the five bytes Windows-1252 leaves undefined keep their Latin-1 control character.
 */
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

function decodeWindows1252(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 8192) {
    const chunk = bytes.subarray(start, start + 8192);
    text += String.fromCharCode(...chunk).replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]!);
  }
  return text;
}
