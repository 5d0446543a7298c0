/**
 * The structured release: the one shape every later step (translation, rendering, feeds,
 * webhooks) consumes. Parsers produce it, the pipeline stores it, and it is validated here
 * so that no step ever has to second-guess its input.
 *
 * Versioned: `schemaVersion` changes only with a breaking change of this shape; `version` is the
 * release's own revision (a correction is a new version of the same `id`).
 */
import { builtOnFirstUse } from './first-use';
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// zod/mini (a fraction of classic zod's code, which every function compiled at each cold start)
// ships no error messages; parse errors quote them to the user, so load the English ones, once.
z.config(en());

export const RELEASE_SCHEMA_VERSION = 1 as const;

/** Inline content of a block. Links and emphasis survive parsing and translation. */
export type Inline = { type: 'text'; text: string } | { type: 'em'; children: Inline[] } | { type: 'strong'; children: Inline[] } | { type: 'link'; href: string; children: Inline[] } | { type: 'break' };

const SAFE_LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/**
 * Whether a link target is an absolute http(s) or mailto URL: the only links a release keeps.
 * `javascript:`, `data:` and relative paths are refused by the model itself, so a release that
 * validates is safe to render anywhere. WHATWG URL parsing strips the tabs and newlines used to
 * hide a `javascript:` scheme.
 *
 * @example
 * isSafeHref('https://example.com/a'); // true
 * isSafeHref('javascript:alert(1)'); // false
 */
export function isSafeHref(href: string): boolean {
  try {
    return SAFE_LINK_PROTOCOLS.has(new URL(href.trim()).protocol);
  } catch {
    return false;
  }
}

const LinkHrefSchema = builtOnFirstUse(() =>
  z
    .string()
    .check(z.minLength(1))
    .check(z.refine(isSafeHref, { message: 'a link target must be an absolute http(s) or mailto URL (javascript:, data: and relative links are not kept)' })),
);

export const InlineSchema: z.ZodMiniType<Inline> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.literal('em'), children: z.array(InlineSchema) }),
    z.object({ type: z.literal('strong'), children: z.array(InlineSchema) }),
    z.object({ type: z.literal('link'), href: LinkHrefSchema, children: z.array(InlineSchema) }),
    z.object({ type: z.literal('break') }),
  ]),
);

/** Column alignment as the source declared it; rendered as logical start/end so it mirrors in right-to-left pages. */
export const TableAlignSchema = builtOnFirstUse(() => z.enum(['start', 'center', 'end']));
export type TableAlign = z.infer<typeof TableAlignSchema>;

/** One cell. `header` marks a row header in the body (`<th scope="row">`); header rows are in `head`. */
export const TableCellSchema = builtOnFirstUse(() =>
  z.object({
    content: z.array(InlineSchema),
    header: z.optional(z.literal(true)),
  }),
);
export type TableCell = z.infer<typeof TableCellSchema>;

/** Limits on one table (documented in docs/formats.md); a bigger table is a parse error that names the limit. */
export const MAX_TABLE_ROWS = 500;
export const MAX_TABLE_COLUMNS = 30;

const TableRowSchema = builtOnFirstUse(() => z.array(TableCellSchema).check(z.minLength(1)).check(z.maxLength(MAX_TABLE_COLUMNS)));

/**
 * A table block: header rows, body rows, an optional caption and per-column alignment. Cells hold
 * inline content; figure cells (numbers, currencies, percentages, dates) are never translated.
 */
export const TableBlockSchema = builtOnFirstUse(() =>
  z.object({
    type: z.literal('table'),
    caption: z.optional(z.array(InlineSchema).check(z.minLength(1))),
    /** One entry per column; absent or shorter = no declared alignment. */
    align: z.optional(z.array(z.nullable(TableAlignSchema)).check(z.maxLength(MAX_TABLE_COLUMNS))),
    head: z.array(TableRowSchema).check(z.maxLength(MAX_TABLE_ROWS)),
    body: z.array(TableRowSchema).check(z.maxLength(MAX_TABLE_ROWS)),
  }),
);
export type TableBlock = z.infer<typeof TableBlockSchema>;

/** One web rendition of a picture, stored content-addressed under `media/<sha256>/`. */
export const RenditionSchema = builtOnFirstUse(() =>
  z.object({
    /** Key in the distribution bucket (and site path): `media/<sha256>/w1200.jpg`. */
    path: z.string().check(z.regex(/^media\/[0-9a-f]{64}\/[a-z0-9.-]+$/)),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/webp']),
    width: z.int().check(z.gte(1)),
    height: z.int().check(z.gte(1)),
    /** Size in bytes (RSS enclosures declare it). */
    bytes: z.int().check(z.gte(1)),
  }),
);
export type Rendition = z.infer<typeof RenditionSchema>;

/**
 * A picture. Parsers set `ref` (where the bytes are: `embedded:<n>` for a Word image or data URI,
 * a path relative to the upload, or an absolute URL); the ingest's picture step checks the bytes,
 * strips their metadata, builds renditions and replaces `ref` with `asset`. Outputs show only
 * pictures with an `asset`.
 */
export const PictureBlockSchema = builtOnFirstUse(() =>
  z.object({
    type: z.literal('picture'),
    /** Alternative text, translated like any text; empty when the source had none (a warning is recorded). */
    alt: z.string(),
    caption: z.optional(z.array(InlineSchema).check(z.minLength(1))),
    ref: z.optional(z.string().check(z.minLength(1))),
    asset: z.optional(
      z.object({
        /** SHA-256 of the original bytes: the content address. */
        sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
        width: z.int().check(z.gte(1)),
        height: z.int().check(z.gte(1)),
        /** Largest first; the first is the default `src`, `og:image` and feed enclosure. */
        renditions: z.array(RenditionSchema).check(z.minLength(1)),
      }),
    ),
  }),
);
export type PictureBlock = z.infer<typeof PictureBlockSchema>;

/**
 * A body block. Quote blocks keep their quote marks in the text as found (“…”, „…“, « … », 「…」):
 * the translation step maps them to the target language's marks.
 */
export const BlockSchema = builtOnFirstUse(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('paragraph'), content: z.array(InlineSchema).check(z.minLength(1)) }),
    z.object({ type: z.literal('quote'), content: z.array(InlineSchema).check(z.minLength(1)) }),
    z.object({
      type: z.literal('heading'),
      level: z.int().check(z.gte(2)).check(z.lte(6)),
      content: z.array(InlineSchema).check(z.minLength(1)),
    }),
    z.object({
      type: z.literal('list'),
      ordered: z.boolean(),
      items: z.array(z.array(InlineSchema).check(z.minLength(1))).check(z.minLength(1)),
    }),
    TableBlockSchema,
    PictureBlockSchema,
  ]),
);
export type Block = z.infer<typeof BlockSchema>;

/** BCP 47 language tag, checked with the platform's own canonicalizer (Intl). */
export const LanguageTagSchema = builtOnFirstUse(() =>
  z
    .string()
    .check(z.minLength(2))
    .check(z.refine(isLanguageTag, { message: 'not a BCP 47 language tag (examples: en, de, zh-Hans, pt-BR)' })),
);

export function isLanguageTag(value: string): boolean {
  if (!/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(value)) return false;
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

/** A release id: lowercase ASCII slug, stable across versions and languages; it is also the URL slug. */
export const ReleaseIdSchema = builtOnFirstUse(() =>
  z.string().check(
    z.regex(/^[a-z0-9](?:[a-z0-9-]{0,126}[a-z0-9])?$/, {
      message: 'id must be 1–128 characters of a–z, 0–9 and inner hyphens',
    }),
  ),
);

export const BoilerplateSchema = builtOnFirstUse(() =>
  z.object({
    /**
     * `wire`: the distributing wire's own paragraph; `issuer`: the company's "About …" block;
     * `forward-looking`: the issuer's forward-looking statements / safe-harbor section (legal text,
     * kept and translated, shown apart from the story).
     */
    kind: z.enum(['wire', 'issuer', 'forward-looking']),
    /** The heading as found, e.g. `About Acme Robotics`; absent for an untitled wire paragraph. */
    title: z.optional(z.string().check(z.minLength(1))),
    body: z.array(BlockSchema).check(z.minLength(1)),
  }),
);
export type Boilerplate = z.infer<typeof BoilerplateSchema>;

export const ContactSchema = builtOnFirstUse(() =>
  z.object({
    name: z.optional(z.string()),
    organization: z.optional(z.string()),
    email: z.optional(z.string()),
    phone: z.optional(z.string()),
    url: z.optional(z.string()),
    /** The contact block's lines as found; never translated. */
    text: z.string().check(z.minLength(1)),
  }),
);
export type Contact = z.infer<typeof ContactSchema>;

/** The source tag / dateline exactly as found, plus what could be read out of it. */
export const SourceTagSchema = builtOnFirstUse(() =>
  z.object({
    /** Verbatim, including its dash: `(SeaPRwire) –`, `BERLIN, 26. November 2026 /PRNewswire/ --`. */
    raw: z.string().check(z.minLength(1)),
    /** Normalized wire name: `SeaPRwire`, `PRNewswire`, `Business Wire`, … */
    wire: z.optional(z.string().check(z.minLength(1))),
    /** Dateline place, e.g. `BERLIN`. */
    place: z.optional(z.string().check(z.minLength(1))),
    /** Dateline date as written, e.g. `26. November 2026`. */
    date: z.optional(z.string().check(z.minLength(1))),
    /** The dateline's calendar day (`YYYY-MM-DD`) when it could be read: translated pages print it in their own language. */
    day: z.optional(z.iso.date()),
  }),
);
export type SourceTag = z.infer<typeof SourceTagSchema>;

/**
 * The translatable content of a release. A translated variant has exactly this shape too, so
 * renderers take either.
 */
export const ReleaseContentSchema = builtOnFirstUse(() =>
  z.object({
    headline: z.string().check(z.minLength(1)),
    subheadline: z.optional(z.string().check(z.minLength(1))),
    body: z.array(BlockSchema).check(z.minLength(1)),
    categories: z.array(z.string().check(z.minLength(1))),
    disclaimer: z.optional(z.string().check(z.minLength(1))),
    boilerplates: z.array(BoilerplateSchema),
    /**
     * The dateline's place in this content's language (`ROTTERDAM` → `Róterdam`). On a release it
     * lives in `sourceTag.place`; `contentOf` copies it here so that it is translated like any other
     * field and a translated page's rebuilt dateline names the place as its readers write it.
     */
    place: z.optional(z.string().check(z.minLength(1))),
  }),
);
export type ReleaseContent = z.infer<typeof ReleaseContentSchema>;

export const SOURCE_FORMATS = ['text', 'markdown', 'html', 'json', 'ninjs', 'docx'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const ReleaseSchema = builtOnFirstUse(() =>
  z.extend(z.omit(ReleaseContentSchema, { place: true }), {
    schemaVersion: z.literal(RELEASE_SCHEMA_VERSION),
    id: ReleaseIdSchema,
    version: z.int().check(z.gte(1)),
    language: LanguageTagSchema,
    /** How the language is known: declared in the upload, or detected (with the detector's confidence). */
    languageSource: z.enum(['declared', 'detected']),
    /** 0–1; 1 when declared. */
    languageConfidence: z.number().check(z.gte(0)).check(z.lte(1)),
    sourceTag: z.optional(SourceTagSchema),
    contacts: z.array(ContactSchema),
    /** Embargo end as an absolute instant with its zone (ISO 8601 with offset), plus the line as found. */
    embargo: z.optional(z.object({ until: z.iso.datetime({ offset: true }), raw: z.string().check(z.minLength(1)) })),
    /**
     * Scheduled publication (ISO 8601 with offset): like an embargo, nothing is public before it,
     * but nobody (not even embargo subscribers) receives the release early. See docs/lifecycle.md.
     */
    publishAt: z.optional(z.iso.datetime({ offset: true })),
    /** Release date declared by the issuer (ISO 8601 with offset), if any. */
    date: z.optional(z.iso.datetime({ offset: true })),
    canonicalUrl: z.optional(z.url({ protocol: /^https?$/ })),
    /** Target languages requested for this release; absent = the deployment's default. */
    targets: z.optional(z.array(LanguageTagSchema)),
    /** Per-release do-not-translate terms, added to the project glossary. */
    glossary: z.optional(z.array(z.string().check(z.minLength(1)))),
    /** Human translations supplied with the release; they win over machine translation. */
    translations: z.optional(z.record(z.string(), ReleaseContentSchema)),
    /** What the pipeline changed or dropped and the issuer should know (a picture without alt text, a picture left out). */
    warnings: z.optional(z.array(z.string().check(z.minLength(1)))),
    source: z.object({
      /** File name or object key the release came from. */
      name: z.string().check(z.minLength(1)),
      format: z.enum(SOURCE_FORMATS),
      encoding: z.string().check(z.minLength(1)),
      bytes: z.int().check(z.gte(0)),
      /** SHA-256 of the uploaded bytes, hex. */
      sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
    }),
  }),
);
export type Release = z.infer<typeof ReleaseSchema>;

/** Picks the translatable content out of a release. */
export function contentOf(release: Release): ReleaseContent {
  return contentFrom({ ...release, place: release.sourceTag?.place });
}

/**
 * Builds release content from its parts, leaving the optional ones out when undefined (so that a
 * rebuilt content compares equal to the original and serializes without `undefined` keys).
 */
export function contentFrom(parts: ReleaseContent): ReleaseContent {
  const { headline, subheadline, body, categories, disclaimer, boilerplates, place } = parts;
  return {
    headline,
    ...(subheadline === undefined ? {} : { subheadline }),
    body,
    categories,
    ...(disclaimer === undefined ? {} : { disclaimer }),
    boilerplates,
    ...(place === undefined ? {} : { place }),
  };
}

/** Plain text of inline content (links and emphasis flattened). */
export function inlineText(content: readonly Inline[]): string {
  return content
    .map((node) => {
      switch (node.type) {
        case 'text':
          return node.text;
        case 'break':
          return '\n';
        default:
          return inlineText(node.children);
      }
    })
    .join('');
}

/** Plain text of a block; list items and table rows joined by newlines, table cells by tabs. */
export function blockText(block: Block): string {
  switch (block.type) {
    case 'list':
      return block.items.map(inlineText).join('\n');
    case 'picture':
      return block.alt;
    case 'table':
      return [...(block.caption ? [inlineText(block.caption)] : []), ...[...block.head, ...block.body].map((row) => row.map((cell) => inlineText(cell.content)).join('\t'))].join('\n');
    default:
      return inlineText(block.content);
  }
}

/**
 * Whether a cell holds only a figure: numbers, currency amounts, percentages, numeric dates,
 * signs and brackets (`$1,234.5`, `(12.3)%`, `–`, `2026-09-30`); `Q3 2026` has a letter and is text.
 * Such cells are never sent to an engine: figures must come out byte-identical in every language.
 * A cell with any letter is text, except currency codes and magnitude suffixes
 * (`EUR 12.5`, `12.5 m`, `1.2bn`) and bare tickers (`ACME`), which stay as written too.
 */
export function isFigureText(text: string): boolean {
  const t = text.trim();
  if (t === '') return true;
  if (/^[A-Z]{1,5}(?:\.[A-Z])?$/.test(t)) return true;
  const stripped = t.replace(/(?<!\p{L})(?:[A-Z]{3}|bn|mn|m|k|x|pp|bp|bps)(?!\p{L})/gu, '').replace(/[\p{N}\p{Sc}%‰+\-–—−.,:;'’()/[\]\s\u00a0\u202f*#~≈<>=]/gu, '');
  return stripped === '' && /[\p{N}\p{Sc}–—−-]/u.test(t);
}
