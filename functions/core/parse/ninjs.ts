/**
 * IPTC ninjs news items (3.x; the 1.x/2.x `embargoed` and `subjects` spellings are read too).
 * Only the fields a release needs are checked; the rest of the item is ignored, not rejected,
 * since ninjs producers add their own extensions.
 */
import { z } from 'zod';
import type { Declared, ReleaseDraft } from './draft';
import { extractHtmlBlocks } from './html';
import { parseJsonText, schemaError } from './json';
import { deriveReleaseId } from './names';
import { textBlocks } from './text';
import type { SourceBlock } from './structure';

const TextItemSchema = z.object({ role: z.string().optional(), contentType: z.string().optional(), value: z.string() });

export const NinjsInputSchema = z.object({
  uri: z.string().min(1).optional(),
  type: z.string().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  language: z.string().optional(),
  headlines: z.array(TextItemSchema).min(1, { message: 'a ninjs release needs at least one headline' }),
  bodies: z.array(TextItemSchema).min(1, { message: 'a ninjs release needs at least one body' }),
  subjects: z.array(z.object({ name: z.string().optional(), literal: z.string().optional() }).loose()).optional(),
  embargoedUntil: z.string().optional(),
  embargoed: z.string().optional(),
  versionCreated: z.string().optional(),
  firstCreated: z.string().optional(),
});

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
  const blocks: SourceBlock[] = HTML_TYPES.test(body.contentType ?? '')
    ? extractHtmlBlocks(body.value, { takeHeadline: false, file }).blocks
    : plainBlocks(body.value);
  const categories = (item.subjects ?? []).map((s) => s.name ?? s.literal).filter((s): s is string => Boolean(s?.trim()));
  const at = (field: string, value: unknown): Declared => ({ value, location: { field: `$.${field}` } });
  const embargo = item.embargoedUntil !== undefined ? at('embargoedUntil', item.embargoedUntil) : item.embargoed !== undefined ? at('embargoed', item.embargoed) : undefined;
  const date = item.firstCreated !== undefined ? at('firstCreated', item.firstCreated) : item.versionCreated !== undefined ? at('versionCreated', item.versionCreated) : undefined;
  // The uri is the news object's stable identity across versions, a better id than the file name.
  const uriStem = item.uri?.split(/[/#?:]/).filter(Boolean).at(-1);
  return {
    headline: headline.value,
    ...(subheadline ? { subheadline: subheadline.value } : {}),
    blocks,
    ...(categories.length > 0 ? { categories } : {}),
    meta: {
      ...(uriStem ? { id: at('uri', deriveReleaseId(uriStem)) } : {}),
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
