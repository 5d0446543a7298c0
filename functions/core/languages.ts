/**
 * The languages a wire distributes in (see docs/languages.md). Output tags are BCP 47; engines map them
 * to their own codes in their adapters.
 */
export interface LanguageInfo {
  /** BCP 47 tag used in URLs, feeds, hreflang and ninjs. */
  tag: string;
  /** English name, for logs and the CLI. */
  name: string;
  /** The language's own name, for language pickers. */
  nativeName: string;
  dir: 'ltr' | 'rtl';
  /** Opening and closing quote marks used when a quote is rendered in this language. */
  quotes: readonly [open: string, close: string];
}

export const WIRE_LANGUAGES: readonly LanguageInfo[] = [
  { tag: 'en', name: 'English', nativeName: 'English', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'ko', name: 'Korean', nativeName: '한국어', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'ja', name: 'Japanese', nativeName: '日本語', dir: 'ltr', quotes: ['「', '」'] },
  { tag: 'ar', name: 'Arabic', nativeName: 'العربية', dir: 'rtl', quotes: ['«', '»'] },
  { tag: 'zh-Hans', name: 'Simplified Chinese', nativeName: '简体中文', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'zh-Hant', name: 'Traditional Chinese', nativeName: '繁體中文', dir: 'ltr', quotes: ['「', '」'] },
  { tag: 'vi', name: 'Vietnamese', nativeName: 'Tiếng Việt', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'th', name: 'Thai', nativeName: 'ไทย', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'id', name: 'Indonesian', nativeName: 'Bahasa Indonesia', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'ms', name: 'Malay', nativeName: 'Bahasa Melayu', dir: 'ltr', quotes: ['“', '”'] },
  { tag: 'de', name: 'German', nativeName: 'Deutsch', dir: 'ltr', quotes: ['„', '“'] },
  { tag: 'ru', name: 'Russian', nativeName: 'Русский', dir: 'ltr', quotes: ['«', '»'] },
  { tag: 'fr', name: 'French', nativeName: 'Français', dir: 'ltr', quotes: ['« ', ' »'] },
  { tag: 'es', name: 'Spanish', nativeName: 'Español', dir: 'ltr', quotes: ['«', '»'] },
  { tag: 'pt', name: 'Portuguese', nativeName: 'Português', dir: 'ltr', quotes: ['“', '”'] },
];

export const DEFAULT_TARGET_LANGUAGES: readonly string[] = WIRE_LANGUAGES.map((l) => l.tag);

const byTag = new Map(WIRE_LANGUAGES.map((l) => [l.tag.toLowerCase(), l]));

/** Looks a tag up among the wire's languages (case-insensitive); undefined when not one of them. */
export function wireLanguage(tag: string): LanguageInfo | undefined {
  return byTag.get(tag.toLowerCase());
}

/**
 * Maps a detected or declared tag onto the wire's tag for the same language: `zh-CN` → `zh-Hans`,
 * `zh-TW` → `zh-Hant`, `pt-BR` → `pt`, `de-AT` → `de`. Unknown languages are returned canonicalized.
 */
export function normalizeLanguageTag(tag: string): string {
  const [canonical] = Intl.getCanonicalLocales(tag);
  if (!canonical) return tag;
  if (byTag.has(canonical.toLowerCase())) return byTag.get(canonical.toLowerCase())!.tag;
  const locale = new Intl.Locale(canonical);
  if (locale.language === 'zh') {
    const script = locale.script ?? (['TW', 'HK', 'MO'].includes(locale.region ?? '') ? 'Hant' : 'Hans');
    return `zh-${script}`;
  }
  return byTag.get(locale.language)?.tag ?? canonical;
}

/**
 * ICU display names, built on first use: constructing them loads ICU's locale data, which cost
 * every cold start tens of milliseconds (bench/cold-start.ts) though only source-language checks
 * need them.
 */
let displayNames: Record<'language' | 'script' | 'region', Intl.DisplayNames> | undefined;
function namesOf(type: 'language' | 'script' | 'region'): Intl.DisplayNames {
  displayNames ??= {
    language: new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' }),
    script: new Intl.DisplayNames(['en'], { type: 'script', fallback: 'none' }),
    region: new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' }),
  };
  return displayNames[type];
}

/** Subtags that are registered but name no language a release can be written in. */
const NOT_A_LANGUAGE = new Set(['und', 'zxx', 'mul', 'mis']);
const NOT_A_SCRIPT = new Set(['Zzzz', 'Zxxx', 'Zyyy', 'Zinh', 'Zmth', 'Zsym', 'Zsye']);
const PRIVATE_LANGUAGE = /^q[a-t][a-z]$/;
const PRIVATE_SCRIPT = /^Qa(?:a[a-z]|b[a-x])$/;
const PRIVATE_REGION = /^(?:AA|Q[M-Z]|X[A-Z]|ZZ)$/;

/**
 * Why a well-formed tag cannot be a release's source language, or undefined when it can: its
 * language, script and region subtags must be assigned (as the runtime's CLDR data knows them,
 * which covers every language an engine translates) and name a language, not `und`, `zxx`, `mul`,
 * `mis` or a private-use code.
 *
 * @example
 * unregisteredSubtag('xx-Latn-XX'); // 'the language subtag "xx" is not assigned'
 * unregisteredSubtag('pt-BR'); // undefined
 */
export function unregisteredSubtag(tag: string): string | undefined {
  let locale: Intl.Locale;
  try {
    locale = new Intl.Locale(tag);
  } catch {
    return `"${tag}" is not a language tag`;
  }
  const { language, script, region } = locale;
  if (NOT_A_LANGUAGE.has(language)) return `"${language}" names no language (undetermined, no linguistic content, multiple or uncoded languages)`;
  if (PRIVATE_LANGUAGE.test(language) || namesOf('language').of(language) === undefined) return `the language subtag "${language}" is not assigned`;
  if (script !== undefined && (NOT_A_SCRIPT.has(script) || PRIVATE_SCRIPT.test(script) || namesOf('script').of(script) === undefined)) return `the script subtag "${script}" is not an assigned script`;
  if (region !== undefined && (PRIVATE_REGION.test(region) || namesOf('region').of(region) === undefined)) return `the region subtag "${region}" is not an assigned region`;
  return undefined;
}

/** Text direction of a language (right-to-left for Arabic, Hebrew, Persian, Urdu). */
export function directionOf(tag: string): 'ltr' | 'rtl' {
  const info = wireLanguage(tag);
  if (info) return info.dir;
  const language = new Intl.Locale(tag).language;
  return ['ar', 'he', 'fa', 'ur', 'ps', 'yi'].includes(language) ? 'rtl' : 'ltr';
}
