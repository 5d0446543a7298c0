/**
 * Recognizes the parts of a wire release around its body — embargo line, source tag / dateline,
 * quotes, the wire's disclaimer, the category line, issuer and wire boilerplate, media contacts —
 * in the blocks any parser produced. Every format goes through here, so a release reads the same
 * whether it arrived as text, Markdown, HTML, JSON, ninjs or Word.
 */
import type { Block, Boilerplate, Contact, Inline, SourceTag } from '../release';
import { blockText, inlineText } from '../release';
import { escapeRegExp } from '../text';
import { dropLeadingChars } from './inlines';
import {
  ABOUT_HEADING,
  ABOUT_SUFFIX_HEADING,
  CATEGORY_LINE,
  CONTACT_HEADING,
  DISCLAIMER_START,
  EMBARGO_LINE,
  END_MARK,
  KNOWN_WIRES,
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

export interface Structure {
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

const DASH = String.raw`(?:--|—|–|-)`;
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

/** Reads a source tag or dateline at the start of a paragraph's text. */
export function matchSourceTag(text: string): { tag: SourceTag; length: number } | undefined {
  const match = SOURCE_TAG.exec(text) ?? DATELINE.exec(text);
  if (!match?.groups) return undefined;
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

const isKnownWire = (name: string): boolean =>
  PR_WIRES.some((wire) => wire.toLowerCase() === name.toLowerCase()) || name.toLowerCase().replace(/\s+/g, '') in KNOWN_WIRES;

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

const linesOf = (source: SourceBlock): string[] =>
  (source.lines ?? blockText(source.block).split('\n')).map((line) => line.trim()).filter((line) => line !== '');

const textOf = (source: SourceBlock): string => blockText(source.block).trim();

const isTextBlock = (block: Block): block is Extract<Block, { content: Inline[] }> => block.type !== 'list';

/** A heading, or a paragraph that is one short line: what "About Acme" and "Media Contact:" look like. */
const isHeadingLike = (source: SourceBlock): boolean =>
  source.block.type === 'heading' || (source.block.type === 'paragraph' && linesOf(source).length === 1 && textOf(source).length <= 120);

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
  return /^(?:(?:die|der|das|den|the|la|le|les|el|los|las|a|o)\s+)?[\p{Lu}\p{Lo}]/u.test(subject) ? subject : undefined;
}

/** The label-only first line of a contact block, and whatever followed the colon on it. */
function contactHeading(line: string): { rest: string } | undefined {
  const match = CONTACT_HEADING.exec(line);
  return match ? { rest: (match[1] ?? '').trim() } : undefined;
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/u;
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

const LABEL = /^(?:name|e-?mail|mail|tel(?:efon|ephone|éfono|éphone)?|phone|fon|mobil[e]?|cell|fax|web(?:site)?|url|org(?:ani[sz]ation)?)\.?\s*:\s*/iu;

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

const stripDeckMarks = (text: string): string => text.replace(/^([_*]{1,2})(.+)\1$/u, '$2').trim();

/**
 * Splits a release's blocks into body and the recognized parts around it.
 *
 * Subheadline rule (documented in the README (Release formats and parsing)): when the paragraph carrying the source
 * tag is the second block, a first block that is a single line of at most 300 characters is the
 * subheadline (a deck between headline and dateline). Formats that mark a subheadline explicitly
 * (front matter, a fully italic first paragraph, a `Subtitle` style) pass `hasSubheadline`.
 */
export function recognizeStructure(blocks: readonly SourceBlock[], options: StructureOptions = {}): Structure {
  const queue = blocks.map((source) => ({ ...source }));
  const result: Structure = { body: [], categories: [], boilerplates: [], contacts: [] };

  // Head: editor instructions and the embargo line sit above the text.
  for (let i = 0; i < Math.min(queue.length, 4); ) {
    const source = queue[i]!;
    const text = textOf(source);
    const embargo = source.block.type !== 'list' && !result.embargo ? matchEmbargoLine(text, source.line) : undefined;
    if (embargo) result.embargo = embargo;
    if (embargo || (source.block.type !== 'list' && isReleaseInstruction(text))) queue.splice(i, 1);
    else i++;
  }

  // Source tag / dateline: opens one of the first paragraphs.
  for (let i = 0; i < Math.min(queue.length, 3); i++) {
    const source = queue[i]!;
    if (!isTextBlock(source.block) || source.block.type === 'heading') continue;
    const found = matchSourceTag(inlineText(source.block.content));
    if (!found) continue;
    result.sourceTag = found.tag;
    const content = dropLeadingChars(source.block.content, found.length);
    if (content.length === 0) queue.splice(i, 1);
    else source.block = { type: 'paragraph', content };
    if (i === 1 && !options.hasSubheadline) {
      const first = queue[0]!;
      const deck = stripDeckMarks(textOf(first));
      if (first.block.type === 'paragraph' && linesOf(first).length === 1 && deck.length > 0 && deck.length <= MAX_SUBHEADLINE_CHARS) {
        result.subheadline = deck;
        queue.shift();
      }
    }
    break;
  }

  const wireBoilerplate = wireBoilerplatePattern(result.sourceTag?.wire);
  type State = { kind: 'body' } | { kind: 'about'; boilerplate: Boilerplate } | { kind: 'contact' };
  let state = { kind: 'body' } as State;
  let pendingAbout: { title: string; kind: Boilerplate['kind']; source: SourceBlock } | undefined;

  const toBody = (source: SourceBlock): void => {
    const block = source.block;
    if (block.type === 'paragraph' && isQuoteParagraph(inlineText(block.content).trimStart())) {
      result.body.push({ type: 'quote', content: block.content });
    } else {
      result.body.push(block);
    }
  };
  const flushPendingAbout = (): void => {
    // A heading with nothing under it was no boilerplate after all.
    if (pendingAbout) toBody(pendingAbout.source);
    pendingAbout = undefined;
  };
  const startAbout = (title: string, kind: Boilerplate['kind'], source: SourceBlock): void => {
    flushPendingAbout();
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

  for (const source of queue) {
    const text = textOf(source);
    const lines = linesOf(source);
    const firstLine = lines[0] ?? '';
    if (text === '' || END_MARK.test(text) || WIRE_TRAILER.test(text)) continue;

    if (source.block.type !== 'list' && DISCLAIMER_START.test(text)) {
      flushPendingAbout();
      result.disclaimer = result.disclaimer ? `${result.disclaimer}\n\n${text}` : text;
      state = { kind: 'body' };
      continue;
    }
    const categoryLine = source.block.type === 'paragraph' && text.length <= 300 ? CATEGORY_LINE.exec(text.replace(/\s+/g, ' ')) : null;
    if (categoryLine) {
      flushPendingAbout();
      const categories = categoryLine[1]!.replace(/\.$/, '').split(/\s*[,;|]\s*/).map((c) => c.trim()).filter(Boolean);
      result.categories.push(...categories.filter((c) => !result.categories.includes(c)));
      state = { kind: 'body' };
      continue;
    }
    if (source.block.type === 'paragraph' && result.body.length > 0 && wireBoilerplate.test(text)) {
      flushPendingAbout();
      result.boilerplates.push({ kind: 'wire', body: [source.block] });
      state = { kind: 'body' };
      continue;
    }

    // "About Acme" / "Media Contact:" as a heading, a one-line paragraph, or the first line of a paragraph.
    const headingLine = isHeadingLike(source) ? text : lines.length > 1 ? firstLine : undefined;
    const about = headingLine === undefined ? undefined : aboutSubject(headingLine);
    if (about !== undefined && headingLine !== undefined && (source.block.type !== 'list')) {
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
    const contact = headingLine === undefined || source.block.type === 'list' ? undefined : contactHeading(headingLine);
    if (contact) {
      flushPendingAbout();
      state = { kind: 'contact' };
      const rest = [...(contact.rest ? contact.rest.split(/\s*[,;]\s+(?=\S)/u) : []), ...(headingLine === text ? [] : lines.slice(1))];
      if (rest.length > 0) result.contacts.push(parseContact(rest));
      continue;
    }
    if (state.kind === 'contact') {
      const contactLines = source.block.type === 'list' ? source.block.items.map(inlineText) : lines;
      if (isContactLike(contactLines)) {
        result.contacts.push(parseContact(contactLines));
        continue;
      }
      state = { kind: 'body' };
    }
    if (source.block.type === 'heading' && (pendingAbout || state.kind === 'about')) {
      flushPendingAbout();
      state = { kind: 'body' };
    }
    if (addToAbout(source.block)) continue;
    toBody(source);
  }
  flushPendingAbout();
  return result;
}
