/**
 * polywire's own JSON input: a document shaped like the release itself, with shortcuts for hand-
 * written or CMS-exported files (paragraphs as plain strings, inline content as a string). The
 * schema is strict, so a misspelt field is reported instead of silently ignored.
 */
import * as z from 'zod/mini';
import { ParseError } from '../errors';
import { isSafeHref, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, SourceTagSchema, type Block, type Boilerplate, type Contact, type Inline, type ReleaseContent, type TableCell } from '../release';
import { PARSE_ERROR_CODES } from './codes';
import { jsonPath, type Declared, type ReleaseDraft } from './draft';
import { textInline } from './inlines';
import { jsonErrorOffset } from './json-position';
import { checkDataDepth } from './limits';
import { matchSourceTag, parseContact, type SourceBlock } from './structure';

/**
 * Inline content as uploaded: like the model's `InlineSchema`, except that a link's target may be
 * anything. An unsafe target (javascript:, data:, relative) costs the link, not the upload: the
 * link becomes its text, as in the HTML parser.
 */
const InlineUploadSchema: z.ZodMiniType<Inline> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    z.object({ type: z.literal('em'), children: z.array(InlineUploadSchema) }),
    z.object({ type: z.literal('strong'), children: z.array(InlineUploadSchema) }),
    z.object({ type: z.literal('link'), href: z.string().check(z.minLength(1)), children: z.array(InlineUploadSchema) }),
    z.object({ type: z.literal('break') }),
  ]),
);

const InlineInputSchema = z.union([z.string().check(z.minLength(1)), z.array(InlineUploadSchema).check(z.minLength(1))]);

const TableCellInputSchema = z.union([z.string(), z.strictObject({ content: z.union([z.string(), z.array(InlineUploadSchema)]), header: z.optional(z.boolean()) })]);

const BlockInputSchema = z.union([
  z.string().check(z.minLength(1)),
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.enum(['paragraph', 'quote']), content: InlineInputSchema }),
    z.object({ type: z.literal('heading'), level: z._default(z.int().check(z.gte(2)).check(z.lte(6)), 2), content: InlineInputSchema }),
    z.object({ type: z.literal('list'), ordered: z._default(z.boolean(), false), items: z.array(InlineInputSchema).check(z.minLength(1)) }),
    // Cells as text or inlines; `head` rows become `<th scope="col">`. Limits are the model's.
    z.strictObject({
      type: z.literal('table'),
      caption: z.optional(InlineInputSchema),
      align: z.optional(z.array(z.nullable(z.enum(['start', 'center', 'end']))).check(z.maxLength(MAX_TABLE_COLUMNS))),
      head: z._default(z.array(z.array(TableCellInputSchema).check(z.minLength(1)).check(z.maxLength(MAX_TABLE_COLUMNS))).check(z.maxLength(MAX_TABLE_ROWS)), []),
      body: z
        .array(z.array(TableCellInputSchema).check(z.minLength(1)).check(z.maxLength(MAX_TABLE_COLUMNS)))
        .check(z.minLength(1))
        .check(z.maxLength(MAX_TABLE_ROWS)),
    }),
  ]),
]);

const BoilerplateInputSchema = z.strictObject({
  kind: z._default(z.enum(['wire', 'issuer']), 'issuer'),
  title: z.optional(z.string().check(z.minLength(1))),
  body: z.union([z.string().check(z.minLength(1)), z.array(BlockInputSchema).check(z.minLength(1))]),
});

const ContactInputSchema = z.strictObject({
  name: z.optional(z.string()),
  organization: z.optional(z.string()),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
  url: z.optional(z.string()),
  text: z.optional(z.string().check(z.minLength(1))),
});

const ContentInputSchema = z.strictObject({
  headline: z.string().check(z.minLength(1)),
  subheadline: z.optional(z.string().check(z.minLength(1))),
  body: z.array(BlockInputSchema).check(z.minLength(1)),
  categories: z.optional(z.array(z.string().check(z.minLength(1)))),
  disclaimer: z.optional(z.string().check(z.minLength(1))),
  boilerplates: z.optional(z.array(BoilerplateInputSchema)),
});

/**
 * The polywire JSON release schema (documented in docs/formats.md#json-input-schema-polywire). Everything but
 * `headline` and `body` is optional.
 */
export const JsonReleaseInputSchema = z.extend(ContentInputSchema, {
  $schema: z.optional(z.string()),
  id: z.optional(z.string()),
  version: z.optional(z.int().check(z.gte(1))),
  language: z.optional(z.string()),
  sourceTag: z.optional(z.union([z.string().check(z.minLength(1)), SourceTagSchema])),
  contacts: z.optional(z.array(ContactInputSchema)),
  embargo: z.optional(z.string().check(z.minLength(1))),
  publishAt: z.optional(z.string().check(z.minLength(1))),
  date: z.optional(z.string().check(z.minLength(1))),
  canonical: z.optional(z.string().check(z.minLength(1))),
  targets: z.optional(z.array(z.string())),
  glossary: z.optional(z.array(z.string().check(z.minLength(1)))),
  translations: z.optional(z.record(z.string(), ContentInputSchema)),
});

/** Parses JSON text, reporting a syntax error with its line and column. */
export function parseJsonText(text: string, file: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const offset = jsonErrorOffset(text);
    const before = offset === undefined ? undefined : text.slice(0, offset);
    const line = before?.split('\n').length;
    throw new ParseError(
      PARSE_ERROR_CODES.INVALID_JSON,
      `not valid JSON: ${message.replace(/^JSON\.parse: /, '')}`,
      { file, ...(line === undefined ? {} : { line }) },
      'fix the JSON syntax (a validator or `jq .` shows the spot); or rename the file if it is not JSON',
      { cause },
    );
  }
  // JSON.parse itself is iterative; the schema check after it is not.
  checkDataDepth(value, file, 'the JSON');
  return value;
}

/** Raises `SCHEMA_MISMATCH` for the first zod issue, naming its JSON path. */
export function schemaError(error: z.core.$ZodError, file: string, hint: string, prefix: readonly PropertyKey[] = []): ParseError {
  const issue = error.issues[0]!;
  const path = [...prefix, ...issue.path];
  const keys = issue.code === 'unrecognized_keys' ? ` (${issue.keys.map((key) => JSON.stringify(key)).join(', ')})` : '';
  return new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `${issue.message}${keys}`, { file, field: jsonPath(path) }, hint);
}

/** Top-level keys people write from other formats (ninjs, front matter, CMS exports), with polywire's name. */
const MISNAMED_KEYS: Readonly<Record<string, string>> = {
  canonicalUrl: 'canonical',
  canonicalURL: 'canonical',
  canonical_url: 'canonical',
  title: 'headline',
  subtitle: 'subheadline',
  lang: 'language',
  category: 'categories',
  tags: 'categories',
  contact: 'contacts',
  boilerplate: 'boilerplates',
  embargoUntil: 'embargo',
  embargoedUntil: 'embargo',
  published: 'date',
  publishedAt: 'date',
};

/** "the key is `canonical`, not `canonicalUrl`" when the first problem is a known misnaming at the top level. */
function misnamedKeyHint(error: z.core.$ZodError): string | undefined {
  const issue = error.issues[0];
  if (issue?.code !== 'unrecognized_keys' || issue.path.length > 0) return undefined;
  // Own keys only: `__proto__` or `constructor` must not find Object.prototype's members.
  const fixes = issue.keys.flatMap((key) => (Object.hasOwn(MISNAMED_KEYS, key) ? [`the key is \`${MISNAMED_KEYS[key]}\`, not \`${key}\``] : []));
  return fixes.length > 0 ? fixes.join('; ') : undefined;
}

const HINT = 'see the JSON release schema in docs/formats.md#json-input-schema-polywire: `headline` (text) and `body` (list of paragraph texts or blocks) are required';

/**
 * Reads polywire's own JSON release format (`JsonReleaseInputSchema`) into a release draft.
 * Paragraphs may be plain strings; links with an unsafe target keep their text and lose the link.
 *
 * @throws ParseError `INVALID_JSON` with the line, or `SCHEMA_MISMATCH` naming the JSON path.
 * @example
 * const draft = parseJsonRelease('{"headline":"Acme opens plant","body":["The plant…"]}', 'acme.json');
 */
export function parseJsonRelease(text: string, file: string): ReleaseDraft {
  const value = parseJsonText(text, file);
  const parsed = JsonReleaseInputSchema.safeParse(value);
  if (!parsed.success) throw schemaError(parsed.error, file, misnamedKeyHint(parsed.error) ?? HINT);
  const input = parsed.data;
  const at = (field: string, value: unknown): Declared => ({ value, location: { field: `$.${field}` } });
  const translations = input.translations ? Object.fromEntries(Object.entries(input.translations).map(([tag, content]) => [tag, toContent(content)])) : undefined;
  const sourceTag = typeof input.sourceTag === 'string' ? (matchSourceTag(input.sourceTag)?.tag ?? { raw: input.sourceTag.trim() }) : input.sourceTag;
  return {
    headline: input.headline,
    ...(input.subheadline ? { subheadline: input.subheadline } : {}),
    blocks: input.body.map((block): SourceBlock => ({ block: toBlock(block) })),
    ...(input.categories ? { categories: input.categories } : {}),
    ...(input.disclaimer ? { disclaimer: input.disclaimer } : {}),
    ...(input.boilerplates ? { boilerplates: input.boilerplates.map(toBoilerplate) } : {}),
    ...(input.contacts ? { contacts: input.contacts.map(toContact) } : {}),
    ...(sourceTag ? { sourceTag } : {}),
    meta: {
      ...(input.id === undefined ? {} : { id: at('id', input.id) }),
      ...(input.version === undefined ? {} : { version: at('version', input.version) }),
      ...(input.language === undefined ? {} : { language: at('language', input.language) }),
      ...(input.embargo === undefined ? {} : { embargo: at('embargo', input.embargo) }),
      ...(input.publishAt === undefined ? {} : { publishAt: at('publishAt', input.publishAt) }),
      ...(input.date === undefined ? {} : { date: at('date', input.date) }),
      ...(input.canonical === undefined ? {} : { canonicalUrl: at('canonical', input.canonical) }),
      ...(input.targets === undefined ? {} : { targets: at('targets', input.targets) }),
      ...(input.glossary === undefined ? {} : { glossary: at('glossary', input.glossary) }),
      ...(translations === undefined ? {} : { translations: { value: translations, location: { field: '$.translations' } } }),
    },
  };
}

type InlineInput = z.output<typeof InlineInputSchema>;
type BlockInput = z.output<typeof BlockInputSchema>;

const toInlines = (content: InlineInput): Inline[] => (typeof content === 'string' ? textInline(content.trim()) : withSafeLinks(content));

function withSafeLinks(content: readonly Inline[]): Inline[] {
  return content.flatMap((node): Inline[] => {
    switch (node.type) {
      case 'link': {
        const children = withSafeLinks(node.children);
        return isSafeHref(node.href) ? [{ type: 'link', href: node.href.trim(), children }] : children;
      }
      case 'em':
      case 'strong':
        return [{ type: node.type, children: withSafeLinks(node.children) }];
      default:
        return [node];
    }
  });
}

function toBlock(block: BlockInput): Block {
  if (typeof block === 'string') return { type: 'paragraph', content: toInlines(block) };
  switch (block.type) {
    case 'list':
      return { type: 'list', ordered: block.ordered, items: block.items.map(toInlines) };
    case 'heading':
      return { type: 'heading', level: block.level, content: toInlines(block.content) };
    case 'table': {
      const cell = (input: z.output<typeof TableCellInputSchema>, inBody: boolean): TableCell => {
        const content = typeof input === 'string' ? textInline(input) : typeof input.content === 'string' ? textInline(input.content) : toInlines(input.content);
        return { content, ...(inBody && typeof input !== 'string' && input.header ? { header: true as const } : {}) };
      };
      return {
        type: 'table',
        ...(block.caption === undefined ? {} : { caption: toInlines(block.caption) }),
        ...(block.align === undefined ? {} : { align: block.align }),
        head: block.head.map((row) => row.map((c) => cell(c, false))),
        body: block.body.map((row) => row.map((c) => cell(c, true))),
      };
    }
    default:
      return { type: block.type, content: toInlines(block.content) };
  }
}

function toBoilerplate(input: z.output<typeof BoilerplateInputSchema>): Boilerplate {
  const body = typeof input.body === 'string' ? [toBlock(input.body)] : input.body.map(toBlock);
  return { kind: input.kind, ...(input.title ? { title: input.title } : {}), body };
}

function toContact(input: z.output<typeof ContactInputSchema>): Contact {
  const fields = [input.name, input.organization, input.phone, input.email, input.url].filter((v): v is string => Boolean(v));
  const text = input.text ?? fields.join('\n');
  const parsed = input.text ? parseContact(input.text.split('\n')) : { text };
  const pick = <K extends keyof Contact>(key: K): Partial<Contact> => {
    const value = input[key as keyof typeof input] ?? parsed[key];
    return value ? { [key]: value } : {};
  };
  return { text: text || '(no details)', ...pick('name'), ...pick('organization'), ...pick('email'), ...pick('phone'), ...pick('url') };
}

function toContent(input: z.output<typeof ContentInputSchema>): ReleaseContent {
  return {
    headline: input.headline,
    ...(input.subheadline ? { subheadline: input.subheadline } : {}),
    body: input.body.map(toBlock),
    categories: input.categories ?? [],
    ...(input.disclaimer ? { disclaimer: input.disclaimer } : {}),
    boilerplates: (input.boilerplates ?? []).map(toBoilerplate),
  };
}
