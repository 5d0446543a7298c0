/**
 * The release's language: a declared tag wins (validated, normalized to the wire's tag), otherwise
 * it is detected with eld. eld knows 60 languages but neither tells Indonesian from Malay (it has
 * only `ms`) nor Simplified from Traditional Chinese (it has only `zh`); both distinctions matter
 * for a wire, so they are made here with small, documented marker tables.
 */
import { ParseError, type ErrorLocation } from '../errors';
import { isLanguageTag } from '../release';
import { normalizeLanguageTag, unregisteredSubtag } from '../languages';
import { PARSE_ERROR_CODES } from './codes';

/** Below this many letters a guess is a guess: declare the language instead. */
export const MIN_DETECTION_LETTERS = 40;

/** Text beyond this many characters adds no accuracy, only time. */
const DETECTION_SAMPLE_CHARS = 4000;

export interface LanguageResolution {
  language: string;
  languageSource: 'declared' | 'detected';
  languageConfidence: number;
}

/**
 * Validates and normalizes a declared language (`de-DE` → `de`, `zh-TW` → `zh-Hant`). `und`
 * ("undetermined", what some CMSs write when nobody chose) declares nothing: undefined, and the
 * language is detected. Other tags must be registered subtags naming a language.
 */
export function declaredLanguage(value: unknown, location: ErrorLocation): LanguageResolution | undefined {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'und') return undefined;
  if (typeof value !== 'string' || !isLanguageTag(value.trim())) {
    throw new ParseError(
      PARSE_ERROR_CODES.INVALID_LANGUAGE_TAG,
      `the declared language ${JSON.stringify(value)} is not a BCP 47 language tag`,
      location,
      'write a tag such as en, de, fr, es, ja, zh-Hans, zh-Hant or pt-BR',
    );
  }
  const unregistered = unregisteredSubtag(value.trim());
  if (unregistered !== undefined) {
    throw new ParseError(
      PARSE_ERROR_CODES.INVALID_LANGUAGE_TAG,
      `the declared language ${JSON.stringify(value)} cannot be a release's language: ${unregistered}`,
      location,
      'write the tag of the language the release is written in, such as en, de, fr, es, ja, zh-Hans or pt-BR, or leave it out to have it detected',
    );
  }
  return { language: normalizeLanguageTag(value.trim()), languageSource: 'declared', languageConfidence: 1 };
}

type Detector = { detect(text: string): { language: string; getScores(): Record<string, number>; isReliable(): boolean } };
let detector: Promise<Detector> | undefined;

/**
 * eld's `extrasmall` database (0.9 MB source), loaded lazily, only when a release does not declare
 * its language. On the 15 wire languages' fixtures (test/fixtures/parse/lang) it detects every
 * whole release and every headline plus first paragraph as `small` (1.6 MB) does, with scores at
 * most 0.06 lower; of the 113 single paragraphs of 40+ letters it calls three media-contact blocks
 * (names, phone, e-mail) unreliable that `small` named, and names none wrongly. In a fresh Node.js
 * (load and one detection) it peaks at 123 MB RSS against `small`'s 185 MB and loads in about
 * 0.2 s against 0.6–0.8 s: the ingest function's memory goal is 200 MB.
 */
function loadDetector(): Promise<Detector> {
  detector ??= import('eld/extrasmall').then(({ eld }) => {
    // Our own instance: the text-cleanup setting must not leak into other users of the module.
    const instance = eld.newInstance();
    // Drops URLs, e-mail addresses and numbers, which otherwise vote for random languages.
    instance.enableTextCleanup(true);
    return instance;
  });
  return detector;
}

/**
 * Detects the language of a release's text. Confidence is eld's score of the winning language
 * (0–1), lowered when the runner-up is close.
 *
 * @throws ParseError `NO_LANGUAGE` when the text is too short or the result unreliable.
 */
export async function detectLanguage(text: string, file: string): Promise<LanguageResolution> {
  const sample = text.slice(0, DETECTION_SAMPLE_CHARS);
  const letters = sample.match(/\p{L}/gu)?.length ?? 0;
  const hint = 'declare the language: `language: de` in the front matter, `"language": "de"` in JSON, `<html lang="de">` in HTML';
  if (letters < MIN_DETECTION_LETTERS) {
    throw new ParseError(PARSE_ERROR_CODES.NO_LANGUAGE, `too little text to detect the language (${letters} letters; at least ${MIN_DETECTION_LETTERS} needed)`, { file }, hint);
  }
  const result = (await loadDetector()).detect(sample);
  const scores = Object.entries(result.getScores()).sort((a, b) => b[1] - a[1]);
  const [top, second] = scores;
  if (!result.language || !top || !result.isReliable()) {
    throw new ParseError(PARSE_ERROR_CODES.NO_LANGUAGE, `the language could not be detected reliably${top ? ` (best guess ${top[0]}, score ${top[1].toFixed(2)})` : ''}`, { file }, hint);
  }
  const margin = second ? Math.min(1, (top[1] - second[1]) / top[1] / 0.2) : 1;
  let confidence = top[1] * (0.75 + 0.25 * margin);
  let language = result.language;
  if (language === 'ms') {
    const malay = malayOrIndonesian(sample);
    language = malay.language;
    confidence *= malay.certainty;
  } else if (language === 'zh') {
    language = chineseScript(sample);
  }
  return { language: normalizeLanguageTag(language), languageSource: 'detected', languageConfidence: round(confidence) };
}

const round = (value: number): number => Math.round(Math.max(0, Math.min(1, value)) * 1000) / 1000;

/**
 * Words spelled differently in Indonesian and Malay (bahwa/bahawa, karena/kerana, …) or used only in
 * one of them (perusahaan vs syarikat). A tie keeps eld's `ms` with lowered certainty.
 */
const INDONESIAN_MARKERS = [
  'bahwa',
  'karena',
  'perusahaan',
  'pemerintah',
  'uang',
  'kantor',
  'bisa',
  'saat ini',
  'berinvestasi',
  'jutaan',
  'sekitar',
  'hingga',
  'mengatakan',
  'produk',
  'kualitas',
  'sistem',
  'tahun depan',
  'pabrik',
];
const MALAY_MARKERS = [
  'bahawa',
  'kerana',
  'syarikat',
  'kerajaan',
  'wang',
  'pejabat',
  'boleh',
  'kini',
  'melabur',
  'baharu',
  'iaitu',
  'sehingga',
  'berkata',
  'produk-produk',
  'kualiti',
  'sistem',
  'tahun hadapan',
  'kilang',
];

function malayOrIndonesian(text: string): { language: 'id' | 'ms'; certainty: number } {
  const lower = ` ${text
    .toLowerCase()
    .replace(/[^\p{L}\s-]/gu, ' ')
    .replace(/\s+/g, ' ')} `;
  const count = (markers: readonly string[]): number => markers.reduce((sum, marker) => sum + (lower.split(` ${marker} `).length - 1), 0);
  const indonesian = count(INDONESIAN_MARKERS);
  const malay = count(MALAY_MARKERS);
  if (indonesian === malay) return { language: 'ms', certainty: 0.6 };
  const total = indonesian + malay;
  return { language: indonesian > malay ? 'id' : 'ms', certainty: 0.6 + 0.4 * (Math.abs(indonesian - malay) / total) };
}

/**
 * Frequent characters that exist in only one of the two scripts (pairs: 们/們, 这/這, 为/為 …).
 * Text with more Traditional-only characters is `zh-Hant`; ties go to `zh-Hans`, the larger audience.
 */
const SIMPLIFIED_ONLY = '们这为会国说来时个学发经与对业将于开产动资长后间关进现实点过还应变问电认区从总让样体义员务机门东车书见头报场统设计划边组织际营费级华质权气万亿网约务银际贸术数据财';
const TRADITIONAL_ONLY = '們這為會國說來時個學發經與對業將於開產動資長後間關進現實點過還應變問電認區從總讓樣體義員務機門東車書見頭報場統設計劃邊組織際營費級華質權氣萬億網約務銀際貿術數據財';

function chineseScript(text: string): 'zh-Hans' | 'zh-Hant' {
  let simplified = 0;
  let traditional = 0;
  for (const char of text) {
    if (SIMPLIFIED_ONLY.includes(char)) simplified++;
    else if (TRADITIONAL_ONLY.includes(char)) traditional++;
  }
  return traditional > simplified ? 'zh-Hant' : 'zh-Hans';
}
