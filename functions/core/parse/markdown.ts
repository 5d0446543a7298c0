/**
 * Markdown releases with optional YAML front matter. The body goes through marked (GFM) to HTML and
 * then through the HTML block extractor, so links and emphasis survive exactly as in HTML uploads.
 */
import { Marked } from 'marked';
import { YAMLParseError, parse as parseYaml } from 'yaml';
import { ParseError, type ErrorLocation } from '../errors';
import { inlineText } from '../release';
import { PARSE_ERROR_CODES } from './codes';
import { describeValue, stringList, type Declared, type ReleaseDraft } from './draft';
import { extractHtmlBlocks } from './html';
import { checkDataDepth, LIMITS, limitError } from './limits';

/** Keys read from front matter are listed in docs/formats.md#front-matter-markdown; others (layout, author …) are ignored. */
const FRONT_MATTER = /^---[ \t]*\n([\s\S]*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)/;

/**
 * Reads a Markdown release into a release draft: optional YAML front matter (fields listed in
 * docs/formats.md#front-matter-markdown), the headline from `headline`/`title` there or else the first heading,
 * the rest rendered with marked and read like an HTML release (links, emphasis, lists and quotes
 * survive).
 *
 * @throws ParseError `INVALID_FRONT_MATTER` or `SCHEMA_MISMATCH` with the line of the field.
 * @example
 * const draft = parseMarkdownRelease('---\nlanguage: en\n---\n# Acme opens plant\n\nText…', 'launch.md');
 */
export function parseMarkdownRelease(text: string, file: string): ReleaseDraft {
  const match = FRONT_MATTER.exec(text);
  if (!match && /^---[ \t]*\n/.test(text)) {
    throw new ParseError(PARSE_ERROR_CODES.INVALID_FRONT_MATTER, 'the front matter opened with `---` on line 1 is never closed', { file, line: 1 }, 'end the front matter with a line containing only `---`');
  }
  const yamlText = match?.[1] ?? '';
  const bodyText = match ? text.slice(match[0].length) : text;
  const bodyFirstLine = match ? match[0].split('\n').length - (match[0].endsWith('\n') ? 1 : 0) + 1 : 1;
  const front = match ? readFrontMatter(yamlText, file) : {};
  checkQuoteDepth(bodyText, file);

  const at = (key: string): ErrorLocation => {
    const index = yamlText.split('\n').findIndex((line) => line.startsWith(`${key}:`));
    return { field: `front matter: ${key}`, ...(index === -1 ? {} : { line: index + 2 }) };
  };
  const declared = (key: string): Declared | undefined => (front[key] === undefined || front[key] === null ? undefined : { value: front[key], location: at(key) });
  const optionalText = (key: string): string | undefined => {
    const value = front[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string' || typeof value === 'number') return String(value).trim() || undefined;
    throw new ParseError(PARSE_ERROR_CODES.SCHEMA_MISMATCH, `expected a text, found ${describeValue(value)}`, { file, ...at(key) }, `write ${key}: followed by the text on the same line`);
  };

  const html = new Marked({ gfm: true, breaks: false }).parse(bodyText, { async: false });
  const declaredHeadline = optionalText('headline') ?? optionalText('title');
  const extracted = extractHtmlBlocks(html, { takeHeadline: declaredHeadline === undefined, file });
  let headline = declaredHeadline ?? extracted.headline;
  const blocks = extracted.blocks;
  // No `# Headline` and no title: a first short line stands in, as in a plain-text release.
  if (!headline && blocks[0]?.block.type === 'paragraph') {
    const first = inlineText(blocks[0].block.content).trim();
    if (first.length > 0 && first.length <= 300 && !first.includes('\n')) {
      headline = first;
      blocks.shift();
    }
  }
  const subheadline = optionalText('subheadline') ?? extracted.subheadline;
  const disclaimer = optionalText('disclaimer');
  const categories = declared('categories');

  return {
    ...(headline ? { headline } : {}),
    headlineLine: bodyFirstLine,
    ...(subheadline ? { subheadline } : {}),
    ...(disclaimer ? { disclaimer } : {}),
    blocks,
    ...(extracted.media.length > 0 ? { media: extracted.media } : {}),
    ...(categories ? { categories: stringList(categories, file, 'write categories as a list, e.g. [Technologie, Énergie]') } : {}),
    meta: {
      ...withDeclared('id', declared('id')),
      ...withDeclared('version', declared('version')),
      ...withDeclared('language', declared('language') ?? declared('lang')),
      ...withDeclared('embargo', declared('embargo')),
      ...withDeclared('publishAt', declared('publishAt')),
      ...withDeclared('date', declared('date')),
      ...withDeclared('canonicalUrl', declared('canonical') ?? declared('canonicalUrl')),
      ...withDeclared('targets', declared('targets')),
      ...withDeclared('glossary', declared('glossary')),
    },
  };
}

const withDeclared = <K extends string>(key: K, value: Declared | undefined): Partial<Record<K, Declared>> => (value === undefined ? {} : ({ [key]: value } as Record<K, Declared>));

/**
 * marked reads nested block quotes (`> > > …`) recursively: refuse a line nested deeper than the
 * markup limit before it does. Counted per line, linear in the text.
 */
function checkQuoteDepth(text: string, file: string): void {
  const deep = new RegExp(`^[ \\t]{0,3}(?:>[ \\t]?){${LIMITS.maxNestingDepth + 1}}`, 'm');
  if (deep.test(text)) {
    throw limitError('maxNestingDepth', 'block quotes nested inside each other', `more than ${LIMITS.maxNestingDepth}`, file, 'a release quotes one level deep: remove the extra `>` markers');
  }
}

function readFrontMatter(yamlText: string, file: string): Record<string, unknown> {
  if (yamlText.length > LIMITS.maxFrontMatterChars) {
    throw limitError('maxFrontMatterChars', 'characters of YAML front matter', yamlText.length, file, "keep only the release's fields in the front matter; the text goes below it");
  }
  let value: unknown;
  try {
    // maxAliasCount: an alias bomb (`a: &a [*b, *b, …]`) expands exponentially when resolved.
    value = parseYaml(yamlText, { prettyErrors: true, uniqueKeys: true, maxAliasCount: LIMITS.maxYamlAliases });
  } catch (cause) {
    if (cause instanceof ReferenceError && /alias count/i.test(cause.message)) {
      throw limitError('maxYamlAliases', 'YAML aliases (*name) in the front matter', `more than ${LIMITS.maxYamlAliases}`, file, 'write the values out instead of using YAML anchors and aliases');
    }
    // The yaml composer recurses per nesting level; it may report the overflow as a parse error.
    if (cause instanceof Error && /call stack/i.test(cause.message)) {
      throw limitError('maxNestingDepth', 'nesting depth of the front matter', `more than ${LIMITS.maxNestingDepth}`, file, 'flatten the front matter: one `field: value` per line');
    }
    if (cause instanceof YAMLParseError) {
      // +1: the opening `---` is line 1 of the file.
      const line = (cause.linePos?.[0]?.line ?? 0) + 1;
      const reason = cause.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      throw new ParseError(
        PARSE_ERROR_CODES.INVALID_FRONT_MATTER,
        `the YAML front matter is invalid: ${reason}`,
        { file, line },
        'fix the YAML on that line (quote values that contain `: ` or start with a special character)',
        { cause },
      );
    }
    throw cause;
  }
  checkDataDepth(value, file, 'the front matter');
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ParseError(
      PARSE_ERROR_CODES.INVALID_FRONT_MATTER,
      `the front matter must be a mapping of fields, found ${describeValue(value)}`,
      { file, line: 2 },
      'write one `field: value` per line, e.g. `language: fr`',
    );
  }
  return value as Record<string, unknown>;
}
