/**
 * QA benchmark: runs the translation checks over a hand-made corpus (bench/qa-corpus.ts) — correct
 * translations that reformat figures and dates the local way, and copies with exactly one
 * injected error of each kind — and reports per kind and per language how many injected errors
 * were caught and how many correct translations were flagged. Seconds, no stack.
 *
 * Alone: `node bin/run-ts.mjs bench/qa.ts`; in the suite: `npm run bench -- --only qa`.
 */
import { pathToFileURL } from 'node:url';
import { checkTranslation, type QaCheck, type QaReport } from '../functions/core/qa';
import { findTemporal } from '../functions/core/qa/dates';
import { findFigures } from '../functions/core/qa/figures';
import type { ReleaseContent } from '../functions/core/release';
import type { Benchmark } from './harness';
import { DO_NOT_TRANSLATE, SOURCE, TRANSLATIONS, type CorpusDocument } from './qa-corpus';

/** One injected error: which field it touches, what it does, and the checks that count as catching it. */
interface Injection {
  kind: string;
  block: string;
  expected: QaCheck[];
  apply(doc: CorpusDocument, source: CorpusDocument): CorpusDocument | undefined;
}

const clone = (doc: CorpusDocument): CorpusDocument => JSON.parse(JSON.stringify(doc)) as CorpusDocument;
const edit =
  (block: number, sentence: number, change: (text: string, doc: CorpusDocument) => string | undefined) =>
  (doc: CorpusDocument): CorpusDocument | undefined => {
    const copy = clone(doc);
    const before = copy.body[block]![sentence]!;
    const after = change(before, doc);
    if (after === undefined || after === before) return undefined;
    copy.body[block]![sentence] = after;
    return copy;
  };

const CURRENCY_SWAP: Array<[RegExp, string]> = [[/US-Dollar|dollars|dólares|долларов США|ドル|美元|달러|ดอลลาร์สหรัฐ|دولار|\$/u, '']];
const EURO: Record<string, string> = { en: '€', de: 'Euro', fr: 'euros', es: 'euros', ru: 'евро', ja: 'ユーロ', 'zh-Hans': '欧元', ko: '유로', th: 'ยูโร', ar: 'يورو' };

export const INJECTIONS: Injection[] = [
  {
    kind: 'figure changed',
    block: 'body[0]',
    expected: ['figures'],
    apply: edit(0, 0, (text, doc) => {
      const figure = findFigures(text, doc.language).find((f) => f.values.some((v) => v > 12));
      if (!figure) return undefined;
      const at = figure.start + figure.text.search(/\d/);
      const digit = Number(text[at]);
      return text.slice(0, at) + String((digit % 9) + 1) + text.slice(at + 1);
    }),
  },
  {
    kind: 'currency changed',
    block: 'headline',
    expected: ['currency'],
    apply: (doc) => {
      const copy = clone(doc);
      copy.headline = doc.headline.replace(CURRENCY_SWAP[0]![0], EURO[doc.language] ?? 'EUR');
      return copy.headline === doc.headline ? undefined : copy;
    },
  },
  { kind: 'date changed', block: 'body[1]', expected: ['dates'], apply: edit(1, 0, (text) => text.replace('10', '11')) },
  {
    kind: 'time changed',
    block: 'body[1]',
    expected: ['dates'],
    apply: edit(1, 0, (text) => {
      const first = text.indexOf('10');
      const second = text.indexOf('10', first + 2);
      return second === -1 ? undefined : `${text.slice(0, second)}11${text.slice(second + 2)}`;
    }),
  },
  {
    kind: 'weekday changed',
    block: 'body[1]',
    expected: ['dates'],
    apply: edit(1, 0, (text, doc) => {
      const [weekday] = findTemporal(text, doc.language).weekdays;
      if (!weekday) return undefined;
      const locale = doc.language === 'th' ? 'th-u-ca-gregory' : doc.language;
      const friday = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 0, 9)));
      return text.slice(0, weekday.start) + friday + text.slice(weekday.end);
    }),
  },
  { kind: 'URL changed', block: 'body[1]', expected: ['protected'], apply: edit(1, 1, (text) => text.replace('/q3', '/q4')) },
  { kind: 'e-mail changed', block: 'body[1]', expected: ['protected'], apply: edit(1, 1, (text) => text.replace('press@', 'media@')) },
  { kind: 'ticker changed', block: 'body[0]', expected: ['protected'], apply: edit(0, 0, (text) => text.replace('ACME)', 'ACMR)').replace('ACME）', 'ACMR）')) },
  { kind: 'name changed', block: 'body[2]', expected: ['protected'], apply: edit(2, 0, (text) => text.replace('Jane Doe', 'Jane Dough')) },
  {
    kind: 'untranslated',
    block: 'body[0]',
    expected: ['untranslated'],
    apply: (doc, source) => {
      const copy = clone(doc);
      copy.body[0] = [...source.body[0]!];
      copy.joiner = source.joiner;
      return copy;
    },
  },
  {
    kind: 'wrong script',
    block: 'body[2]',
    expected: ['script'],
    apply: (doc) => {
      const latin = /\p{Script=Latin}/u.test(doc.body[0]![1]!.replace(/https?:\S+|\S+@\S+/g, ''));
      const other = TRANSLATIONS.find((t) => t.language === (latin ? 'ru' : doc.language === 'ja' ? 'zh-Hans' : 'de'))!;
      const copy = clone(doc);
      copy.body[2] = [...other.body[2]!];
      return copy;
    },
  },
  {
    kind: 'sentence missing',
    block: 'body[0]',
    expected: ['sentences', 'length'],
    apply: (doc) => {
      const copy = clone(doc);
      copy.body[0] = [doc.body[0]![0]!];
      return copy;
    },
  },
  {
    kind: 'empty',
    block: 'body[2]',
    expected: ['empty'],
    apply: (doc) => {
      const copy = clone(doc);
      copy.body[2] = [''];
      return copy;
    },
  },
  {
    kind: 'truncated',
    block: 'body[2]',
    expected: ['length', 'sentences'],
    apply: (doc) => {
      const copy = clone(doc);
      const text = doc.body[2]!.join(doc.joiner);
      copy.body[2] = [text.slice(0, Math.round(text.length * 0.3))];
      return copy;
    },
  },
  {
    kind: 'repetition loop',
    block: 'body[0]',
    expected: ['repetition'],
    apply: edit(0, 1, (text) => {
      const unit = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u.test(text) ? text.slice(0, 3) : `${text.split(' ').slice(0, 2).join(' ')} `;
      return unit.repeat(4) + text;
    }),
  },
  { kind: 'bracket dropped', block: 'body[0]', expected: ['brackets'], apply: edit(0, 0, (text) => text.replace(/[)）]/u, '')) },
];

function contentOf(doc: CorpusDocument): ReleaseContent {
  return {
    headline: doc.headline,
    body: doc.body.map((sentences) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text: sentences.join(doc.joiner) }] })),
    categories: [],
    boilerplates: [],
  };
}

/** One checked translation: correct, or with one injected error. */
export interface Trial {
  pair: string;
  language: string;
  /** Undefined for a correct translation. */
  injection?: { kind: string; block: string; expected: readonly QaCheck[] };
  findings: Array<{ check: QaCheck; severity: 'error' | 'warning'; block: string }>;
}

export interface Tally {
  injected: number;
  caught: number;
  /** Caught with an error (would hold under the hold policy). */
  caughtAsError: number;
  correct: number;
  /** Correct translations with any finding. */
  falseAlarms: number;
  /** Correct translations with an error finding. */
  falseErrors: number;
}

const emptyTally = (): Tally => ({ injected: 0, caught: 0, caughtAsError: 0, correct: 0, falseAlarms: 0, falseErrors: 0 });

/**
 * Scores trials: an injected error is caught when a finding of one of its expected checks sits in
 * the block it was injected into; a correct translation is a false alarm when it has any finding.
 */
export function scoreTrials(trials: readonly Trial[]): { total: Tally; byLanguage: Map<string, Tally>; byKind: Map<string, Tally> } {
  const total = emptyTally();
  const byLanguage = new Map<string, Tally>();
  const byKind = new Map<string, Tally>();
  for (const trial of trials) {
    const tallies = [total, byLanguage.get(trial.language) ?? byLanguage.set(trial.language, emptyTally()).get(trial.language)!];
    if (trial.injection) {
      const { kind, block, expected } = trial.injection;
      tallies.push(byKind.get(kind) ?? byKind.set(kind, emptyTally()).get(kind)!);
      const hits = trial.findings.filter((f) => f.block === block && expected.includes(f.check));
      for (const t of tallies) {
        t.injected++;
        if (hits.length > 0) t.caught++;
        if (hits.some((f) => f.severity === 'error')) t.caughtAsError++;
      }
    } else {
      for (const t of tallies) {
        t.correct++;
        if (trial.findings.length > 0) t.falseAlarms++;
        if (trial.findings.some((f) => f.severity === 'error')) t.falseErrors++;
      }
    }
  }
  return { total, byLanguage, byKind };
}

/** Translation pairs: English into each language, and two back into English (German and Japanese sources). */
function pairs(): Array<{ source: CorpusDocument; translation: CorpusDocument }> {
  const into = TRANSLATIONS.map((translation) => ({ source: SOURCE, translation }));
  const back = ['de', 'ja'].map((tag) => ({ source: TRANSLATIONS.find((t) => t.language === tag)!, translation: SOURCE }));
  return [...into, ...back];
}

export async function runTrials(): Promise<Trial[]> {
  const trials: Trial[] = [];
  const check = async (source: CorpusDocument, translation: CorpusDocument): Promise<QaReport> =>
    checkTranslation({ source: contentOf(source), sourceLanguage: source.language, translation: contentOf(translation), language: translation.language, provenance: 'human', doNotTranslate: DO_NOT_TRANSLATE });
  const flat = (report: QaReport): Trial['findings'] => report.findings.map((f) => ({ check: f.check, severity: f.severity, block: f.location.block }));
  for (const { source, translation } of pairs()) {
    const pair = `${source.language}→${translation.language}`;
    trials.push({ pair, language: translation.language, findings: flat(await check(source, translation)) });
    for (const injection of INJECTIONS) {
      const broken = injection.apply(translation, source);
      if (!broken) continue;
      trials.push({ pair, language: translation.language, injection, findings: flat(await check(source, broken)) });
    }
  }
  return trials;
}

const percent = (part: number, whole: number): string => (whole === 0 ? '—' : `${((100 * part) / whole).toFixed(1)}%`);

/** The language with the lowest catch rate and the one with the most false alarms, as figures. */
function weakestLanguages(byLanguage: ReadonlyMap<string, Tally>): string {
  const rates = [...byLanguage].map(([language, t]) => ({
    language,
    caught: t.injected === 0 ? 1 : t.caught / t.injected,
    flagged: t.correct === 0 ? 0 : t.falseAlarms / t.correct,
    t,
  }));
  if (rates.length === 0) return '—';
  const leastCaught = rates.reduce((a, b) => (b.caught < a.caught ? b : a));
  const mostFlagged = rates.reduce((a, b) => (b.flagged > a.flagged ? b : a));
  return `lowest caught ${leastCaught.language} ${percent(leastCaught.t.caught, leastCaught.t.injected)}, most flagged ${mostFlagged.language} ${percent(mostFlagged.t.falseAlarms, mostFlagged.t.correct)}`;
}

export const run: Benchmark = async ({ log }) => {
  const trials = await runTrials();
  const { total, byLanguage, byKind } = scoreTrials(trials);
  log(`${trials.length} translations checked`);
  const caughtOk = (t: Tally): boolean => t.injected === 0 || t.caught / t.injected >= 0.95;
  const alarmsOk = (t: Tally): boolean => t.correct === 0 || t.falseAlarms / t.correct <= 0.05;
  const languagesOk = [...byLanguage.values()].every((t) => caughtOk(t) && alarmsOk(t));
  const missed = trials.filter((t) => t.injection && !t.findings.some((f) => f.block === t.injection!.block && t.injection!.expected.includes(f.check)));
  const alarms = trials.filter((t) => !t.injection && t.findings.length > 0);
  return {
    id: 'qa',
    title: 'Translation QA',
    method: `checkTranslation over ${trials.length} translations (bench/qa-corpus.ts): ${total.correct} correct ones (${[...byLanguage.keys()].join(', ')}, figures and dates in local formats) and ${total.injected} copies with one injected error each (${INJECTIONS.length} kinds). Caught = a finding of the expected check in the injected block; false alarm = any finding on a correct translation.`,
    goals: [
      { text: '≥ 95% of injected errors caught, in total', met: caughtOk(total), measured: percent(total.caught, total.injected) },
      { text: '≤ 5% of correct translations flagged, in total', met: alarmsOk(total), measured: percent(total.falseAlarms, total.correct) },
      {
        text: '≥ 95% caught and ≤ 5% flagged in every language',
        met: languagesOk,
        // The verdict rests on each language's figures, so the measured value is the weakest ones.
        measured: weakestLanguages(byLanguage),
      },
    ],
    figures: [
      { name: 'injected errors caught', value: total.caught, unit: `of ${total.injected}` },
      { name: 'caught as errors (would hold)', value: total.caughtAsError, unit: `of ${total.injected}` },
      { name: 'correct translations flagged', value: total.falseAlarms, unit: `of ${total.correct}` },
    ],
    table: [
      ['', 'caught / injected', 'as error', 'false alarms / correct'],
      ...[...byKind].map(([kind, t]) => [kind, `${t.caught}/${t.injected}`, `${t.caughtAsError}`, '']),
      ...[...byLanguage].map(([language, t]) => [language, `${t.caught}/${t.injected}`, `${t.caughtAsError}`, `${t.falseAlarms}/${t.correct}`]),
      ['total', `${total.caught}/${total.injected}`, `${total.caughtAsError}`, `${total.falseAlarms}/${total.correct}`],
    ],
    notes: [
      ...missed.map(
        (t) =>
          `missed: ${t.pair} ${t.injection!.kind} (findings there: ${
            t.findings
              .filter((f) => f.block === t.injection!.block)
              .map((f) => f.check)
              .join(', ') || 'none'
          })`,
      ),
      ...alarms.map((t) => `false alarm: ${t.pair}: ${t.findings.map((f) => `${f.severity} ${f.check} ${f.block}`).join('; ')}`),
      'One source document and hand translations written for this benchmark: the corpus is small and its author also wrote the checks, so these rates are an upper bound for real engine output.',
    ],
  };
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const started = performance.now();
  const result = await run({ quick: false, workDir: '.', log: (m) => console.log(m) });
  console.log(result.method);
  for (const goal of result.goals) console.log(`${goal.met ? 'MET ' : 'MISS'} ${goal.text}: ${goal.measured}`);
  for (const row of result.table ?? []) console.log(row.map((c) => c.padEnd(24)).join(''));
  for (const note of result.notes) console.log(`- ${note}`);
  console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
}
