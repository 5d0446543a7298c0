/**
 * What every format parser hands over: a headline, blocks in reading order, and whatever metadata
 * the format declared (with where it was declared, for error messages). `buildRelease` turns a
 * draft into a validated `Release` the same way for every format.
 */
import { createHash } from 'node:crypto';
import type * as z from 'zod/mini';
import { ParseError, type ErrorLocation } from '../errors';
import {
  LanguageTagSchema,
  RELEASE_SCHEMA_VERSION,
  ReleaseContentSchema,
  ReleaseIdSchema,
  ReleaseSchema,
  blockText,
  type Boilerplate,
  type Contact,
  type Inline,
  type Release,
  type ReleaseContent,
  type SourceFormat,
  type SourceTag,
} from '../release';
import { normalizeLanguageTag } from '../languages';
import { stripControlCharactersDeep, truncate } from '../text';
import { PARSE_ERROR_CODES } from './codes';
import { declaredLanguage, detectLanguage, type LanguageResolution } from './language';
import { parseInstant } from './instant';
import { LIMITS, limitError } from './limits';
import { deriveReleaseId } from './names';
import { recognizeStructure, type EmbargoLine, type Explanation, type SourceBlock } from './structure';

/** A declared value and where it was declared. */
export interface Declared<T = unknown> {
  value: T;
  location: ErrorLocation;
}

export interface ReleaseDraft {
  headline?: string;
  /** Line of the headline, for messages. */
  headlineLine?: number;
  subheadline?: string;
  blocks: SourceBlock[];
  /** Picture bytes carried in the upload (Word images, data URIs), indexed by picture `ref: embedded:<n>`. */
  media?: Uint8Array[];
  /** Explicit parts (JSON fields, front matter); recognized ones are added to them. */
  categories?: string[];
  disclaimer?: string;
  boilerplates?: Boilerplate[];
  contacts?: Contact[];
  sourceTag?: SourceTag;
  /** An embargo line found by the format parser itself (plain text: above the headline). */
  embargoLine?: EmbargoLine;
  /** What the format parser consumed before the blocks (lines above a plain-text headline), for `--explain`. */
  preamble?: Explanation[];
  /** Metadata the upload declared, each with where it was declared. */
  meta: {
    id?: Declared;
    version?: Declared;
    language?: Declared;
    embargo?: Declared;
    /** Scheduled publication time (front matter / JSON `publishAt`). */
    publishAt?: Declared;
    date?: Declared;
    canonicalUrl?: Declared;
    targets?: Declared;
    glossary?: Declared;
    translations?: Declared<Record<string, ReleaseContent>>;
  };
}

export interface SourceInfo {
  name: string;
  format: SourceFormat;
  encoding: string;
  bytes: Uint8Array;
}

/** Turns a draft into a validated release. */
export async function buildRelease(uncleanDraft: ReleaseDraft, source: SourceInfo, onExplain?: (explanations: readonly Explanation[]) => void): Promise<Release> {
  const file = source.name;
  checkDraftSize(uncleanDraft, file);
  // Decoding already removed raw control characters; this catches the ones that arrive escaped
  // (JSON `\u202e`, HTML `&#8238;`) or from Word documents.
  const draft = stripControlCharactersDeep(uncleanDraft);
  const headline = draft.headline?.replace(/\s+/g, ' ').trim();
  if (!headline) {
    throw new ParseError(
      PARSE_ERROR_CODES.NO_HEADLINE,
      'no headline found (the release has no text content)',
      { file },
      'start the release with its headline (plain text: the first line; Markdown: `# Headline`; HTML: `<h1>`)',
    );
  }
  const structure = recognizeStructure(draft.blocks, { hasSubheadline: draft.subheadline !== undefined });
  onExplain?.([...(draft.preamble ?? []), ...structure.explanations]);
  if (structure.body.length === 0) {
    throw new ParseError(
      PARSE_ERROR_CODES.NO_BODY,
      `the release has a headline ("${truncate(headline, 60)}") but no body paragraphs`,
      { file, ...(draft.headlineLine === undefined ? {} : { line: draft.headlineLine }) },
      'add the release text below the headline, separated by a blank line',
    );
  }

  const language = await resolveLanguage(draft, headline, structure.body.map(blockText), file);

  const embargoLine = draft.embargoLine ?? structure.embargo;
  let embargo: Release['embargo'];
  if (draft.meta.embargo !== undefined) {
    const raw = typeof draft.meta.embargo.value === 'string' ? draft.meta.embargo.value : String(draft.meta.embargo.value);
    embargo = { until: await parseInstant(draft.meta.embargo.value, { what: 'embargo', location: { file, ...draft.meta.embargo.location }, language: language.language }), raw };
  } else if (embargoLine) {
    const location: ErrorLocation = { file, ...(embargoLine.line === undefined ? {} : { line: embargoLine.line }) };
    embargo = { until: await parseInstant(embargoLine.expression, { what: 'embargo', location, language: language.language }), raw: embargoLine.raw };
  }

  const meta = draft.meta;
  const publishAt = meta.publishAt === undefined ? undefined : await parseInstant(meta.publishAt.value, { what: 'publishAt', location: { file, ...meta.publishAt.location }, language: language.language });
  const date = meta.date === undefined ? undefined : await parseInstant(meta.date.value, { what: 'date', location: { file, ...meta.date.location }, language: language.language, allowDateOnly: true });
  const id = meta.id === undefined ? deriveReleaseId(file) : checked(ReleaseIdSchema, meta.id, file, 'use a-z, 0-9 and inner hyphens, at most 128 characters (e.g. `acme-q3-results`)');
  const version = meta.version === undefined ? 1 : checkVersion(meta.version, file);
  const categories = unique([...(draft.categories ?? []), ...structure.categories]);
  const subheadline = draft.subheadline ?? structure.subheadline;
  const disclaimer = draft.disclaimer ?? structure.disclaimer;
  const sourceTag = draft.sourceTag ?? structure.sourceTag;

  const candidate: Release = {
    schemaVersion: RELEASE_SCHEMA_VERSION,
    id,
    version,
    headline,
    ...(subheadline ? { subheadline } : {}),
    body: structure.body,
    categories,
    ...(disclaimer ? { disclaimer } : {}),
    boilerplates: [...(draft.boilerplates ?? []), ...structure.boilerplates],
    ...language,
    ...(sourceTag ? { sourceTag } : {}),
    contacts: [...(draft.contacts ?? []), ...structure.contacts],
    ...(embargo ? { embargo } : {}),
    ...(publishAt ? { publishAt } : {}),
    ...(date ? { date } : {}),
    ...(meta.canonicalUrl === undefined ? {} : { canonicalUrl: checkCanonical(meta.canonicalUrl, file) }),
    ...(meta.targets === undefined ? {} : { targets: checkTargets(meta.targets, file) }),
    ...(meta.glossary === undefined ? {} : { glossary: checkGlossary(meta.glossary, file) }),
    ...(meta.translations === undefined ? {} : { translations: checkTranslations(meta.translations, file) }),
    source: {
      name: source.name,
      format: source.format,
      encoding: source.encoding,
      bytes: source.bytes.length,
      sha256: createHash('sha256').update(source.bytes).digest('hex'),
    },
  };
  const parsed = ReleaseSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `the parsed release is invalid: ${issue.message}`, { file, field: jsonPath(issue.path) }, 'check that field in the upload');
  }
  return parsed.data;
}

/**
 * Refuses a draft with more blocks or inline nodes than `LIMITS` allow, before structure
 * recognition, translation and rendering multiply them: counted without recursion.
 */
function checkDraftSize(draft: ReleaseDraft, file: string): void {
  const split = 'split it into separate releases, or link to the full document';
  const blocks = draft.blocks.reduce((sum, { block }) => sum + (block.type === 'list' ? block.items.length : block.type === 'table' ? block.head.length + block.body.length : 1), 0);
  if (blocks > LIMITS.maxBlocks) throw limitError('maxBlocks', 'blocks (paragraphs, headings, list items, table rows) in the release', blocks, file, split);
  let nodes = 0;
  const pending: Inline[][] = [];
  for (const { block } of draft.blocks) {
    if (block.type === 'list') pending.push(...block.items);
    else if (block.type === 'table') {
      // Cells are bounded by maxTableCells already; their inlines count here like any text.
      for (const row of [...block.head, ...block.body]) for (const cell of row) pending.push(cell.content);
      if (block.caption) pending.push(block.caption);
    } else if (block.type === 'picture') {
      if (block.caption) pending.push(block.caption);
    } else pending.push(block.content);
  }
  while (pending.length > 0) {
    for (const node of pending.pop()!) {
      if (++nodes > LIMITS.maxInlineNodes) throw limitError('maxInlineNodes', 'inline parts (text runs, emphasis, links, line breaks)', `more than ${LIMITS.maxInlineNodes.toLocaleString('en')}`, file, split);
      if ('children' in node) pending.push(node.children);
    }
  }
}

async function resolveLanguage(draft: ReleaseDraft, headline: string, body: string[], file: string): Promise<LanguageResolution> {
  const declared = draft.meta.language === undefined ? undefined : declaredLanguage(draft.meta.language.value, { file, ...draft.meta.language.location });
  if (declared) return declared;
  return detectLanguage([headline, draft.subheadline ?? '', ...body].join('\n'), file);
}

function checked<T>(schema: z.ZodMiniType<T>, declared: Declared, file: string, hint: string): T {
  const result = schema.safeParse(declared.value);
  if (result.success) return result.data;
  throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `${JSON.stringify(declared.value)} is invalid: ${result.error.issues[0]?.message ?? 'wrong type'}`, { file, ...declared.location }, hint);
}

function checkVersion(declared: Declared, file: string): number {
  const value = typeof declared.value === 'string' && /^\d+$/.test(declared.value) ? Number(declared.value) : declared.value;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value;
  throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `version ${JSON.stringify(declared.value)} is not a positive whole number`, { file, ...declared.location }, 'write the release revision as 1, 2, 3 …');
}

function checkCanonical(declared: Declared, file: string): string {
  const value = declared.value;
  if (typeof value === 'string') {
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
    } catch {
      // reported below
    }
  }
  throw new ParseError(
    PARSE_ERROR_CODES.SCHEMA_MISMATCH,
    `canonical URL ${JSON.stringify(value)} is not an absolute http(s) URL`,
    { file, ...declared.location },
    'write the original page address, e.g. https://example.com/news/launch',
  );
}

function checkTargets(declared: Declared, file: string): string[] {
  const list = stringList(declared, file, 'list the target languages, e.g. [fr, es, ja]');
  return unique(
    list.map((tag, index) => {
      if (!LanguageTagSchema.safeParse(tag).success) {
        throw new ParseError(
          PARSE_ERROR_CODES.INVALID_LANGUAGE_TAG,
          `target language ${JSON.stringify(tag)} is not a BCP 47 tag`,
          { file, ...withIndex(declared.location, index) },
          'write tags such as fr, es, ja, zh-Hans',
        );
      }
      return normalizeLanguageTag(tag);
    }),
  );
}

function checkGlossary(declared: Declared, file: string): string[] {
  return unique(stringList(declared, file, 'list the terms that must not be translated, e.g. [Acme Cloud, NovaDrive]'));
}

/** A list of non-empty strings; a single string (`categories: Tech`) counts as a list of one. */
export function stringList(declared: Declared, file: string, hint: string): string[] {
  const value = typeof declared.value === 'string' ? [declared.value] : declared.value;
  if (!Array.isArray(value)) {
    throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `expected a list of texts, found ${describeValue(value)}`, { file, ...declared.location }, hint);
  }
  return value.map((item, index) => {
    if (typeof item !== 'string' && typeof item !== 'number') {
      throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `expected a text, found ${describeValue(item)}`, { file, ...withIndex(declared.location, index) }, hint);
    }
    const text = String(item).trim();
    if (!text) throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, 'empty entry in the list', { file, ...withIndex(declared.location, index) }, 'remove the empty entry');
    return text;
  });
}

function checkTranslations(declared: Declared<Record<string, ReleaseContent>>, file: string): Record<string, ReleaseContent> {
  const out: Record<string, ReleaseContent> = {};
  for (const [tag, content] of Object.entries(declared.value)) {
    const location = { ...declared.location, field: `${declared.location.field ?? 'translations'}.${tag}` };
    if (!LanguageTagSchema.safeParse(tag).success) {
      throw new ParseError(PARSE_ERROR_CODES.INVALID_LANGUAGE_TAG, `translation language ${JSON.stringify(tag)} is not a BCP 47 tag`, { file, ...location }, 'key translations by tags such as fr, es, zh-Hant');
    }
    const parsed = ReleaseContentSchema.safeParse(content);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `translation ${tag}: ${issue.message}`, { file, field: `${location.field}${jsonPath(issue.path).slice(1)}` }, 'give each translation a headline and a body');
    }
    out[normalizeLanguageTag(tag)] = parsed.data;
  }
  return out;
}

function withIndex(location: ErrorLocation, index: number): ErrorLocation {
  return { ...location, ...(location.field === undefined ? {} : { field: `${location.field}[${index}]` }) };
}

/** `['body', 2, 'type']` → `$.body[2].type`. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(String(key)) ? `${acc}.${String(key)}` : `${acc}[${JSON.stringify(String(key))}]`), '$');
}

/** How a wrong front-matter value reads in an error message: `a list`, `number 3`, `null`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];
