/**
 * Recognizes the parts of a wire release around its body — embargo line, source tag / dateline,
 * quotes, the wire's disclaimer, the category line, issuer and wire boilerplate, media contacts —
 * in the blocks any parser produced. Every format goes through here, so a release reads the same
 * whether it arrived as text, Markdown, HTML, JSON, ninjs or Word.
 */
import type { Block, Boilerplate, Contact, Inline, SourceTag } from '../release';
import { blockText, inlineText } from '../release';
import { escapeRegExp } from '../text';
import { datelineDay } from './dateline-date';
import { dropLeadingChars } from './inlines';
import {
  ABOUT_HEADING,
  ABOUT_SUFFIX_HEADING,
  CATEGORY_LINE,
  CONTACT_HEADING,
  DISCLAIMER_START,
  EMBARGO_LINE,
  END_MARK,
  FORWARD_LOOKING_HEADING,
  FORWARD_LOOKING_START,
  KNOWN_WIRES,
  LIST_SEPARATOR,
  RELEASE_INSTRUCTION,
  WIRE_BOILERPLATE_VERBS,
  normalizeWireName,
} from './phrases';

/** A block as a parser found it, with where it was. */
export interface SourceBlock {
  block: Block;
  /** 1-based line in the decoded text, for formats that have lines. */
  line?: number;
  /** The block's lines as written (plain text joins them with spaces in `block`). */
  lines?: string[];
}

export interface EmbargoLine {
  /** The whole line as found, e.g. `EMBARGOED UNTIL 9:00 a.m. EST, November 20, 2026`. */
  raw: string;
  /** The time expression after the label. */
  expression: string;
  line?: number;
}

/** What the classifier decided about one block, and by which rule: `polywire parse --explain`. */
export interface Explanation {
  /** The part the block became (`body` when no rule took it). */
  part: 'instruction' | 'embargo' | 'dateline' | 'subheadline' | 'body' | 'quote' | 'disclaimer' | 'categories' | 'wire-boilerplate' | 'about' | 'forward-looking' | 'contacts' | 'end-mark' | 'wire-trailer';
  /** The rule or phrase that decided it, or why none did. */
  rule: string;
  /** The block's first characters. */
  text: string;
  line?: number;
}

export interface Structure {
  /** One entry per block, in order: what it became and why. */
  explanations: Explanation[];
  subheadline?: string;
  sourceTag?: SourceTag;
  body: Block[];
  categories: string[];
  disclaimer?: string;
  boilerplates: Boilerplate[];
  contacts: Contact[];
  embargo?: EmbargoLine;
}

export interface StructureOptions {
  /** The format already supplied a subheadline; do not look for one. */
  hasSubheadline?: boolean;
}

export const excerpt = (text: string): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= 60 ? line : `${line.slice(0, 59)}…`;
};

/** Longest accepted subheadline: a deck line, not a paragraph. */
export const MAX_SUBHEADLINE_CHARS = 300;

/** `EMBARGOED UNTIL …` / `SPERRFRIST: …` as a whole line, or undefined. */
export function matchEmbargoLine(text: string, line?: number): EmbargoLine | undefined {
  const trimmed = text.trim();
  if (trimmed.includes('\n') || trimmed.length > 200) return undefined;
  const match = EMBARGO_LINE.exec(trimmed);
  return match ? { raw: trimmed, expression: match[1]!.replace(/[\s.]+$/, ''), ...(line === undefined ? {} : { line }) } : undefined;
}

/** Whether a line only instructs editors (`FOR IMMEDIATE RELEASE`) and carries no content. */
export const isReleaseInstruction = (text: string): boolean => RELEASE_INSTRUCTION.test(text.trim());

const DASH = '(?:--|—|–|-)';
/** Month names that start a date, so that `NEW YORK, Nov. 20` does not read `Nov.` as a region. */
const MONTH = String.raw`(?:Jan|Feb|Mär|Mar|Apr|May|Mai|Jun|Jul|Aug|Sep|Oct|Okt|Nov|Dec|Dez)\p{Ll}*\.?\s*\d`;
/** An all-caps place (`BERLIN`, `SAN FRANCISCO`), optionally followed by a title-case region (`, Italy`). */
const PLACE = String.raw`(?<place>\p{Lu}[\p{Lu}\p{M}.'’ -]*\p{Lu}(?:,\s*(?!${MONTH})\p{Lu}\p{Ll}+\.?(?: \p{Lu}\p{Ll}+\.?)*)?)`;
/** A dateline date contains a digit: `26. November 2026`, `Nov. 20, 2026`. */
const DATE = String.raw`(?<date>[^()/\n–—]*?\d[^()/\n–—]*?)`;
const WIRE = String.raw`(?:\((?<wireP>[^()\n]{2,40})\)|/(?<wireS>\p{L}[^/\n]{1,40})/)`;
const SOURCE_TAG = new RegExp(String.raw`^(?:${PLACE}(?:,\s*${DATE})?\s*${DASH}?\s*)?${WIRE}\s*(?:${DASH}|:)`, 'u');
/** A dateline without a wire: `BERLIN, 26. November 2026 –`, `Paris, le 20 novembre 2026 –`. */
const DATELINE = new RegExp(String.raw`^(?<place>\p{Lu}[\p{L}\p{M}.'’ -]{1,40}?),\s*${DATE}\s+(?:--|—|–)`, 'u');

/**
 * Any script's dateline before a known wire's name: `東京、2026年11月20日（SeaPRwire）–`,
 * `دبي، 20 نوفمبر 2026 (SeaPRwire) --`, `北京2026年11月20日 /美通社/ --`. Scripts without capitals
 * cannot use `PLACE`'s all-caps shape, so the wire's name is the anchor: it must be one the wire
 * table knows, and what precedes it must be short and not a sentence.
 */
const ANY_SCRIPT_TAG = /^(?<pre>[^\n()（）/。！？!?]{0,80}?)\s*(?:[(（](?<wireP>[^()（）\n]{2,40})[)）]|\/(?<wireS>[^/\n\s][^/\n]{0,40})\/)\s*(?:--|——|—|–|－|-|:|：)?/u;
/** Separators between a dateline's place and date: comma in Latin, Arabic and CJK, ideographic comma. */
const DATELINE_SEPARATOR = /\s*[,،、，]\s*/u;

function matchAnyScriptTag(text: string): { tag: SourceTag; length: number } | undefined {
  const match = ANY_SCRIPT_TAG.exec(text);
  const wire = match?.groups?.wireP ?? match?.groups?.wireS;
  if (!match || !wire) return undefined;
  const normalized = normalizeWireName(wire);
  if (!Object.values(KNOWN_WIRES).includes(normalized)) return undefined;
  const pre = (match.groups!.pre ?? '').trim().replace(/\s*(?:--|—|–|-)$/u, '');
  let place: string | undefined;
  let date: string | undefined;
  if (pre !== '') {
    const separator = DATELINE_SEPARATOR.exec(pre);
    if (separator) {
      place = pre.slice(0, separator.index);
      date = pre.slice(separator.index + separator[0].length);
    } else {
      // `北京2026年11月20日`: the date starts at the first digit.
      const digit = pre.search(/\d/u);
      if (digit > 0) [place, date] = [pre.slice(0, digit), pre.slice(digit)];
      else if (digit === 0) date = pre;
      else place = pre;
    }
    if (date !== undefined && !/\d/u.test(date)) [place, date] = [pre, undefined];
  }
  const tag: SourceTag = {
    raw: match[0].trim(),
    wire: normalized,
    ...(place?.trim() ? { place: place.trim() } : {}),
    ...(date?.trim() ? { date: date.trim() } : {}),
  };
  return { tag, length: match[0].length };
}

/** Reads a source tag or dateline at the start of a paragraph's text. */
export function matchSourceTag(text: string): { tag: SourceTag; length: number } | undefined {
  const found = matchWrittenSourceTag(text);
  const day = found?.tag.date === undefined ? undefined : datelineDay(found.tag.date);
  return found && day ? { ...found, tag: { ...found.tag, day } } : found;
}

function matchWrittenSourceTag(text: string): { tag: SourceTag; length: number } | undefined {
  const match = SOURCE_TAG.exec(text) ?? DATELINE.exec(text);
  if (!match?.groups) return matchAnyScriptTag(text);
  const raw = match[0].trim();
  const { place, date, wireP, wireS } = match.groups;
  const wire = wireP ?? wireS;
  const tag: SourceTag = {
    raw,
    ...(wire ? { wire: normalizeWireName(wire) } : {}),
    ...(place ? { place: place.trim() } : {}),
    ...(date?.trim() ? { date: date.trim() } : {}),
  };
  return { tag, length: match[0].length };
}

/** Wires whose own boilerplate paragraph is recognized; news agencies (AP, dpa …) have none. */
const PR_WIRES = ['SeaPRwire', 'PRNewswire', 'PR Newswire', 'Business Wire', 'GlobeNewswire', 'ACCESSWIRE', 'EIN Presswire', 'news aktuell'];

function wireBoilerplatePattern(extraWire?: string): RegExp {
  const names = [...PR_WIRES, ...(extraWire ? [extraWire] : [])].map(escapeRegExp).join('|');
  return new RegExp(`^(?:${names})\\s+(?:${WIRE_BOILERPLATE_VERBS.map(escapeRegExp).join('|')})\\s`, 'iu');
}

/**
 * The wire's name near the start of a paragraph (`SeaPRwireは…`, `تقدم SeaPRwire …`,
 * `SeaPRwire ให้บริการ…`): with the paragraph's position among the trailing blocks, enough to
 * recognize the wire's own boilerplate in languages whose verbs are not in the phrase table.
 */
function wireNameNearStart(extraWire?: string): RegExp {
  const names = [...PR_WIRES, ...(extraWire ? [extraWire] : [])].map(escapeRegExp).join('|');
  return new RegExp(`^[^\\n]{0,40}?(?<![\\p{Script=Latin}\\p{N}])(?:${names})(?![\\p{Script=Latin}\\p{N}])`, 'iu');
}

/**
 * A wire's disclaimer by its shape: a short paragraph naming the wire with its web address in
 * parentheses (`… SeaPRwire (https://www.seaprwire.com/) …`), which only the wire's own notice does.
 */
const WIRE_WITH_ADDRESS = new RegExp(`(?:${PR_WIRES.map(escapeRegExp).join('|')})\\s*[(（]\\s*(?:https?://)?(?:www\\.)?[\\w.-]+\\.[a-z]{2,}/?\\s*[)）]`, 'iu');

const isKnownWire = (name: string): boolean => PR_WIRES.some((wire) => wire.toLowerCase() === name.toLowerCase()) || name.toLowerCase().replace(/\s+/g, '') in KNOWN_WIRES;

/** PR Newswire's closing `SOURCE Acme Corp` line: wire metadata naming the issuer, not content. */
const WIRE_TRAILER = /^SOURCE\s+\S[^\n]{0,100}$/u;

/** Opening quote marks of the wire languages (plus ASCII `"` and German `»`) and their closing marks. */
const QUOTE_PAIRS: Readonly<Record<string, string>> = { '“': '”', '„': '“”', '«': '»', '「': '」', '『': '』', '"': '"', '‘': '’', '‚': '‘’', '‹': '›', '»': '«' };

/**
 * Whether a paragraph is a quote: it opens with a quote mark, and what is quoted is speech, not a
 * name. A quote that runs on into the next paragraph (no closing mark) counts; a short quoted
 * segment (`„Brocken H2“ ist …`, `「あおぞら」は…`) does not, unless Japanese marks it as quoted
 * speech with と.
 */
export function isQuoteParagraph(text: string): boolean {
  const open = text[0];
  const closers = open === undefined ? undefined : QUOTE_PAIRS[open];
  if (!closers) return false;
  let close = -1;
  for (let i = 1; i < text.length; i++) {
    if (closers.includes(text[i]!)) {
      close = i;
      break;
    }
  }
  if (close === -1) return true;
  const quoted = text.slice(1, close);
  const dense = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u.test(quoted);
  return quoted.length >= (dense ? 12 : 20) || text[close + 1] === 'と';
}

const linesOf = (source: SourceBlock): string[] => (source.lines ?? blockText(source.block).split('\n')).map((line) => line.trim()).filter((line) => line !== '');

const textOf = (source: SourceBlock): string => blockText(source.block).trim();

const isTextBlock = (block: Block): block is Extract<Block, { content: Inline[] }> => block.type === 'paragraph' || block.type === 'quote' || block.type === 'heading';

/** Paragraph-like blocks: the only ones phrase and shape rules read (a table is never an embargo line or a contact). */
const isProse = (block: Block): boolean => block.type !== 'list' && block.type !== 'table' && block.type !== 'picture';

/** A heading, or a paragraph that is one short line: what "About Acme" and "Media Contact:" look like. */
const isHeadingLike = (source: SourceBlock): boolean => source.block.type === 'heading' || (source.block.type === 'paragraph' && linesOf(source).length === 1 && textOf(source).length <= 120);

/**
 * `About Acme Robotics` → `Acme Robotics`. The subject must start like a name (capital letter,
 * optionally after an article: `Über die Muster AG`) and the line must not be a sentence
 * (`About 300 guests attended.` is body text).
 */
function aboutSubject(line: string): string | undefined {
  if (/[.!?]$/.test(line)) return undefined;
  const match = ABOUT_HEADING.exec(line);
  const subject = match?.[1];
  if (!subject) return ABOUT_SUFFIX_HEADING.exec(line)?.[1];
  return /^(?:(?:die|der|das|den|the|la|le|les|el|los|las|a|o)\s+)?[«"“„「『]?[\p{Lu}\p{Lo}]/u.test(subject) ? subject : undefined;
}

/** The label-only first line of a contact block, and whatever followed the colon on it. */
function contactHeading(line: string): { rest: string } | undefined {
  const match = CONTACT_HEADING.exec(line);
  return match ? { rest: (match[1] ?? '').trim() } : undefined;
}

/**
 * An e-mail address. Letters of right-to-left scripts are no part of it: in `البريد:press@x.ae` the
 * Arabic label touching the address must not be read as its first characters.
 */
const EMAIL = /(?:(?![\p{Script=Arabic}\p{Script=Hebrew}])[\p{L}\p{N}._%+-])+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+|\bwww\.[^\s<>"]+/iu;
const PHONE = /(?:\+|\(0|\b0|\b\d)[\d\s()./–-]{5,}\d/u;

function findPhone(line: string): string | undefined {
  if (EMAIL.test(line) || URL_PATTERN.test(line)) return undefined;
  const match = PHONE.exec(line);
  if (!match) return undefined;
  const digits = match[0].replace(/\D/g, '');
  return digits.length >= 7 && digits.length <= 16 ? match[0].trim() : undefined;
}

/** Whether a block after a contact heading still belongs to the contacts. */
function isContactLike(lines: readonly string[]): boolean {
  if (lines.length === 0 || lines.length > 10 || lines.some((line) => line.length > 120)) return false;
  const reachable = lines.some((line) => EMAIL.test(line) || URL_PATTERN.test(line) || findPhone(line) !== undefined);
  return reachable || (lines.length >= 2 && lines.every((line) => !/[.!?]$/.test(line)));
}

/** Field labels of contact lines in the wire languages, stripped from names: `Tel.:`, `الاسم:`, `Điện thoại:`. */
const LABEL =
  /^(?:name|e-?mail|mail|tel(?:efon|ephone|éfono|éphone|epon)?|phone|fon|mobil[e]?|cell|fax|web(?:site)?|url|org(?:ani[sz]ation)?|nama|telefon bimbit|điện thoại|họ tên|người liên hệ|телефон|тел|эл\. почта|имя|ชื่อ|โทร(?:ศัพท์)?|อีเมล|الاسم|الهاتف|هاتف|البريد الإلكتروني|الموقع|氏名|担当|電話|メール|姓名|电话|電話|邮箱|電郵|이름|전화|이메일|담당자)\.?\s*[:：]\s*/iu;

/** Reads name, organization, e-mail, phone and URL out of a contact block's lines. */
export function parseContact(lines: readonly string[]): Contact {
  const contact: Contact = { text: lines.join('\n') };
  const plain: string[] = [];
  for (const line of lines) {
    const email = EMAIL.exec(line)?.[0];
    const url = URL_PATTERN.exec(line)?.[0]?.replace(/[.,;)]+$/, '');
    const phone = findPhone(line);
    if (email && !contact.email) contact.email = email;
    if (url && !contact.url && !email) contact.url = url;
    if (phone && !contact.phone) contact.phone = phone;
    if (!email && !url && !phone && !/\d{3}/.test(line)) plain.push(line.replace(LABEL, '').trim());
  }
  const names = plain.filter((line) => line.length > 0 && line.length <= 80);
  if (names[0]) contact.name = names[0];
  if (names[1]) contact.organization = names[1];
  return contact;
}

/**
 * The list of a `label: a, b` line by shape: a label of at most three words (or 12 characters of a
 * script without spaces), then at least two short items, no sentence punctuation, no address.
 */
function categoryListShape(text: string): string | undefined {
  const match = /^([^:：\n]{1,30}?)\s*[:：]\s*(\S.{0,200})$/u.exec(text);
  if (!match) return undefined;
  const [, label, list] = match;
  if (label!.trim().split(/\s+/u).length > 3 || EMAIL.test(list!) || URL_PATTERN.test(list!) || /[.!?。！？]\s*\S/u.test(list!)) return undefined;
  const items = list!.split(LIST_SEPARATOR).filter(Boolean);
  return items.length >= 2 && items.every((item) => item.length <= 40 && !/\d{3}/u.test(item)) ? list : undefined;
}

const stripDeckMarks = (text: string): string => text.replace(/^([_*]{1,2})(.+)\1$/u, '$2').trim();

/**
 * Splits a release's blocks into body and the recognized parts around it.
 *
 * Subheadline rule (documented in docs/formats.md#what-the-parser-recognizes): when the paragraph carrying the source
 * tag is the second block, a first block that is a single line of at most 300 characters is the
 * subheadline (a deck between headline and dateline). Formats that mark a subheadline explicitly
 * (front matter, a fully italic first paragraph, a `Subtitle` style) pass `hasSubheadline`.
 */
export function recognizeStructure(blocks: readonly SourceBlock[], options: StructureOptions = {}): Structure {
  const queue = blocks.map((source) => ({ ...source }));
  const result: Structure = { explanations: [], body: [], categories: [], boilerplates: [], contacts: [] };
  const explain = (part: Explanation['part'], rule: string, source: SourceBlock, text = textOf(source)): void => {
    result.explanations.push({ part, rule, text: excerpt(text), ...(source.line === undefined ? {} : { line: source.line }) });
  };

  // Head: editor instructions and the embargo line sit above the text.
  for (let i = 0; i < Math.min(queue.length, 4); ) {
    const source = queue[i]!;
    const text = textOf(source);
    const embargo = isProse(source.block) && !result.embargo ? matchEmbargoLine(text, source.line) : undefined;
    if (embargo) result.embargo = embargo;
    if (embargo) explain('embargo', 'embargo label (phrase table: embargoLabels)', source);
    else if (isProse(source.block) && isReleaseInstruction(text)) explain('instruction', 'editor instruction (phrase table: releaseInstructions)', source);
    if (embargo || (isProse(source.block) && isReleaseInstruction(text))) queue.splice(i, 1);
    else i++;
  }

  // Source tag / dateline: opens one of the first paragraphs.
  for (let i = 0; i < Math.min(queue.length, 3); i++) {
    const source = queue[i]!;
    if (!isTextBlock(source.block) || source.block.type === 'heading') continue;
    const found = matchSourceTag(inlineText(source.block.content));
    if (!found) continue;
    result.sourceTag = found.tag;
    explain(
      'dateline',
      `source tag / dateline${found.tag.wire ? ` of ${found.tag.wire}` : ''}${found.tag.place ? `, place ${found.tag.place}` : ''}${found.tag.date ? `, date ${found.tag.date}` : ''}`,
      source,
      found.tag.raw,
    );
    const content = dropLeadingChars(source.block.content, found.length);
    if (content.length === 0) queue.splice(i, 1);
    else source.block = { type: 'paragraph', content };
    if (i === 1 && !options.hasSubheadline) {
      const first = queue[0]!;
      const deck = stripDeckMarks(textOf(first));
      if (first.block.type === 'paragraph' && linesOf(first).length === 1 && deck.length > 0 && deck.length <= MAX_SUBHEADLINE_CHARS) {
        result.subheadline = deck;
        explain('subheadline', 'single short line above the dateline', first);
        queue.shift();
      }
    }
    break;
  }

  const wireBoilerplate = wireBoilerplatePattern(result.sourceTag?.wire);
  const wireName = wireNameNearStart(result.sourceTag?.wire);
  // Where the trailing blocks of a wire release begin: the first disclaimer, category line, end
  // mark, About, forward-looking or contact heading. A paragraph there that names the wire near
  // its start is the wire's boilerplate, in any language.
  const trailingStart = (() => {
    const index = queue.findIndex((source, i) => {
      if (i === 0 || !isProse(source.block)) return false;
      const text = textOf(source);
      const first = linesOf(source)[0] ?? '';
      return (
        DISCLAIMER_START.test(text) ||
        END_MARK.test(text) ||
        CATEGORY_LINE.test(text.replace(/\s+/g, ' ')) ||
        FORWARD_LOOKING_HEADING.test(first) ||
        (first.length <= 120 && (aboutSubject(first) !== undefined || contactHeading(first) !== undefined))
      );
    });
    // Without any marker only the last block counts as trailing.
    return index === -1 ? queue.length - 1 : index;
  })();
  type State = { kind: 'body' } | { kind: 'about'; boilerplate: Boilerplate } | { kind: 'contact' };
  let state = { kind: 'body' } as State;
  let pendingAbout: { title: string; kind: Boilerplate['kind']; source: SourceBlock } | undefined;

  const toBody = (source: SourceBlock, why = 'no phrase, shape or position rule matched'): void => {
    const block = source.block;
    if (block.type === 'paragraph' && isQuoteParagraph(inlineText(block.content).trimStart())) {
      result.body.push({ type: 'quote', content: block.content });
      explain('quote', 'opens with a quote mark and quotes speech', source);
    } else {
      result.body.push(block);
      explain('body', why, source);
    }
  };
  const flushPendingAbout = (): void => {
    // A heading with nothing under it was no boilerplate after all.
    if (pendingAbout) toBody(pendingAbout.source, 'looked like an About heading but nothing followed it');
    pendingAbout = undefined;
  };
  const startAbout = (title: string, kind: Boilerplate['kind'], source: SourceBlock): void => {
    flushPendingAbout();
    explain(
      kind === 'forward-looking' ? 'forward-looking' : 'about',
      kind === 'forward-looking' ? 'forward-looking statements heading (phrase table: forwardLookingHeadings)' : `About heading (phrase table: aboutPrefixes/aboutSuffixes), ${kind} boilerplate`,
      source,
      title,
    );
    pendingAbout = { title, kind, source };
    state = { kind: 'body' };
  };
  const addToAbout = (block: Block): boolean => {
    if (pendingAbout) {
      const boilerplate: Boilerplate = { kind: pendingAbout.kind, title: pendingAbout.title, body: [block] };
      result.boilerplates.push(boilerplate);
      state = { kind: 'about', boilerplate };
      pendingAbout = undefined;
      return true;
    }
    if (state.kind === 'about') {
      state.boilerplate.body.push(block);
      return true;
    }
    return false;
  };

  for (const [index, source] of queue.entries()) {
    const text = textOf(source);
    const lines = linesOf(source);
    const firstLine = lines[0] ?? '';
    if (text === '' && source.block.type !== 'picture') continue;
    if (source.block.type === 'table' || source.block.type === 'picture') {
      // A table or picture belongs where it stands: under an About heading it is part of that boilerplate.
      if (state.kind === 'contact') state = { kind: 'body' };
      if (addToAbout(source.block)) explain('about', `${source.block.type} under an About heading`, source);
      else toBody(source, source.block.type);
      continue;
    }
    if (END_MARK.test(text)) {
      explain('end-mark', 'end mark (###, -30-)', source);
      continue;
    }
    if (WIRE_TRAILER.test(text)) {
      explain('wire-trailer', "PR Newswire's SOURCE line", source);
      continue;
    }

    const trailing = index >= trailingStart;
    const disclaimerByPhrase = isProse(source.block) && DISCLAIMER_START.test(text);
    const disclaimerByShape = !disclaimerByPhrase && source.block.type === 'paragraph' && result.body.length > 0 && text.length <= 600 && WIRE_WITH_ADDRESS.test(text) && !wireName.test(text);
    if (disclaimerByPhrase || disclaimerByShape) {
      flushPendingAbout();
      result.disclaimer = result.disclaimer ? `${result.disclaimer}\n\n${text}` : text;
      explain('disclaimer', disclaimerByPhrase ? 'disclaimer opening (phrase table: disclaimers)' : "names the wire with its web address in parentheses (the wire's notice)", source);
      state = { kind: 'body' };
      continue;
    }
    const categoryLine = source.block.type === 'paragraph' && text.length <= 300 ? CATEGORY_LINE.exec(text.replace(/\s+/g, ' ')) : null;
    // By shape alone: after the wire's disclaimer, a one-line `label: a, b` list whose label is
    // not in the phrase table (`Themenfelder: Energie, Verkehr`) is still the category line.
    const categoryShape =
      !categoryLine && trailing && result.disclaimer !== undefined && source.block.type === 'paragraph' && lines.length === 1 && contactHeading(firstLine) === undefined ? categoryListShape(text) : undefined;
    if (categoryLine || categoryShape) {
      flushPendingAbout();
      const list = categoryLine ? categoryLine[1]! : categoryShape!;
      const categories = list
        .replace(/[.。]$/u, '')
        .split(LIST_SEPARATOR)
        .map((c) => c.trim())
        .filter(Boolean);
      result.categories.push(...categories.filter((c) => !result.categories.includes(c)));
      explain('categories', categoryLine ? 'short "label: a, b" line (phrase table: categoryLabels)' : 'short "label: a, b" line after the disclaimer (shape; label not in the phrase table)', source);
      state = { kind: 'body' };
      continue;
    }
    const wireByVerb = wireBoilerplate.test(text);
    if (source.block.type === 'paragraph' && result.body.length > 0 && (wireByVerb || (trailing && wireName.test(text)))) {
      flushPendingAbout();
      result.boilerplates.push({ kind: 'wire', body: [source.block] });
      explain('wire-boilerplate', wireByVerb ? "wire's name and a verb (phrase table: wireBoilerplateVerbs)" : "wire's name near the start, among the trailing blocks", source);
      state = { kind: 'body' };
      continue;
    }
    const forwardLooking = isProse(source.block) && (FORWARD_LOOKING_HEADING.test(firstLine) || FORWARD_LOOKING_START.test(text));
    if (forwardLooking && result.body.length > 0) {
      if (FORWARD_LOOKING_HEADING.test(firstLine) && isTextBlock(source.block)) {
        const title = firstLine.replace(/\s*[:：]$/u, '');
        if (lines.length === 1) {
          startAbout(title, 'forward-looking', source);
        } else {
          startAbout(title, 'forward-looking', { block: { type: 'heading', level: 2, content: [{ type: 'text', text: title }] } });
          const content = dropLeadingChars(source.block.content, firstLine.length + 1);
          if (content.length > 0) addToAbout({ type: 'paragraph', content });
        }
      } else {
        flushPendingAbout();
        const boilerplate: Boilerplate = { kind: 'forward-looking', body: [source.block] };
        result.boilerplates.push(boilerplate);
        explain('forward-looking', 'opens with a forward-looking statements label', source);
        state = { kind: 'about', boilerplate };
      }
      continue;
    }

    // "About Acme" / "Media Contact:" as a heading, a one-line paragraph, or the first line of a paragraph.
    const headingLine = isHeadingLike(source) ? text : lines.length > 1 ? firstLine : undefined;
    const about = headingLine === undefined ? undefined : aboutSubject(headingLine);
    if (about !== undefined && headingLine !== undefined && isProse(source.block)) {
      const kind = isKnownWire(about) ? 'wire' : 'issuer';
      const title = headingLine.replace(/\s*:$/, '');
      if (headingLine === text) {
        startAbout(title, kind, source);
      } else if (isTextBlock(source.block)) {
        startAbout(title, kind, { block: { type: 'heading', level: 2, content: [{ type: 'text', text: title }] } });
        const content = dropLeadingChars(source.block.content, headingLine.length + 1);
        if (content.length > 0) addToAbout({ type: 'paragraph', content });
      }
      continue;
    }
    const contact = headingLine === undefined || !isProse(source.block) ? undefined : contactHeading(headingLine);
    if (contact) {
      flushPendingAbout();
      state = { kind: 'contact' };
      explain('contacts', 'contact heading (phrase table: contactHeadings)', source);
      const rest = [...(contact.rest ? contact.rest.split(/\s*[,;]\s+(?=\S)/u) : []), ...(headingLine === text ? [] : lines.slice(1))];
      if (rest.length > 0) result.contacts.push(parseContact(rest));
      continue;
    }
    if (state.kind === 'contact') {
      const contactLines = source.block.type === 'list' ? source.block.items.map(inlineText) : lines;
      if (isContactLike(contactLines)) {
        result.contacts.push(parseContact(contactLines));
        explain('contacts', 'short lines with an e-mail, phone or web address after a contact heading', source);
        continue;
      }
      state = { kind: 'body' };
    }
    if (source.block.type === 'heading' && (pendingAbout || state.kind === 'about')) {
      flushPendingAbout();
      state = { kind: 'body' };
    }
    if (addToAbout(source.block)) {
      const current = result.boilerplates.at(-1);
      explain(current?.kind === 'forward-looking' ? 'forward-looking' : 'about', `under the heading ${JSON.stringify(current?.title ?? '')}`, source);
      continue;
    }
    toBody(source);
  }
  flushPendingAbout();
  return result;
}
