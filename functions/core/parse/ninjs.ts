/**
 * IPTC ninjs news items (3.x; the 1.x/2.x `embargoed` and `subjects` spellings are read too).
 * Only the fields a release needs are checked; the rest of the item is ignored, not rejected,
 * since ninjs producers add their own extensions.
 */
import * as z from 'zod/mini';
import type { Declared, ReleaseDraft } from './draft';
import { extractHtmlBlocks } from './html';
import { parseJsonText, schemaError } from './json';
import { uriReleaseId } from './names';
import { textBlocks } from './text';
import type { SourceBlock } from './structure';

const TextItemSchema = z.object({ role: z.optional(z.string()), contentType: z.optional(z.string()), value: z.string() });

export const NinjsInputSchema = z.object({
  uri: z.optional(z.string().check(z.minLength(1))),
  type: z.optional(z.string()),
  version: z.optional(z.union([z.string(), z.number()])),
  language: z.optional(z.string()),
  headlines: z.array(TextItemSchema).check(z.minLength(1, { message: 'a ninjs release needs at least one headline' })),
  bodies: z.array(TextItemSchema).check(z.minLength(1, { message: 'a ninjs release needs at least one body' })),
  subjects: z.optional(z.array(z.looseObject({ name: z.optional(z.string()), literal: z.optional(z.string()) }))),
  embargoedUntil: z.optional(z.string()),
  embargoed: z.optional(z.string()),
  versionCreated: z.optional(z.string()),
  firstCreated: z.optional(z.string()),
  // 3.x: an array; 1.x/2.x: an object keyed by name. Only picture associations are read.
  associations: z.optional(z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())])),
});

const PictureAssociationSchema = z.looseObject({
  type: z.literal('picture'),
  uri: z.optional(z.string()),
  headlines: z.optional(z.array(TextItemSchema)),
  headline: z.optional(z.string()),
  descriptions: z.optional(z.array(TextItemSchema)),
  description_text: z.optional(z.string()),
  renditions: z.optional(
    z.union([
      z.array(z.looseObject({ href: z.string().check(z.minLength(1)), width: z.optional(z.number()) })),
      z.record(z.string(), z.looseObject({ href: z.string().check(z.minLength(1)), width: z.optional(z.number()) })),
    ]),
  ),
});

/**
 * Picture associations as picture blocks after the body: the widest rendition's `href` is the
 * picture's source (a path relative to the upload is read from beside it; an absolute URL is
 * never fetched and is left out with a warning, see pipeline/pictures.ts). Alt text: a
 * description with role `alt` (else the first description), else the headline.
 */
function pictureAssociations(associations: unknown[] | Record<string, unknown> | undefined): SourceBlock[] {
  const list = Array.isArray(associations) ? associations : Object.values(associations ?? {});
  return list.flatMap((value): SourceBlock[] => {
    const parsed = PictureAssociationSchema.safeParse(value);
    if (!parsed.success) return [];
    const picture = parsed.data;
    const renditions = Array.isArray(picture.renditions) ? picture.renditions : Object.values(picture.renditions ?? {});
    const widest = [...renditions].sort((a, b) => (b.width ?? 0) - (a.width ?? 0))[0];
    const ref = widest?.href ?? picture.uri;
    if (!ref) return [];
    const alt = (picture.descriptions?.find((d) => d.role === 'alt') ?? picture.descriptions?.[0])?.value ?? picture.description_text ?? picture.headlines?.[0]?.value ?? picture.headline ?? '';
    return [{ block: { type: 'picture', alt: alt.replace(/\s+/g, ' ').trim(), ref } }];
  });
}

const HTML_TYPES = /html|xhtml|xml/i;
const HEADLINE_ROLES = ['main', 'headline', 'default'];
const SUBHEADLINE_ROLES = ['sub', 'subheadline', 'subtitle', 'deck', 'kicker'];

/**
 * Reads an IPTC ninjs item (3.x, with the 1.x/2.x spellings) into a release draft: the main
 * headline and a sub-headline by role, the HTML body (plain text as a fallback), language, embargo,
 * dates, subjects as categories.
 *
 * @throws ParseError `INVALID_JSON` or `SCHEMA_MISMATCH` naming the JSON path, with a hint.
 * @example
 * const draft = parseNinjsRelease(await readFile('item.json', 'utf8'), 'item.json');
 */
export function parseNinjsRelease(text: string, file: string): ReleaseDraft {
  const parsed = NinjsInputSchema.safeParse(parseJsonText(text, file));
  if (!parsed.success) throw schemaError(parsed.error, file, 'a ninjs item needs `headlines: [{ "value": … }]` and `bodies: [{ "contentType": "text/html", "value": … }]`');
  const item = parsed.data;
  const headline = item.headlines.find((h) => HEADLINE_ROLES.includes(h.role ?? 'main')) ?? item.headlines[0]!;
  const subheadline = item.headlines.find((h) => SUBHEADLINE_ROLES.includes(h.role ?? ''));
  // Markup keeps links, emphasis and paragraphs; plain text is the fallback.
  const body = item.bodies.find((b) => HTML_TYPES.test(b.contentType ?? '')) ?? item.bodies.find((b) => (b.role ?? 'main') === 'main') ?? item.bodies[0]!;
  const extracted = HTML_TYPES.test(body.contentType ?? '') ? extractHtmlBlocks(body.value, { takeHeadline: false, file }) : { blocks: plainBlocks(body.value), media: [] };
  const blocks: SourceBlock[] = [...extracted.blocks, ...pictureAssociations(item.associations)];
  const categories = (item.subjects ?? []).map((s) => s.name ?? s.literal).filter((s): s is string => Boolean(s?.trim()));
  const at = (field: string, value: unknown): Declared => ({ value, location: { field: `$.${field}` } });
  const embargo = item.embargoedUntil !== undefined ? at('embargoedUntil', item.embargoedUntil) : item.embargoed !== undefined ? at('embargoed', item.embargoed) : undefined;
  const date = item.firstCreated !== undefined ? at('firstCreated', item.firstCreated) : item.versionCreated !== undefined ? at('versionCreated', item.versionCreated) : undefined;
  // The uri is the news object's stable identity across versions, a better id than the file name.
  // Hashed whole: wires reuse suffixes (Reuters-style ids all end in `:1`), so a suffix alone
  // would merge different items into one release.
  const uri = item.uri?.trim();
  return {
    headline: headline.value,
    ...(subheadline ? { subheadline: subheadline.value } : {}),
    blocks,
    ...(extracted.media.length > 0 ? { media: extracted.media } : {}),
    ...(categories.length > 0 ? { categories } : {}),
    meta: {
      ...(uri ? { id: at('uri', uriReleaseId(uri)) } : {}),
      // ninjs versions are free text; only a whole number maps onto the release revision.
      ...(item.version !== undefined && /^\d+$/.test(String(item.version)) ? { version: at('version', Number(item.version)) } : {}),
      ...(item.language !== undefined ? { language: at('language', item.language) } : {}),
      ...(embargo ? { embargo } : {}),
      ...(date ? { date } : {}),
    },
  };
}

/** A text/plain body: paragraphs separated by blank lines, read like a plain-text release's body. */
const plainBlocks = (value: string): SourceBlock[] => textBlocks(value.replace(/\r\n?/g, '\n'));
