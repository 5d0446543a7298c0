/**
 * Word `.docx` releases: mammoth turns the document into semantic HTML (headings, paragraphs,
 * lists, links, emphasis; no layout), which the HTML block extractor reads like any HTML upload.
 */
import mammoth from 'mammoth';
import { ParseError } from '../errors';
import { inlineText } from '../release';
import { PARSE_ERROR_CODES } from './codes';
import { checkDocxPackage } from './docx-package';
import type { ReleaseDraft } from './draft';
import { EMBEDDED_SCHEME, extractHtmlBlocks } from './html';

/** Word's built-in styles that carry release structure, mapped onto the HTML the extractor reads. */
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => p.subtitle:fresh", "p[style-name='Quote'] => blockquote > p:fresh", "p[style-name='Intense Quote'] => blockquote > p:fresh"];

/**
 * Images are taken out of the document into `media` and referenced by index: as data URIs they
 * would count against the text limit and be decoded twice. Their alt text (Word's "Alt Text",
 * the drawing's description) is kept by mammoth.
 */
const collectImages = (media: Uint8Array[]) =>
  mammoth.images.imgElement(async (image) => {
    media.push(new Uint8Array(await image.readAsBuffer()));
    return { src: `${EMBEDDED_SCHEME}${media.length - 1}` };
  });

/**
 * @param checkSize called with the converted HTML before it is read, to enforce the text limit.
 */
export async function parseDocxRelease(bytes: Uint8Array, file: string, checkSize: (html: string) => void): Promise<ReleaseDraft> {
  // Before mammoth: it unpacks and parses everything before a size could be checked.
  checkDocxPackage(bytes, file);
  let html: string;
  const media: Uint8Array[] = [];
  try {
    const result = await mammoth.convertToHtml(
      { buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) },
      // No reading of files a document links to: an upload must never reach the host's filesystem.
      { styleMap: STYLE_MAP, convertImage: collectImages(media), externalFileAccess: false, ignoreEmptyParagraphs: true },
    );
    html = result.value;
  } catch (cause) {
    throw new ParseError(
      PARSE_ERROR_CODES.INVALID_DOCX,
      `the Word document cannot be read: ${cause instanceof Error ? cause.message : String(cause)}`,
      { file },
      'open it in Word or LibreOffice and save it again as .docx',
      { cause },
    );
  }
  checkSize(html);
  const extracted = extractHtmlBlocks(html, { media, file });
  let headline = extracted.headline;
  const blocks = extracted.blocks;
  // Many releases set the headline as bold body text instead of a Title/Heading 1 style.
  if (!headline && blocks[0] && (blocks[0].block.type === 'paragraph' || blocks[0].block.type === 'heading' || blocks[0].block.type === 'quote')) {
    const first = inlineText(blocks[0].block.content).trim();
    if (first.length > 0 && first.length <= 300) {
      headline = first;
      blocks.shift();
    }
  }
  return {
    ...(headline ? { headline } : {}),
    ...(extracted.subheadline ? { subheadline: extracted.subheadline } : {}),
    blocks,
    ...(media.length > 0 ? { media } : {}),
    meta: {},
  };
}
