/**
 * Text-level checks that need no alignment of figures: scripts, sentence counts, length norms,
 * repetition loops, brackets and quotes.
 */
const language = (tag: string): string => tag.split('-')[0]!.toLowerCase();

/** Scripts a language is written in; letters of other scripts are foreign (names and brands excepted by the caller). */
const SCRIPTS: Record<string, RegExp> = {
  ru: /\p{Script=Cyrillic}/u,
  ar: /\p{Script=Arabic}/u,
  th: /\p{Script=Thai}/u,
  ko: /[\p{Script=Hangul}]/u,
  ja: /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー]/u,
  zh: /\p{Script=Han}/u,
};
const LATIN = /\p{Script=Latin}/u;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/u;

export function expectedScript(tag: string): RegExp {
  return SCRIPTS[language(tag)] ?? LATIN;
}

export interface ScriptVerdict {
  /** Share of letters in the target's script (0–1). */
  share: number;
  letters: number;
  /** Set when the text is in a wrong script: what an editor reads. */
  problem?: string;
}

/**
 * Whether a text (names and protected items already removed) is in the target's script. Latin
 * words inside Japanese, Chinese, Korean, Thai, Arabic or Russian text are normal (brands,
 * acronyms), so those targets need only half their letters in their own script; Latin-script
 * targets may hold at most a fifth of letters from other scripts.
 */
export function scriptVerdict(text: string, tag: string): ScriptVerdict {
  const letters = [...text].filter((c) => /\p{L}/u.test(c));
  const script = expectedScript(tag);
  const own = letters.filter((c) => script.test(c)).length;
  const share = letters.length === 0 ? 1 : own / letters.length;
  const verdict: ScriptVerdict = { share, letters: letters.length };
  if (letters.length < 8) return verdict;
  const name = SCRIPT_NAMES[language(tag)] ?? 'Latin';
  if (script === LATIN ? share < 0.8 : share < 0.5) {
    verdict.problem = `only ${Math.round(share * 100)}% of the letters are in the ${name} script expected for this language`;
  } else if (language(tag) === 'ja' && !letters.some((c) => KANA.test(c)) && letters.length >= 15) {
    verdict.problem = 'the text has no kana: it reads as Chinese, not Japanese';
  } else if (language(tag) === 'zh' && letters.some((c) => KANA.test(c))) {
    verdict.problem = 'the text contains Japanese kana';
  }
  return verdict;
}

const SCRIPT_NAMES: Record<string, string> = { ru: 'Cyrillic', ar: 'Arabic', th: 'Thai', ko: 'Hangul', ja: 'Japanese', zh: 'Chinese (Han)' };

/** Words ending a sentence-like segment that do not end a sentence: `Inc.`, `Ltd.`, `Dr.`, `U.S.`. */
const ABBREVIATION =
  /(?:^|[\s(])(?:[A-Za-z](?:\.[A-Za-z])+|Inc|Ltd|Co|Corp|Mr|Mrs|Ms|Dr|Prof|St|Jr|Sr|No|Nr|Vol|Fig|Abs|approx|ca|bzw|usw|etc|vs|Mme|Sra|Ltda|Bhd|Tbk|Pty|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Mio|Mrd|Tsd|Bio|тыс|млн|млрд|трлн|руб|г|z\.\s?B|d\.\s?h|u\.\s?a)\.\s*$/u;

/** Languages whose text ICU does not cut into sentences (Thai has no sentence punctuation). */
export const UNSEGMENTED = new Set(['th']);

/** The sentences of a text (offsets into it), merged over abbreviations. */
export function sentences(text: string, tag: string): Array<{ start: number; end: number; text: string }> {
  let segmenter: Intl.Segmenter;
  try {
    segmenter = new Intl.Segmenter(tag, { granularity: 'sentence' });
  } catch {
    segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  }
  const out: Array<{ start: number; end: number; text: string }> = [];
  let pendingStart: number | undefined;
  for (const s of segmenter.segment(text)) {
    const start = pendingStart ?? s.index;
    const end = s.index + s.segment.length;
    const piece = text.slice(start, end);
    // Decimal points and abbreviations are not sentence ends.
    // German and Nordic ordinals (`7. Dezember`) are not sentence ends either.
    if (ABBREVIATION.test(piece) || /(?<!\d)\d{1,2}\.\s*$/.test(piece) || (/\d[.,]\s*$/.test(piece) && /^\d/.test(text.slice(end)))) {
      pendingStart = start;
      continue;
    }
    pendingStart = undefined;
    if (/[\p{L}\p{N}]/u.test(piece)) out.push({ start, end, text: piece });
  }
  if (pendingStart !== undefined) {
    const piece = text.slice(pendingStart);
    if (/[\p{L}\p{N}]/u.test(piece)) out.push({ start: pendingStart, end: text.length, text: piece });
  }
  return out;
}

/** 1-based sentence of `offset` in a text. */
export function sentenceAt(text: string, tag: string, offset: number): number | undefined {
  const list = sentences(text, tag);
  const index = list.findIndex((s) => offset >= s.start && offset < s.end);
  return index === -1 ? undefined : index + 1;
}

/**
 * Characters per English character a language typically needs (press-release prose, measured on
 * the QA corpus and consistent with published expansion tables: German +20–30 %, CJK a third to
 * a half).
 */
export const LENGTH_NORM: Record<string, number> = {
  en: 1,
  de: 1.22,
  fr: 1.2,
  es: 1.18,
  pt: 1.15,
  ru: 1.1,
  id: 1.15,
  ms: 1.2,
  vi: 1.1,
  th: 0.95,
  ar: 0.9,
  ja: 0.5,
  ko: 0.5,
  'zh-Hans': 0.32,
  'zh-Hant': 0.32,
};

function norm(tag: string): number {
  return LENGTH_NORM[tag] ?? LENGTH_NORM[language(tag)] ?? 1;
}

/** Translation length over source length, divided by what the pair normally gives (1 = typical). */
export function relativeLength(source: string, translation: string, sourceTag: string, targetTag: string): number {
  const count = (t: string): number => [...t.replace(/\s+/g, ' ').trim()].length;
  const expected = count(source) * (norm(targetTag) / norm(sourceTag));
  return expected === 0 ? 1 : count(translation) / expected;
}

/**
 * A word or phrase repeated three or more times in a row (`the the the`, `製品製品製品`): the loop
 * neural engines fall into. Only letter-bearing units count, so `000` or `...` are not loops.
 */
const LOOP = /(\p{L}[^!?。！？\n]{0,40}?)(?:[\s、，,]*\1){2,}/gu;

export function findLoops(text: string): string[] {
  const loops: string[] = [];
  for (const match of text.matchAll(LOOP)) {
    const unit = match[1]!.trim();
    // Single letters repeated (`aaa`, `ๆๆๆ`) and pseudo padding are no phrase loops.
    if ([...unit].length < 2 && !/\p{Script=Han}/u.test(unit)) continue;
    loops.push(match[0]);
  }
  return loops;
}

const BRACKETS: Array<[string, string]> = [
  ['(', ')'],
  ['[', ']'],
  ['{', '}'],
  ['（', '）'],
  ['【', '】'],
  ['「', '」'],
  ['『', '』'],
  ['«', '»'],
];

/** What is unbalanced in a text: bracket pairs whose counts differ, and an odd number of double quotes. */
export function unbalanced(text: string): string[] {
  const problems: string[] = [];
  for (const [open, close] of BRACKETS) {
    const opens = text.split(open).length - 1;
    const closes = text.split(close).length - 1;
    if (opens !== closes) problems.push(`${opens} “${open}” but ${closes} “${close}”`);
  }
  // „…“, “…”, "…": the marks are ambiguous between languages, so only their number must be even.
  const quotes = (text.match(/[“”„"]/g) ?? []).length;
  if (quotes % 2 === 1) problems.push(`${quotes} double quote marks (an odd number)`);
  return problems;
}
