/**
 * What an upload's name tells: its extension, the release id derived from it, and whether it is a
 * human translation of another upload (`release.fr.md`).
 */
import { createHash } from 'node:crypto';
import { isLanguageTag } from '../release';
import { normalizeLanguageTag, wireLanguage } from '../languages';

/** Extensions that name a format; only these are stripped in addition to the last one. */
const FORMAT_EXTENSIONS = new Set(['txt', 'text', 'md', 'markdown', 'html', 'htm', 'xhtml', 'json', 'ninjs', 'docx']);

/** The last path segment of a file name or S3 key (`incoming/2026/launch.txt` → `launch.txt`). */
export function basenameOf(name: string): string {
  const segments = name.split(/[\\/]/).filter((segment) => segment.length > 0);
  return segments.at(-1) ?? name;
}

/** Lowercase extension without the dot, or `''`. */
export function extensionOf(name: string): string {
  const base = basenameOf(name);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Basename without its extension and any further format extensions (`item.ninjs.json` → `item`). */
export function stemOf(name: string): string {
  let stem = basenameOf(name);
  let dot = stem.lastIndexOf('.');
  if (dot > 0) stem = stem.slice(0, dot);
  while ((dot = stem.lastIndexOf('.')) > 0 && FORMAT_EXTENSIONS.has(stem.slice(dot + 1).toLowerCase())) {
    stem = stem.slice(0, dot);
  }
  return stem;
}

/**
 * Letters that NFKD does not decompose into ASCII, and German umlauts, which are written out
 * (`ä` → `ae`) as German slugs conventionally do, rather than stripped to `a`.
 */
const TRANSLITERATIONS: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'ae',
  Ö: 'oe',
  Ü: 'ue',
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  Æ: 'ae',
  œ: 'oe',
  Œ: 'oe',
  ø: 'o',
  Ø: 'o',
  å: 'a',
  Å: 'a',
  ł: 'l',
  Ł: 'l',
  đ: 'd',
  Đ: 'd',
  ð: 'd',
  Ð: 'd',
  þ: 'th',
  Þ: 'th',
  ı: 'i',
};

const MAX_ID_LENGTH = 128;

/**
 * A release id from an upload's name: the basename without extension(s), German umlauts written
 * out (`ä` → `ae`, `ß` → `ss`), other accents stripped (NFKD), lowercased, runs of anything else
 * turned into one hyphen, at most 128 characters. A name without any ASCII letter after that
 * (e.g. only CJK) becomes `r-` + the first 10 hex digits of the SHA-256 of its stem, so it is
 * still stable.
 *
 * @example
 * deriveReleaseId('incoming/Übernahme der Müller AG.docx') // 'uebernahme-der-mueller-ag'
 * deriveReleaseId('新製品発表.txt') // 'r-…' (10 hex digits)
 */
export function deriveReleaseId(name: string): string {
  // NFC first: a name typed on macOS arrives decomposed (`u` + U+0308), which would otherwise
  // miss the umlaut transliteration and give `muller` where the composed name gives `mueller`.
  const stem = stemOf(name).normalize('NFC');
  const slug = slugOf(stem, MAX_ID_LENGTH);
  if (/[a-z]/.test(slug)) return slug;
  return `r-${createHash('sha256').update(stem).digest('hex').slice(0, 10)}`;
}

/** Lowercase ASCII slug of `text` (see {@link deriveReleaseId}), at most `max` characters. */
function slugOf(text: string, max: number): string {
  return text
    .replace(/[^\u0000-\u007f]/g, (char) => TRANSLITERATIONS[char] ?? char)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
}

/** Hex digits of the SHA-256 that make an id unique to its source: 10 (40 bits). */
const ID_HASH_DIGITS = 10;

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, ID_HASH_DIGITS);

/**
 * The id of an upload whose name-derived id ({@link deriveReleaseId}) already belongs to a release
 * from another key: that readable id plus a hash of the whole key, folder included. The key is
 * hashed exactly as stored, not normalized: S3 keys are byte strings, and an NFC and an NFD
 * `Café.txt` are two objects, possibly from two issuers; an issuer who means them to be one
 * release declares an `id`.
 *
 * @example
 * keyedReleaseId('incoming/globex/news.md') // 'news-' + 10 hex digits
 */
export function keyedReleaseId(key: string): string {
  const readable = deriveReleaseId(key)
    .slice(0, MAX_ID_LENGTH - ID_HASH_DIGITS - 1)
    .replace(/-+$/, '');
  return `${readable}-${shortHash(key)}`;
}

/**
 * A release id from a ninjs `uri` (or any issuer-given identifier that is not already a valid
 * id): a readable slug of its last meaningful segment plus a hash of the WHOLE identifier, so
 * `urn:newsml:reuters.com:20261101:nL1N2:1` and `…:nL1N3:1` stay apart although both end in `1`.
 * The identifier is NFC-normalized first: it is text the issuer typed, not an object key.
 *
 * @example
 * uriReleaseId('https://news.example/items/2026-11-21-kobe-ferry') // '2026-11-21-kobe-ferry-' + 10 hex digits
 */
export function uriReleaseId(uri: string): string {
  const whole = uri.normalize('NFC');
  const segment =
    whole
      .split(/[/#?:]/)
      .filter((part) => /\p{L}/u.test(part))
      .at(-1) ?? '';
  const readable = slugOf(segment, MAX_ID_LENGTH - ID_HASH_DIGITS - 1) || 'r';
  return `${readable}-${shortHash(whole)}`;
}

/** Built on first use: an ICU object loads locale data, a cost at start-up otherwise (bench/cold-start.ts). */
let displayNames: Intl.DisplayNames | undefined;

/**
 * Whether the middle part of `name.<tag>.ext` is a language: a wire language (`zh-Hant`, `fr`), or
 * a BCP 47 tag whose language is known to ICU and is either a two-letter code or carries a
 * script/region subtag. Bare three-letter codes are refused because too many are English words
 * (`new` is Newari, `fin` Finnish) that turn up in file names.
 */
function isTranslationTag(part: string): boolean {
  if (wireLanguage(part)) return true;
  if (!isLanguageTag(part)) return false;
  const locale = new Intl.Locale(part);
  let known: string | undefined;
  try {
    displayNames ??= new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
    known = displayNames.of(locale.language);
  } catch {
    return false;
  }
  if (!known) return false;
  return locale.language.length === 2 || part.includes('-');
}

/**
 * Splits a translation's file name: `release.fr.md` → `{ baseName: 'release.md', language: 'fr' }`,
 * `launch.zh-Hant.html` → `zh-Hant`, `launch.zh-TW.html` → `zh-Hant` (normalized to the wire's tag).
 * Returns undefined when the name has no language part (`report.v2.md`, `release.md`).
 */
export function splitTranslationName(name: string): { baseName: string; language: string } | undefined {
  const base = basenameOf(name);
  const parts = base.split('.');
  if (parts.length < 3) return undefined;
  const tag = parts.at(-2)!;
  if (!parts[0] || !isTranslationTag(tag)) return undefined;
  const prefix = name.slice(0, name.length - base.length);
  return { baseName: `${prefix}${[...parts.slice(0, -2), parts.at(-1)].join('.')}`, language: normalizeLanguageTag(tag) };
}
