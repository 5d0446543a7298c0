/**
 * Plain-text wire releases (`.txt`), as wires and newsroom tools export them: headline on the first
 * line, paragraphs separated by blank lines, lines inside a paragraph wrapped by the editor.
 */
import type { Block } from '../release';
import type { ReleaseDraft } from './draft';
import { textInline } from './inlines';
import { MAX_SUBHEADLINE_CHARS, excerpt, isReleaseInstruction, matchEmbargoLine, type EmbargoLine, type Explanation, type SourceBlock } from './structure';

interface Paragraph {
  line: number;
  lines: string[];
}

/** Lines of bullet lists: `- item`, `* item`, `• item`, `1. item`. */
const BULLET = /^(?:[-*•–]\s+|\d{1,2}[.)]\s+)/u;

/** Splits decoded text into a draft; the structure (tag, quotes, boilerplate …) is recognized later. */
export function parseTextRelease(text: string): ReleaseDraft {
  const paragraphs = splitParagraphs(text);
  let embargoLine: EmbargoLine | undefined;
  const preamble: Explanation[] = [];

  // Above the headline: `EMBARGOED UNTIL …`, `FOR IMMEDIATE RELEASE`.
  while (paragraphs[0]) {
    const first = paragraphs[0];
    const line = first.lines[0]!;
    const embargo = embargoLine ? undefined : matchEmbargoLine(line, first.line);
    if (!embargo && !isReleaseInstruction(line)) break;
    if (embargo) embargoLine = embargo;
    preamble.push(
      embargo
        ? { part: 'embargo', rule: 'embargo line above the headline (EMBARGO_LINE)', text: excerpt(line), line: first.line }
        : { part: 'instruction', rule: 'release instruction above the headline (RELEASE_INSTRUCTION)', text: excerpt(line), line: first.line },
    );
    first.lines.shift();
    first.line++;
    if (first.lines.length === 0) paragraphs.shift();
  }

  const draft: ReleaseDraft = { blocks: [], meta: {}, ...(embargoLine ? { embargoLine } : {}), ...(preamble.length > 0 ? { preamble } : {}) };
  const first = paragraphs.shift();
  if (!first) return draft;
  draft.headline = first.lines[0]!;
  draft.headlineLine = first.line;
  const rest = first.lines.slice(1);
  // A single short line directly under the headline is its deck.
  if (rest.length === 1 && rest[0]!.length <= MAX_SUBHEADLINE_CHARS) draft.subheadline = rest[0]!.replace(/^([_*]{1,2})(.+)\1$/u, '$2').trim();
  else if (rest.length > 1) paragraphs.unshift({ line: first.line + 1, lines: rest });

  draft.blocks = paragraphs.flatMap(toSourceBlocks);
  return draft;
}

/** Paragraph blocks of a text without headline handling (a ninjs text/plain body). */
export const textBlocks = (text: string): SourceBlock[] => splitParagraphs(text).flatMap(toSourceBlocks);

function splitParagraphs(text: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  text.split('\n').forEach((raw, index) => {
    // trim(), not /\s+$/: a regex tried at every start of a long whitespace run is quadratic.
    const line = raw.replace(/[ \t]+/g, ' ').trim();
    if (line === '') {
      current = undefined;
      return;
    }
    if (!current) {
      current = { line: index + 1, lines: [] };
      paragraphs.push(current);
    }
    current.lines.push(line);
  });
  return paragraphs;
}

function toSourceBlocks({ line, lines }: Paragraph): SourceBlock[] {
  // An intro line followed by bullets (`Key facts:` / `- …` / `- …`) is a paragraph and a list.
  const firstBullet = lines.findIndex((l) => BULLET.test(l));
  const bullets = firstBullet === -1 ? [] : lines.slice(firstBullet);
  if (bullets.length >= 2 && bullets.every((l) => BULLET.test(l))) {
    const intro = lines.slice(0, firstBullet);
    const list: SourceBlock = {
      block: { type: 'list', ordered: /^\d/.test(bullets[0]!), items: bullets.map((l) => textInline(l.replace(BULLET, ''))) },
      line: line + firstBullet,
      lines: bullets,
    };
    return intro.length > 0 ? [{ block: { type: 'paragraph', content: textInline(intro.join(' ')) }, line, lines: intro }, list] : [list];
  }
  const block: Block = { type: 'paragraph', content: textInline(lines.join(' ')) };
  return [{ block, line, lines }];
}
