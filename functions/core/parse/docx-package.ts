/**
 * Checks a .docx package (a ZIP) before mammoth converts it. mammoth unpacks and builds a DOM of
 * the whole document first and only then hands back HTML, so a 300 KB upload holding three million
 * empty paragraphs, or one entry that inflates to 2 GB, used all the memory before any size check
 * could run. Here the package is read entry by entry: the central directory's counts and declared
 * sizes first (cheap), then every entry is actually inflated with a hard output cap, because the
 * declared sizes are written by the uploader and can lie. What the XML holds (paragraphs, table
 * cells, nesting) is counted on the raw bytes, linearly.
 */
import { inflateRawSync } from 'node:zlib';
import { ParseError } from '../errors';
import { PARSE_ERROR_CODES } from './codes';
import { LIMITS, limitError } from './limits';

export interface DocxPackageFacts {
  entries: number;
  /** Bytes all entries unpack to (inflated, not as declared). */
  unpackedBytes: number;
  /** Bytes the parts other than pictures unpack to (the XML mammoth parses). */
  xmlBytes: number;
  pictures: number;
  /** `<w:p>` elements in all parts, empty ones included. */
  paragraphs: number;
  tableCells: number;
  /** Deepest element nesting of any XML part. */
  depth: number;
}

interface Entry {
  name: string;
  method: number;
  packed: number;
  declared: number;
  localOffset: number;
}

const ONE_MIB = 1024 * 1024;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const SMALLER = 'save the document again from Word or LibreOffice without the extra content, or split it into separate releases';

/**
 * Refuses a package over the .docx limits in `LIMITS` (entries, unpacked size, size of the XML,
 * compression ratio, pictures, paragraphs, table cells, nesting). Returns what it counted.
 *
 * @throws ParseError `TOO_LARGE`, `LIMIT_EXCEEDED` (naming the limit) or `INVALID_DOCX`.
 * @example
 * checkDocxPackage(await readFile('release.docx'), 'release.docx').paragraphs; // 42
 */
export function checkDocxPackage(bytes: Uint8Array, file: string): DocxPackageFacts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const entries = centralDirectory(bytes, view, file);
  const facts: DocxPackageFacts = { entries: entries.length, unpackedBytes: 0, xmlBytes: 0, pictures: 0, paragraphs: 0, tableCells: 0, depth: 0 };
  for (const entry of entries) {
    const picture = /^word\/media\//i.test(entry.name);
    if (picture && ++facts.pictures > LIMITS.maxDocxPictures)
      throw limitError('maxDocxPictures', 'pictures in the Word document', `more than ${LIMITS.maxDocxPictures}`, file, 'keep the pictures out of the release; they travel separately');
    if (entry.declared > ONE_MIB && entry.declared / Math.max(entry.packed, 1) > LIMITS.maxDocxCompressionRatio) {
      throw limitError('maxDocxCompressionRatio', `compression ratio of ${entry.name}`, `${Math.round(entry.declared / Math.max(entry.packed, 1))}:1`, file, SMALLER);
    }
    const wholeLeft = LIMITS.maxDocxUnpackedBytes - facts.unpackedBytes;
    const xmlLeft = LIMITS.maxDocxXmlBytes - facts.xmlBytes;
    const whole = picture || wholeLeft <= xmlLeft;
    const over = (): ParseError =>
      whole
        ? limitError('maxDocxUnpackedBytes', 'bytes the .docx package unpacks to', `more than ${LIMITS.maxDocxUnpackedBytes.toLocaleString('en')}`, file, SMALLER)
        : limitError('maxDocxXmlBytes', 'bytes of XML the .docx package unpacks to', `more than ${LIMITS.maxDocxXmlBytes.toLocaleString('en')}`, file, SMALLER);
    const data = unpack(bytes, view, entry, whole ? wholeLeft : xmlLeft, file, over);
    facts.unpackedBytes += data.length;
    if (picture) continue;
    facts.xmlBytes += data.length;
    const counts = scanXml(data);
    facts.paragraphs += counts.paragraphs;
    facts.tableCells += counts.tableCells;
    facts.depth = Math.max(facts.depth, counts.depth);
    if (facts.depth > LIMITS.maxNestingDepth) throw limitError('maxNestingDepth', `elements nested inside each other in ${entry.name}`, `more than ${LIMITS.maxNestingDepth}`, file, 'remove the nested tables or frames');
    if (facts.paragraphs > LIMITS.maxDocxParagraphs) throw limitError('maxDocxParagraphs', 'paragraphs in the Word document (empty ones included)', facts.paragraphs, file, SMALLER);
    if (facts.tableCells > LIMITS.maxTableCells) throw limitError('maxTableCells', 'table cells in the Word document', facts.tableCells, file, 'link to the full table instead of putting it in the release');
  }
  return facts;
}

function invalid(file: string, why: string): ParseError {
  return new ParseError(PARSE_ERROR_CODES.INVALID_DOCX, `the Word document cannot be read: ${why}`, { file }, 'open it in Word or LibreOffice and save it again as .docx');
}

/** The entries listed in the ZIP's central directory (bounded by `maxDocxEntries`). */
function centralDirectory(bytes: Uint8Array, view: DataView, file: string): Entry[] {
  // The end record is in the last 22 + 65,535 (comment) bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === EOCD) {
      end = i;
      break;
    }
  }
  if (end === -1) throw invalid(file, 'the ZIP package has no central directory (truncated upload?)');
  const count = view.getUint16(end + 10, true);
  const offset = view.getUint32(end + 16, true);
  if (count === 0xffff || offset === 0xffffffff) throw invalid(file, 'a ZIP64 package, which no Word document of upload size needs');
  if (count > LIMITS.maxDocxEntries) throw limitError('maxDocxEntries', 'entries in the .docx package', count, file, SMALLER);
  const entries: Entry[] = [];
  let at = offset;
  for (let n = 0; n < count; n++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== CENTRAL) throw invalid(file, 'the ZIP central directory is damaged');
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    entries.push({
      method: view.getUint16(at + 10, true),
      packed: view.getUint32(at + 20, true),
      declared: view.getUint32(at + 24, true),
      localOffset: view.getUint32(at + 42, true),
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Inflates one entry, refusing it as soon as it would exceed `budget` bytes. */
function unpack(bytes: Uint8Array, view: DataView, entry: Entry, budget: number, file: string, over: () => ParseError): Uint8Array {
  const at = entry.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) throw invalid(file, `the ZIP entry ${entry.name} is damaged`);
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const packed = bytes.subarray(start, start + entry.packed);
  if (entry.method === 0) {
    if (packed.length > budget) throw over();
    return packed;
  }
  if (entry.method !== 8) throw invalid(file, `the ZIP entry ${entry.name} uses compression method ${entry.method}, which Word does not write`);
  try {
    return inflateRawSync(packed, { maxOutputLength: Math.max(1, budget) });
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw over();
    throw invalid(file, `the ZIP entry ${entry.name} does not unpack (${(cause as Error).message})`);
  }
}

/**
 * Counts `<w:p>` paragraphs, `<w:tc>` table cells and the deepest element nesting of an XML part
 * in one pass over its bytes (tags are ASCII, so no decoding is needed).
 */
export function scanXml(data: Uint8Array): { paragraphs: number; tableCells: number; depth: number } {
  const LT = 0x3c;
  const GT = 0x3e;
  const SLASH = 0x2f;
  let paragraphs = 0;
  let tableCells = 0;
  let depth = 0;
  let deepest = 0;
  for (let i = data.indexOf(LT); i !== -1; i = data.indexOf(LT, i + 1)) {
    const next = data[i + 1];
    if (next === SLASH) {
      depth--;
      continue;
    }
    // `<?xml …?>`, `<!-- … -->`, `<![CDATA[…]]>`: not elements.
    if (next === 0x3f || next === 0x21) continue;
    const close = data.indexOf(GT, i + 1);
    if (close === -1) break;
    // `<w:p>` / `<w:p …>`, not `<w:pPr>`; `<w:tc>` likewise.
    if (data[i + 2] === 0x3a && data[i + 1] === 0x77) {
      const after = data[i + 4];
      const bare = after === GT || after === 0x20 || after === SLASH || after === 0x09 || after === 0x0a || after === 0x0d;
      if (bare && data[i + 3] === 0x70) paragraphs++;
      if (data[i + 3] === 0x74 && data[i + 4] === 0x63) {
        const afterTc = data[i + 5];
        if (afterTc === GT || afterTc === 0x20 || afterTc === SLASH || afterTc === 0x09 || afterTc === 0x0a || afterTc === 0x0d) tableCells++;
      }
    }
    if (data[close - 1] !== SLASH) {
      depth++;
      if (depth > deepest) deepest = depth;
    }
    i = close;
  }
  return { paragraphs, tableCells, depth: deepest };
}
