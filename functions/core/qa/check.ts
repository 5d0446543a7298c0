/**
 * Translation QA: compares a release's content with one translation of it, field by field
 * (headline, each paragraph, list item, boilerplate block …), and reports what an editor must
 * look at before the translation goes public. Pure apart from the injected language detector.
 */
import { detectLanguage } from '../parse/language';
import { normalizeLanguageTag } from '../languages';
import { inlineText, type ReleaseContent } from '../release';
import { escapeRegExp, oneLine } from '../text';
import { compileProtector } from '../translation/protect';
import { mapTranslatable } from '../translation/segment';
import type { Provenance } from '../variant';
import { findTemporal, pairUp, sameDate, sameTime, type Temporal } from './dates';
import { compareFigures, currenciesNear, findFigures, type Figure } from './figures';
import { findLoops, relativeLength, scriptVerdict, sentenceAt, sentences, UNSEGMENTED, unbalanced } from './text';
import type { QaCheck, QaFinding, QaReport, QaSeverity } from './types';

/** Tells the language of a text; undefined when unsure. */
export type LanguageDetector = (text: string) => Promise<string | undefined>;

export interface QaInput {
  source: ReleaseContent;
  sourceLanguage: string;
  translation: ReleaseContent;
  language: string;
  /** Who translated: pseudo-localized text is no translation, so checks of language and length do not apply. */
  provenance?: Provenance['kind'];
  /** Terms kept byte-identical (project glossary + release terms + the wire's name). */
  doNotTranslate?: readonly string[];
  /** Source term → required target term, for this target language. */
  forcedTerms?: Readonly<Record<string, string>>;
  /** Default: the project's detector (eld, as the parser uses). */
  detect?: LanguageDetector;
}

/** Fewest letters a field needs before its language is detected (as the parser requires). */
const DETECTION_LETTERS = 40;
/** Below this many characters a source field's length says little about the translation's. */
const LENGTH_MIN_CHARS = 40;
/** Relative length (1 = the pair's norm) outside which a translation is flagged; below ERROR it is an error. */
const LENGTH_LOW_WARNING = 0.62;
const LENGTH_LOW_ERROR = 0.45;
const LENGTH_HIGH_WARNING = 1.7;
const LENGTH_HIGH_ERROR = 2.4;
/** Figures up to this value may be spelled out in a translation (`three` for 3): missing ones only warn. */
const SPELLABLE = 12;

// Phone numbers: international (`+49 30 1234567`) or North American (`(212) 555-0100`).
const PHONE = /(?<![\w+])(?:\+\d{1,3}[\s.\-\u00a0]?(?:\(\d{1,4}\)[\s.\-\u00a0]?)?\d{1,4}(?:[\s.\-\u00a0]?\d{2,4}){1,4}|\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4})(?!\d)/g;

const language = (tag: string): string => tag.split('-')[0]!.toLowerCase();

interface Field {
  path: string;
  text: string;
  category: boolean;
}

function fieldsOf(content: ReleaseContent): Map<string, Field> {
  const fields = new Map<string, Field>();
  mapTranslatable(
    content,
    (inlines, path) => {
      fields.set(path, { path, text: inlineText(inlines), category: false });
      return [...inlines];
    },
    (text, path) => {
      fields.set(path, { path, text, category: path.startsWith('categories') });
      return text;
    },
  );
  return fields;
}

interface Protected {
  text: string;
  start: number;
  end: number;
  kind: 'URL' | 'e-mail address' | 'phone number' | 'ticker' | 'name';
}

function protectedItems(text: string, terms: readonly string[]): Protected[] {
  // Full-width parentheses around a ticker (`（NASDAQ: ACME）`) read as ASCII ones; same length, same offsets.
  const items: Protected[] = compileProtector(terms, {})
    .find(text.replace(/（/g, '(').replace(/）/g, ')'))
    .flatMap((m): Protected[] => {
      if (m.span.kind !== 'protected') return [];
      const value = m.span.text;
      const kind: Protected['kind'] = /^(?:https?:|www\.)/i.test(value) ? 'URL' : value.startsWith('(') ? 'ticker' : /^[^\s@]+@[^\s@]+$/.test(value) ? 'e-mail address' : 'name';
      // A ticker keeps its exchange and symbol; the parentheses may become full-width in CJK.
      if (kind === 'ticker') return [{ text: value.slice(1, -1).trim(), start: m.start, end: m.end, kind }];
      return [{ text: value, start: m.start, end: m.end, kind }];
    });
  for (const m of text.matchAll(PHONE)) {
    if ((m[0].match(/\d/g) ?? []).length < 7) continue;
    if (items.some((i) => m.index < i.end && m.index + m[0].length > i.start)) continue;
    items.push({ text: m[0], start: m.index, end: m.index + m[0].length, kind: 'phone number' });
  }
  return items;
}

function occurrences(haystack: string, needle: string): number {
  return needle === '' ? 0 : haystack.split(needle).length - 1;
}

/** The text with the given spans blanked (same length), so nothing inside them is read again. */
function blank(text: string, spans: ReadonlyArray<{ start: number; end: number }>): string {
  let out = text;
  for (const s of spans) out = out.slice(0, s.start) + ' '.repeat(s.end - s.start) + out.slice(s.end);
  return out;
}

const quoted = (text: string): string => `“${oneLine(text)}”`;

/**
 * Checks one translation against its source.
 *
 * @example
 * const report = await checkTranslation({ source, sourceLanguage: 'en', translation, language: 'de' });
 * report.findings.filter((f) => f.severity === 'error');
 */
export async function checkTranslation(input: QaInput): Promise<QaReport> {
  const sourceLanguage = normalizeLanguageTag(input.sourceLanguage);
  const target = normalizeLanguageTag(input.language);
  const pseudo = input.provenance === 'pseudo';
  const detect = input.detect ?? defaultDetector;
  const terms = input.doNotTranslate ?? [];
  const findings: QaFinding[] = [];
  const notApplicable: QaReport['notApplicable'] = [];
  if (pseudo) {
    const reason = 'pseudo-localized text keeps the source words with accented letters: it is not a translation';
    for (const check of ['untranslated', 'script', 'length', 'dates'] as const) notApplicable.push({ check, reason });
  }
  if (UNSEGMENTED.has(language(target)) || UNSEGMENTED.has(language(sourceLanguage))) {
    notApplicable.push({ check: 'sentences', reason: 'Thai marks no sentence ends; a dropped sentence shows in the length check' });
  }
  const applies = (check: QaCheck): boolean => !notApplicable.some((n) => n.check === check);
  // Same language family where detection cannot tell the two apart reliably.
  const closePair = (['id', 'ms'].includes(language(target)) && ['id', 'ms'].includes(language(sourceLanguage))) || language(target) === language(sourceLanguage);

  const sourceFields = fieldsOf(input.source);
  const translatedFields = fieldsOf(input.translation);
  for (const [path, field] of sourceFields) {
    const translated = translatedFields.get(path);
    const add = (check: QaCheck, severity: QaSeverity, message: string, offset?: number): void => {
      const segment = offset === undefined ? undefined : sentenceAt(field.text, sourceLanguage, offset);
      findings.push({
        check,
        severity,
        location: { block: path, ...(segment === undefined ? {} : { segment }) },
        source: field.text,
        translation: translated?.text ?? '',
        message,
      });
    };
    if (!translated) {
      add('segments', 'error', `${path} is missing from the translation: the source has it, the translation ends before it`);
      continue;
    }
    const text = translated.text;
    if (field.text.trim() !== '' && text.trim() === '') {
      add('empty', 'error', `${path} is empty in the translation`);
      continue;
    }

    // Protected items: byte-identical.
    const sourceProtected = protectedItems(field.text, terms);
    const translatedProtected = protectedItems(text, terms);
    for (const item of uniqueBy(sourceProtected, (i) => i.text)) {
      const wanted = sourceProtected.filter((i) => i.text === item.text).length;
      const found = occurrences(text, item.text);
      if (found < wanted) {
        add(
          'protected',
          'error',
          `the ${item.kind} ${quoted(item.text)} must appear exactly as in the source${wanted > 1 ? ` (${wanted} times)` : ''}; the translation ${found === 0 ? 'does not have it' : `has it ${found} times`}`,
          item.start,
        );
      }
    }
    // Forced terms: the glossary's required wording.
    for (const [sourceTerm, targetTerm] of Object.entries(input.forcedTerms ?? {})) {
      if (new RegExp(`(?<![\\p{L}])${escapeRegExp(sourceTerm)}(?![\\p{L}])`, 'u').test(field.text) && !text.includes(targetTerm)) {
        add('forced-term', 'error', `the glossary requires ${quoted(targetTerm)} for ${quoted(sourceTerm)}; the translation does not use it`, field.text.indexOf(sourceTerm));
      }
    }

    const sourcePlain = blank(field.text, sourceProtected);
    const translatedPlain = blank(text, translatedProtected);
    const letters = (t: string): number => (t.match(/\p{L}/gu) ?? []).length;

    // Untranslated: the same text, or text still in the source language.
    if (applies('untranslated') && !field.category) {
      const same = field.text.replace(/\s+/g, ' ').trim() === text.replace(/\s+/g, ' ').trim();
      const words = sourcePlain.split(/\s+/).filter((w) => /\p{L}{2}/u.test(w)).length;
      if (same && letters(sourcePlain) >= 12 && (words >= 3 || /[\p{Script=Han}\p{Script=Hangul}\p{Script=Thai}]/u.test(sourcePlain))) {
        add('untranslated', closePair ? 'warning' : 'error', `${path} is identical to the source: it was not translated`);
      } else if (!same && !closePair && letters(translatedPlain) >= DETECTION_LETTERS) {
        const detected = await detect(translatedPlain);
        if (detected !== undefined && detected === sourceLanguage && detected !== target) {
          add('untranslated', 'error', `${path} reads as ${displayName(sourceLanguage)} (the source language), not ${displayName(target)}: it may be left untranslated`);
        }
      }
    }

    if (applies('script') && !field.category) {
      const verdict = scriptVerdict(translatedPlain, target);
      if (verdict.problem) add('script', 'error', `${path} is in the wrong script: ${verdict.problem}`);
    }

    // Dates, times and weekdays, then figures outside them.
    const sourceTime: Temporal = applies('dates') ? findTemporal(sourcePlain, sourceLanguage) : { dates: [], times: [], weekdays: [] };
    const translatedTime: Temporal = applies('dates') ? findTemporal(translatedPlain, target) : { dates: [], times: [], weekdays: [] };
    if (applies('dates')) {
      const dates = pairUp(sourceTime.dates, translatedTime.dates, sameDate);
      for (const [i, date] of dates.missing.entries()) {
        const instead = dates.extra[i] ? `; the translation has ${quoted(dates.extra[i]!.text)}` : '';
        add('dates', 'error', `the date ${quoted(date.text)} is not in the translation as the same date${instead}`, date.start);
      }
      const times = pairUp(sourceTime.times, translatedTime.times, sameTime);
      for (const [i, time] of times.missing.entries()) {
        const instead = times.extra[i] ? `; the translation has ${quoted(times.extra[i]!.text)}` : '';
        add('dates', 'error', `the time ${quoted(time.text)} is not in the translation as the same time${instead}`, time.start);
      }
      const weekdays = pairUp(sourceTime.weekdays, translatedTime.weekdays, (a, b) => a.weekday === b.weekday);
      for (const [i, day] of weekdays.missing.entries()) {
        const instead = weekdays.extra[i] ? `; the translation has ${quoted(weekdays.extra[i]!.text)}` : '';
        add('dates', 'error', `the weekday ${quoted(day.text)} is not in the translation${instead}`, day.start);
      }
      if (dates.missing.length === 0) {
        for (const date of dates.extra) add('dates', 'warning', `the translation has the date ${quoted(date.text)}, which the source does not`);
      }
    }

    const skipSource = [...sourceTime.dates, ...sourceTime.times];
    const skipTranslated = [...translatedTime.dates, ...translatedTime.times];
    const sourceFigures = findFigures(sourcePlain, sourceLanguage, skipSource);
    const translatedFigures = findFigures(translatedPlain, target, skipTranslated);
    const figures = compareFigures(sourceFigures, translatedFigures);
    figures.missing.forEach((figure, i) => {
      const instead = figures.extra[i];
      if (instead) {
        add('figures', 'error', `the figure ${quoted(figure.text)} became ${quoted(instead.text)} in the translation: the values differ`, figure.start);
      } else {
        const spellable = figure.values.every((v) => Number.isInteger(v) && v <= SPELLABLE);
        // `第3四半期`, `3분기`, `ไตรมาสที่ 3`: an ordinal that another language writes as a word.
        const ordinal = /第\s*$|ที่\s*$/u.test(sourcePlain.slice(0, figure.start)) || /^\s*(?:분기|四半期|季度|位|번째)/u.test(sourcePlain.slice(figure.end));
        if (spellable && ordinal) return;
        add('figures', spellable ? 'warning' : 'error', `the figure ${quoted(figure.text)} is not in the translation${spellable ? ' (unless it is spelled out in words)' : ''}`, figure.start);
      }
    });
    for (const figure of figures.extra.slice(figures.missing.length)) {
      // `third quarter` → `第3四半期`, `two` → `2`: small numbers written as digits are normal.
      if (figure.values.some((v) => Number.isInteger(v) && v <= SPELLABLE)) continue;
      add('figures', 'warning', `the translation has the figure ${quoted(figure.text)}, which the source does not`);
    }
    const sourceCurrencies = currenciesNear(sourcePlain, sourceFigures);
    const translatedCurrencies = currenciesNear(translatedPlain, translatedFigures);
    if (sourceCurrencies.size > 0) {
      const changed = [...translatedCurrencies].filter((c) => !sourceCurrencies.has(c));
      const lost = [...sourceCurrencies].filter((c) => !translatedCurrencies.has(c));
      if (changed.length > 0) add('currency', 'error', `the translation gives amounts in ${changed.join(', ')}, the source in ${[...sourceCurrencies].join(', ')}: the currency changed`);
      else if (lost.length > 0) add('currency', 'warning', `the source gives amounts in ${lost.join(', ')}; no amount in the translation names that currency`);
    }

    if (applies('sentences') && !field.category) {
      const expected = sentences(sourcePlain, sourceLanguage).length;
      const got = sentences(translatedPlain, target).length;
      if (got < expected) add('sentences', 'error', `the source has ${expected} sentences, the translation ${got}: a sentence may be missing`);
      else if (got > expected) add('sentences', 'warning', `the source has ${expected} sentences, the translation ${got}: a sentence may be added or split`);
    }

    if (applies('length') && !field.category && [...field.text].length >= LENGTH_MIN_CHARS) {
      // URLs and e-mail addresses are as long in every language: measured without them.
      const ratio = relativeLength(sourcePlain, translatedPlain, sourceLanguage, target);
      const percent = `${Math.round(ratio * 100)}% of the usual length for ${displayName(sourceLanguage)} → ${displayName(target)}`;
      if (ratio < LENGTH_LOW_ERROR) add('length', 'error', `the translation is far too short (${percent}): text may be missing`);
      else if (ratio < LENGTH_LOW_WARNING) add('length', 'warning', `the translation is short (${percent}): check that nothing is missing`);
      else if (ratio > LENGTH_HIGH_ERROR) add('length', 'error', `the translation is far too long (${percent}): text may be repeated or added`);
      else if (ratio > LENGTH_HIGH_WARNING) add('length', 'warning', `the translation is long (${percent}): check for added text`);
    }

    const loops = findLoops(text).filter((loop) => !field.text.includes(loop));
    for (const loop of loops) add('repetition', 'error', `the translation repeats ${quoted(loop.length > 60 ? `${loop.slice(0, 60)}…` : loop)} in a loop (a machine-translation failure)`);

    const sourceProblems = new Set(unbalanced(field.text));
    const problems = unbalanced(text).filter((p) => !sourceProblems.has(p));
    if (problems.length > 0 && unbalanced(field.text).length === 0) {
      add('brackets', 'warning', `unbalanced in the translation: ${problems.join('; ')}`);
    }
  }
  for (const [path, field] of translatedFields) {
    if (sourceFields.has(path)) continue;
    findings.push({
      check: 'segments',
      severity: 'error',
      location: { block: path },
      source: '',
      translation: field.text,
      message: `${path} is in the translation but not in the source: a block was added or the structure differs`,
    });
  }
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { language: target, sourceLanguage, findings, notApplicable, counts: { errors, warnings: findings.length - errors } };
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    if (seen.has(key(item))) return false;
    seen.add(key(item));
    return true;
  });
}

function displayName(tag: string): string {
  try {
    return new Intl.DisplayNames('en', { type: 'language' }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** The parser's detector (eld); unsure answers are undefined, never a guess. */
export const defaultDetector: LanguageDetector = async (text) => {
  try {
    return (await detectLanguage(text, 'qa')).language;
  } catch {
    return undefined;
  }
};

export type { Figure };
