/**
 * Which parser reads an upload. Content decides first (a `.txt` that is really HTML is read as
 * HTML; a `.json` that is a ninjs item is read as ninjs), the file extension second, because
 * uploads arrive under whatever name a newsroom tool gave them.
 */
import type { SourceFormat } from '../release';
import { ParseError } from '../errors';
import { PARSE_ERROR_CODES } from './codes';
import { decodeText } from './encoding';
import { extensionOf } from './names';

const MAGIC: ReadonlyArray<{ bytes: readonly number[]; kind: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], kind: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], kind: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], kind: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], kind: 'a PDF document' },
  { bytes: [0x1f, 0x8b], kind: 'a gzip archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], kind: 'a RAR archive' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], kind: 'a 7-Zip archive' },
];

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean => magic.every((byte, index) => bytes[index] === byte);

const FIX_FORMAT = 'upload the release as .txt, .md, .html, .json (polywire or ninjs) or .docx';

/**
 * Detects the format of an upload.
 *
 * @throws ParseError `EMPTY_FILE`, `BINARY_FILE`, `UNSUPPORTED_FORMAT`, `NOT_A_DOCX`.
 * @example
 * detectFormat('launch.txt', new TextEncoder().encode('<!doctype html><h1>Hi</h1>')) // 'html'
 */
export function detectFormat(name: string, bytes: Uint8Array): SourceFormat {
  return sniff(name, bytes).format;
}

/** `detectFormat` plus the decoded text, so that parsers do not decode twice. */
export function sniff(name: string, bytes: Uint8Array): { format: SourceFormat; text?: ReturnType<typeof decodeText> } {
  if (bytes.length === 0) {
    throw new ParseError(PARSE_ERROR_CODES.EMPTY_FILE, 'the file is empty (0 bytes)', { file: name }, 'upload a release with a headline and a body');
  }
  const extension = extensionOf(name);
  if (startsWith(bytes, ZIP)) {
    if (containsAscii(bytes, 'word/document.xml')) return { format: 'docx' };
    throw new ParseError(PARSE_ERROR_CODES.UNSUPPORTED_FORMAT, 'a ZIP archive that is not a Word document (no word/document.xml inside)', { file: name }, `unpack it and upload the release itself; ${FIX_FORMAT}`);
  }
  if (startsWith(bytes, OLE)) {
    throw new ParseError(PARSE_ERROR_CODES.UNSUPPORTED_FORMAT, 'a legacy Word 97–2003 (.doc) or other OLE document', { file: name }, 'save it as .docx (Word: File › Save As › Word Document) and upload that');
  }
  for (const { bytes: magic, kind } of MAGIC) {
    if (startsWith(bytes, magic)) {
      throw new ParseError(PARSE_ERROR_CODES.BINARY_FILE, `${kind}, not a release`, { file: name }, FIX_FORMAT);
    }
  }
  if (extension === 'docx') {
    throw new ParseError(
      PARSE_ERROR_CODES.NOT_A_DOCX,
      'named .docx but is not a Word document (it is not a ZIP package; it looks like a plain text file)',
      { file: name },
      'rename it to .txt (or .md/.html to match its content), or export a real .docx from Word',
    );
  }
  const text = decodeText(bytes, name);
  const head = text.text.replace(/^\s+/, '').slice(0, 2048);
  if (/^\{\\rtf/.test(head)) {
    throw new ParseError(PARSE_ERROR_CODES.UNSUPPORTED_FORMAT, 'an RTF document', { file: name }, 'save it as .docx or plain text and upload that');
  }
  if (head.startsWith('{') && extension !== 'md' && extension !== 'markdown') {
    return { format: looksLikeNinjs(text.text) ? 'ninjs' : 'json', text };
  }
  if (/^---[ \t]*\n/.test(text.text.replace(/^\uFEFF/, ''))) return { format: 'markdown', text };
  if (/^(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|main|section|h1|p)[\s>]/i.test(head)) {
    return { format: 'html', text };
  }
  switch (extension) {
    case 'md':
    case 'markdown':
      return { format: 'markdown', text };
    case 'html':
    case 'htm':
    case 'xhtml':
      return { format: 'html', text };
    case 'json':
      // Not starting with `{`: an array or garbage. The JSON parser reports the exact position.
      return { format: 'json', text };
    default:
      return { format: 'text', text };
  }
}

/** ninjs is recognized by shape: `headlines`/`bodies` arrays, or a `uri` together with a ninjs `type`. */
function looksLikeNinjs(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const record = value as Record<string, unknown>;
    return Array.isArray(record.headlines) || Array.isArray(record.bodies) || (typeof record.uri === 'string' && typeof record.type === 'string');
  } catch {
    return false;
  }
}

function containsAscii(bytes: Uint8Array, needle: string): boolean {
  const pattern = Array.from(needle, (c) => c.charCodeAt(0));
  const first = pattern[0]!;
  outer: for (let i = bytes.indexOf(first); i !== -1 && i <= bytes.length - pattern.length; i = bytes.indexOf(first, i + 1)) {
    for (let j = 1; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return true;
  }
  return false;
}
