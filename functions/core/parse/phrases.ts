/**
 * The fixed phrases a wire release uses around its body, per language. The classifier matches
 * every language's phrases regardless of the release's language (a German release may carry an
 * English contact heading), so adding a language is one more entry in `PHRASES` and nothing else.
 *
 * All entries are matched case-insensitively at the start of a trimmed paragraph or line.
 */
import { escapeRegExp } from '../text';

export interface LanguagePhrases {
  /** Opening words of a wire's third-party disclaimer (the whole paragraph becomes `disclaimer`). */
  disclaimers: readonly string[];
  /** Labels of the category line, e.g. `Branchen:`; written without the colon. */
  categoryLabels: readonly string[];
  /**
   * Verbs that follow a wire's name at the start of the wire's own boilerplate paragraph
   * (`SeaPRwire liefert …`, `PR Newswire provides …`).
   */
  wireBoilerplateVerbs: readonly string[];
  /** Words opening an issuer boilerplate heading: `About` + company, `Über` + Firma. */
  aboutPrefixes: readonly string[];
  /** Words closing it, for languages that put them last: Japanese `<会社>について`. */
  aboutSuffixes?: readonly string[];
  /** Headings of a media contact block, written without the colon. */
  contactHeadings: readonly string[];
  /** Labels opening an embargo line, written without the colon. */
  embargoLabels: readonly string[];
  /** Release instructions above the headline that are no content (`FOR IMMEDIATE RELEASE`). */
  releaseInstructions: readonly string[];
}

export const PHRASES: Readonly<Record<string, LanguagePhrases>> = {
  en: {
    disclaimers: [
      'The article is provided by a third-party content provider',
      'This article is provided by a third-party content provider',
      'The article is provided by a third party',
      'Disclaimer:',
    ],
    categoryLabels: ['Industries', 'Industry', 'Category', 'Categories', 'Subject', 'Subjects', 'Sector', 'Sectors'],
    wireBoilerplateVerbs: ['provides', 'delivers', 'distributes', 'is', 'offers', 'serves', 'supports'],
    aboutPrefixes: ['About'],
    contactHeadings: [
      'Media Contacts',
      'Media Contact',
      'Press Contacts',
      'Press Contact',
      'Media Inquiries',
      'Press Inquiries',
      'Investor Contacts',
      'Investor Contact',
      'Investor Relations Contact',
      'Contacts',
      'Contact',
      'For more information',
    ],
    embargoLabels: ['EMBARGOED UNTIL', 'EMBARGOED FOR RELEASE UNTIL', 'UNDER EMBARGO UNTIL', 'EMBARGO UNTIL', 'EMBARGO'],
    releaseInstructions: ['FOR IMMEDIATE RELEASE', 'FOR RELEASE'],
  },
  de: {
    disclaimers: [
      'Der Artikel wird von einem Drittanbieter bereitgestellt',
      'Dieser Artikel wird von einem Drittanbieter bereitgestellt',
      'Haftungsausschluss:',
    ],
    categoryLabels: ['Branchen', 'Branche', 'Kategorie', 'Kategorien', 'Rubrik', 'Rubriken', 'Themen'],
    wireBoilerplateVerbs: ['liefert', 'bietet', 'verteilt', 'ist', 'unterstützt'],
    aboutPrefixes: ['Über'],
    contactHeadings: ['Pressekontakte', 'Pressekontakt', 'Medienkontakt', 'Medienkontakte', 'Kontakte', 'Kontakt', 'Ansprechpartner', 'Ansprechpartnerin'],
    embargoLabels: ['SPERRFRIST BIS', 'SPERRFRIST', 'EMBARGO BIS'],
    releaseInstructions: ['ZUR SOFORTIGEN VERÖFFENTLICHUNG', 'ZUR SOFORTIGEN VERÖFFENTLICHUNG FREIGEGEBEN', 'PRESSEMITTEILUNG', 'PRESSEINFORMATION'],
  },
  fr: {
    disclaimers: [
      "L'article est fourni par un fournisseur de contenu tiers",
      'L’article est fourni par un fournisseur de contenu tiers',
      'Cet article est fourni par un tiers',
      'Avertissement :',
    ],
    categoryLabels: ['Secteurs', 'Secteur', 'Catégories', 'Catégorie', 'Rubrique', 'Sujets', 'Sujet'],
    wireBoilerplateVerbs: ['fournit', 'offre', 'diffuse', 'distribue', 'est', 'propose'],
    aboutPrefixes: ['À propos de', 'A propos de', 'À propos d’', "À propos d'", 'A propos d’', "A propos d'"],
    contactHeadings: ['Contacts presse', 'Contact presse', 'Contacts médias', 'Contact médias', 'Relations presse', 'Contacts', 'Contact'],
    embargoLabels: ["SOUS EMBARGO JUSQU'AU", 'SOUS EMBARGO JUSQU’AU', "EMBARGO JUSQU'AU", 'EMBARGO JUSQU’AU'],
    releaseInstructions: ['POUR DIFFUSION IMMÉDIATE', 'POUR PUBLICATION IMMÉDIATE', 'COMMUNIQUÉ DE PRESSE'],
  },
  es: {
    disclaimers: [
      'El artículo es proporcionado por un proveedor de contenido externo',
      'Este artículo es proporcionado por un tercero',
      'Aviso legal:',
    ],
    categoryLabels: ['Sectores', 'Sector', 'Industrias', 'Categorías', 'Categoría', 'Temas', 'Tema'],
    wireBoilerplateVerbs: ['ofrece', 'proporciona', 'distribuye', 'es', 'brinda'],
    aboutPrefixes: ['Acerca de', 'Sobre'],
    contactHeadings: ['Contacto de prensa', 'Contactos de prensa', 'Contacto para medios', 'Contacto con los medios', 'Contactos', 'Contacto'],
    embargoLabels: ['EMBARGADO HASTA', 'BAJO EMBARGO HASTA', 'EMBARGO HASTA'],
    releaseInstructions: ['PARA PUBLICACIÓN INMEDIATA', 'PARA DIFUSIÓN INMEDIATA', 'COMUNICADO DE PRENSA', 'NOTA DE PRENSA'],
  },
  pt: {
    disclaimers: ['O artigo é fornecido por um fornecedor de conteúdo terceirizado'],
    categoryLabels: ['Setores', 'Setor', 'Categorias', 'Categoria'],
    wireBoilerplateVerbs: ['oferece', 'fornece', 'distribui', 'é'],
    aboutPrefixes: ['Sobre a', 'Sobre o', 'Sobre'],
    contactHeadings: ['Contato para a imprensa', 'Contato de imprensa', 'Contatos', 'Contato'],
    embargoLabels: ['EMBARGADO ATÉ', 'EMBARGO ATÉ'],
    releaseInstructions: ['PARA DIVULGAÇÃO IMEDIATA', 'COMUNICADO DE IMPRENSA'],
  },
  ja: {
    disclaimers: [],
    categoryLabels: ['カテゴリー', 'カテゴリ', '業種', '分野'],
    wireBoilerplateVerbs: [],
    aboutPrefixes: [],
    aboutSuffixes: ['について', 'とは'],
    contactHeadings: ['報道関係者からのお問い合わせ先', '報道関係者お問い合わせ先', '本件に関するお問い合わせ先', 'お問い合わせ先', 'お問い合わせ'],
    embargoLabels: ['解禁日時', '報道解禁'],
    releaseInstructions: ['報道関係者各位', 'プレスリリース'],
  },
  zh: {
    disclaimers: [],
    categoryLabels: ['类别', '類別', '行业', '行業', '分类', '分類'],
    wireBoilerplateVerbs: [],
    aboutPrefixes: ['关于', '關於'],
    contactHeadings: ['媒体联系人', '媒體聯絡人', '媒体联络', '媒體聯絡', '联系方式', '聯絡方式'],
    embargoLabels: ['禁发时间', '禁發時間'],
    releaseInstructions: ['新闻稿', '新聞稿'],
  },
  ko: {
    disclaimers: [],
    categoryLabels: ['분류', '카테고리', '업종'],
    wireBoilerplateVerbs: [],
    aboutPrefixes: [],
    aboutSuffixes: ['에 대하여', '회사 소개'],
    contactHeadings: ['미디어 문의', '언론 문의', '보도 문의', '문의'],
    embargoLabels: ['엠바고'],
    releaseInstructions: ['보도자료'],
  },
};

/** The wires the source-tag parser knows by name, keyed by a lowercase, space-free form of what is written. */
export const KNOWN_WIRES: Readonly<Record<string, string>> = {
  seaprwire: 'SeaPRwire',
  prnewswire: 'PRNewswire',
  'prnewswire-prweb': 'PRNewswire',
  'prnewswire-firstcall': 'PRNewswire',
  businesswire: 'Business Wire',
  globenewswire: 'GlobeNewswire',
  accesswire: 'ACCESSWIRE',
  einpresswire: 'EIN Presswire',
  newswire: 'Newswire',
  'eqs-news': 'EQS News',
  ots: 'APA-OTS',
  'ots.at': 'APA-OTS',
  'news aktuell': 'news aktuell',
  newsaktuell: 'news aktuell',
  ap: 'AP',
  dpa: 'dpa',
  reuters: 'Reuters',
  afp: 'AFP',
};

/** Normalizes a wire name as written (`BUSINESS WIRE`, `PRNewswire-FirstCall`) to its usual spelling. */
export function normalizeWireName(written: string): string {
  const key = written.trim().toLowerCase().replace(/\s+/g, '');
  return KNOWN_WIRES[key] ?? KNOWN_WIRES[written.trim().toLowerCase()] ?? written.trim();
}

function all<K extends keyof LanguagePhrases>(key: K): string[] {
  return Object.values(PHRASES).flatMap((phrases) => phrases[key] ?? []);
}

/** Longest first, so `Media Contacts` wins over `Contact`. */
function alternation(values: readonly string[]): string {
  return [...new Set(values)]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
}

/** `Branchen: Top-Story, Tagesnachrichten` → group 1 = the list. */
export const CATEGORY_LINE = new RegExp(`^(?:${alternation(all('categoryLabels'))})\\s*:\\s*(\\S.*)$`, 'iu');

export const DISCLAIMER_START = new RegExp(`^(?:${alternation(all('disclaimers'))})`, 'iu');

/** `About Acme Robotics`, `Über die Muster AG`, `À propos d’Ondine` → group 1 = the subject. */
export const ABOUT_HEADING = new RegExp(
  `^(?:${alternation(all('aboutPrefixes'))})(?:\\s+|(?<=['’]))(\\S.{0,118}?)\\s*:?$`,
  'iu',
);

/** `星空モビリティについて` → group 1 = the subject. */
export const ABOUT_SUFFIX_HEADING = new RegExp(`^(\\S.{0,118}?)\\s*(?:${alternation(all('aboutSuffixes'))})\\s*:?$`, 'u');

/** `Media Contact:`, `Pressekontakt: Jane Doe` → group 1 = whatever follows the heading on its line. */
export const CONTACT_HEADING = new RegExp(`^(?:${alternation(all('contactHeadings'))})\\s*(?::\\s*(.*))?$`, 'iu');

/** `EMBARGOED UNTIL 9:00 a.m. EST …`, `SPERRFRIST: …` → group 1 = the time expression. */
export const EMBARGO_LINE = new RegExp(`^\\W{0,3}(?:${alternation(all('embargoLabels'))})\\b\\s*:?\\s*(\\S.*)$`, 'iu');

/** A line that only instructs editors: `FOR IMMEDIATE RELEASE`, `PRESSEMITTEILUNG`. */
export const RELEASE_INSTRUCTION = new RegExp(`^(?:${alternation(all('releaseInstructions'))})\\s*[.:]?$`, 'iu');

/** Verbs that may follow a wire's name at the start of its boilerplate paragraph. */
export const WIRE_BOILERPLATE_VERBS: readonly string[] = [...new Set(all('wireBoilerplateVerbs'))];

/** Trailing end marks of a wire release: `###`, `# # #`, `-30-`. */
export const END_MARK = /^(?:#\s*#\s*#|-\s*30\s*-|\*\s*\*\s*\*)$/u;
