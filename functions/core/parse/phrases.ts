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
  /**
   * Headings of the issuer's forward-looking statements / safe-harbor section: kept, translated,
   * and marked as such (boilerplate kind `forward-looking`), never left as body text.
   */
  forwardLookingHeadings: readonly string[];
}

export const PHRASES: Readonly<Record<string, LanguagePhrases>> = {
  en: {
    disclaimers: ['The article is provided by a third-party content provider', 'This article is provided by a third-party content provider', 'The article is provided by a third party', 'Disclaimer:'],
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
    forwardLookingHeadings: [
      'Cautionary Statement Regarding Forward-Looking Statements',
      'Cautionary Note Regarding Forward-Looking Statements',
      'Forward-Looking Statements',
      'Forward-Looking Information',
      'Safe Harbor Statement',
      'Safe Harbor',
    ],
  },
  de: {
    disclaimers: ['Der Artikel wird von einem Drittanbieter bereitgestellt', 'Dieser Artikel wird von einem Drittanbieter bereitgestellt', 'Haftungsausschluss:'],
    categoryLabels: ['Branchen', 'Branche', 'Kategorie', 'Kategorien', 'Rubrik', 'Rubriken', 'Themen'],
    wireBoilerplateVerbs: ['liefert', 'bietet', 'verteilt', 'ist', 'unterstützt'],
    aboutPrefixes: ['Über'],
    contactHeadings: ['Pressekontakte', 'Pressekontakt', 'Medienkontakt', 'Medienkontakte', 'Kontakte', 'Kontakt', 'Ansprechpartner', 'Ansprechpartnerin'],
    embargoLabels: ['SPERRFRIST BIS', 'SPERRFRIST', 'EMBARGO BIS'],
    releaseInstructions: ['ZUR SOFORTIGEN VERÖFFENTLICHUNG', 'ZUR SOFORTIGEN VERÖFFENTLICHUNG FREIGEGEBEN', 'PRESSEMITTEILUNG', 'PRESSEINFORMATION'],
    forwardLookingHeadings: ['Zukunftsgerichtete Aussagen', 'Zukunftsbezogene Aussagen', 'Hinweis zu zukunftsgerichteten Aussagen'],
  },
  fr: {
    disclaimers: ["L'article est fourni par un fournisseur de contenu tiers", 'L’article est fourni par un fournisseur de contenu tiers', 'Cet article est fourni par un tiers', 'Avertissement :'],
    categoryLabels: ['Secteurs', 'Secteur', 'Catégories', 'Catégorie', 'Rubrique', 'Sujets', 'Sujet'],
    wireBoilerplateVerbs: ['fournit', 'offre', 'diffuse', 'distribue', 'est', 'propose'],
    aboutPrefixes: ['À propos de', 'A propos de', 'À propos d’', "À propos d'", 'A propos d’', "A propos d'"],
    contactHeadings: ['Contacts presse', 'Contact presse', 'Contacts médias', 'Contact médias', 'Relations presse', 'Contacts', 'Contact'],
    embargoLabels: ["SOUS EMBARGO JUSQU'AU", 'SOUS EMBARGO JUSQU’AU', "EMBARGO JUSQU'AU", 'EMBARGO JUSQU’AU'],
    releaseInstructions: ['POUR DIFFUSION IMMÉDIATE', 'POUR PUBLICATION IMMÉDIATE', 'COMMUNIQUÉ DE PRESSE'],
    forwardLookingHeadings: ['Déclarations prospectives', 'Déclarations de nature prospective', 'Énoncés prospectifs'],
  },
  es: {
    disclaimers: ['El artículo es proporcionado por un proveedor de contenido externo', 'Este artículo es proporcionado por un tercero', 'Aviso legal:'],
    categoryLabels: ['Sectores', 'Sector', 'Industrias', 'Categorías', 'Categoría', 'Temas', 'Tema'],
    wireBoilerplateVerbs: ['ofrece', 'proporciona', 'distribuye', 'es', 'brinda'],
    aboutPrefixes: ['Acerca de', 'Sobre'],
    contactHeadings: ['Contacto de prensa', 'Contactos de prensa', 'Contacto para medios', 'Contacto con los medios', 'Contactos', 'Contacto'],
    embargoLabels: ['EMBARGADO HASTA', 'BAJO EMBARGO HASTA', 'EMBARGO HASTA'],
    releaseInstructions: ['PARA PUBLICACIÓN INMEDIATA', 'PARA DIFUSIÓN INMEDIATA', 'COMUNICADO DE PRENSA', 'NOTA DE PRENSA'],
    forwardLookingHeadings: ['Declaraciones prospectivas', 'Declaraciones a futuro', 'Declaraciones sobre el futuro'],
  },
  pt: {
    disclaimers: ['O artigo é fornecido por um fornecedor de conteúdo terceirizado', 'Este artigo é fornecido por um fornecedor de conteúdo terceirizado', 'Aviso legal:'],
    categoryLabels: ['Setores', 'Setor', 'Categorias', 'Categoria', 'Temas'],
    wireBoilerplateVerbs: ['oferece', 'fornece', 'distribui', 'é'],
    aboutPrefixes: ['Sobre a', 'Sobre o', 'Sobre'],
    contactHeadings: ['Contato para a imprensa', 'Contato de imprensa', 'Contatos', 'Contato'],
    embargoLabels: ['EMBARGADO ATÉ', 'EMBARGO ATÉ'],
    releaseInstructions: ['PARA DIVULGAÇÃO IMEDIATA', 'COMUNICADO DE IMPRENSA'],
    forwardLookingHeadings: ['Declarações prospectivas', 'Declarações sobre o futuro', 'Informações prospectivas'],
  },
  ja: {
    disclaimers: ['本記事はサードパーティーのコンテンツプロバイダーによって提供されています', '本記事は第三者のコンテンツプロバイダーによって提供', '本記事は第三者', '免責事項'],
    categoryLabels: ['カテゴリー', 'カテゴリ', '業種', '分野', '業界'],
    wireBoilerplateVerbs: [],
    aboutPrefixes: [],
    aboutSuffixes: ['について', 'とは', 'の概要'],
    contactHeadings: ['報道関係者からのお問い合わせ先', '報道関係者お問い合わせ先', '報道関係者からのお問い合わせ', '本件に関するお問い合わせ先', 'お問い合わせ先', 'お問い合わせ', '問い合わせ先'],
    embargoLabels: ['解禁日時', '報道解禁'],
    releaseInstructions: ['報道関係者各位', 'プレスリリース', '即時発表'],
    forwardLookingHeadings: ['将来見通しに関する記述', '将来予測に関する記述', '将来に関する記述'],
  },
  zh: {
    // Simplified and Traditional in one entry: the classifier matches every entry anyway.
    disclaimers: ['本文由第三方内容提供商提供', '本文由第三方內容提供商提供', '本文由第三方內容供應商提供', '免责声明', '免責聲明'],
    categoryLabels: ['类别', '類別', '行业', '行業', '分类', '分類', '产业', '產業'],
    wireBoilerplateVerbs: [],
    aboutPrefixes: ['关于', '關於'],
    contactHeadings: ['媒体联系人', '媒體聯絡人', '媒体联络', '媒體聯絡', '媒体垂询', '媒體查詢', '联系方式', '聯絡方式', '联系人', '聯絡人'],
    embargoLabels: ['禁发时间', '禁發時間'],
    releaseInstructions: ['新闻稿', '新聞稿', '即时发布', '即時發佈'],
    forwardLookingHeadings: ['前瞻性声明', '前瞻性聲明', '前瞻性陈述', '前瞻性陳述', '安全港声明', '安全港聲明'],
  },
  ko: {
    disclaimers: ['이 기사는 제3자 콘텐츠 제공업체가 제공합니다', '이 기사는 제3자', '면책 조항'],
    categoryLabels: ['분류', '카테고리', '업종', '산업'],
    wireBoilerplateVerbs: [],
    aboutPrefixes: [],
    aboutSuffixes: ['에 대하여', '에 대해', '회사 소개', '소개'],
    contactHeadings: ['미디어 문의처', '미디어 문의', '언론 문의처', '언론 문의', '보도 문의', '언론 연락처', '문의처', '문의'],
    embargoLabels: ['엠바고'],
    releaseInstructions: ['보도자료', '즉시 배포'],
    forwardLookingHeadings: ['미래예측진술', '미래 예측 진술', '예측 정보에 관한 주의 사항'],
  },
  ar: {
    disclaimers: ['يتم توفير المقال من قبل مزود محتوى خارجي', 'يتم توفير هذا المقال من قبل مزود محتوى خارجي', 'المقال مقدم من مزود محتوى خارجي', 'إخلاء المسؤولية'],
    categoryLabels: ['القطاعات', 'القطاع', 'الفئات', 'الفئة', 'التصنيفات', 'التصنيف', 'المجالات'],
    // Arabic puts the verb first (`تقدم SeaPRwire …`): the wire's own paragraph is found by position.
    wireBoilerplateVerbs: [],
    aboutPrefixes: ['نبذة عن', 'حول', 'عن شركة'],
    contactHeadings: ['للتواصل الإعلامي', 'جهة الاتصال الإعلامية', 'جهات الاتصال الإعلامية', 'للاستفسارات الإعلامية', 'للاستفسارات', 'معلومات الاتصال', 'جهات الاتصال', 'جهة الاتصال', 'للتواصل'],
    embargoLabels: ['محظور النشر حتى', 'حظر النشر حتى', 'يحظر النشر قبل'],
    releaseInstructions: ['للنشر الفوري', 'بيان صحفي'],
    forwardLookingHeadings: ['البيانات التطلعية', 'بيانات تطلعية', 'التصريحات التطلعية'],
  },
  th: {
    disclaimers: ['บทความนี้จัดทำโดยผู้ให้บริการเนื้อหาบุคคลที่สาม', 'บทความนี้นำเสนอโดยผู้ให้บริการเนื้อหาภายนอก', 'ข้อจำกัดความรับผิดชอบ'],
    categoryLabels: ['หมวดหมู่', 'อุตสาหกรรม', 'ประเภท'],
    wireBoilerplateVerbs: ['ให้บริการ', 'เป็น', 'สนับสนุน'],
    // Thai writes no space after the word: `เกี่ยวกับบริษัท …`.
    aboutPrefixes: ['เกี่ยวกับ'],
    contactHeadings: ['ติดต่อสื่อมวลชน', 'ข้อมูลติดต่อสื่อมวลชน', 'สอบถามข้อมูลเพิ่มเติม', 'ติดต่อสอบถาม', 'ติดต่อ'],
    embargoLabels: ['ห้ามเผยแพร่ก่อน'],
    releaseInstructions: ['ข่าวประชาสัมพันธ์', 'สำหรับเผยแพร่ทันที'],
    forwardLookingHeadings: ['ข้อความคาดการณ์อนาคต', 'ข้อความที่เป็นการคาดการณ์ในอนาคต'],
  },
  vi: {
    disclaimers: ['Bài viết được cung cấp bởi nhà cung cấp nội dung bên thứ ba', 'Bài viết này được cung cấp bởi', 'Tuyên bố miễn trừ trách nhiệm'],
    categoryLabels: ['Ngành', 'Lĩnh vực', 'Chuyên mục', 'Danh mục'],
    wireBoilerplateVerbs: ['cung cấp', 'phân phối', 'là', 'hỗ trợ'],
    aboutPrefixes: ['Giới thiệu về', 'Về'],
    contactHeadings: ['Liên hệ truyền thông', 'Liên hệ báo chí', 'Thông tin liên hệ', 'Liên hệ'],
    embargoLabels: ['CẤM PHÁT HÀNH TRƯỚC', 'CẤM CÔNG BỐ TRƯỚC'],
    releaseInstructions: ['ĐỂ PHÁT HÀNH NGAY', 'PHÁT HÀNH NGAY', 'THÔNG CÁO BÁO CHÍ'],
    forwardLookingHeadings: ['Tuyên bố hướng tới tương lai', 'Tuyên bố về tương lai', 'Các tuyên bố mang tính dự báo'],
  },
  id: {
    disclaimers: ['Artikel ini disediakan oleh penyedia konten pihak ketiga', 'Artikel disediakan oleh penyedia konten pihak ketiga', 'Penafian'],
    categoryLabels: ['Sektor', 'Industri', 'Kategori', 'Topik'],
    wireBoilerplateVerbs: ['menyediakan', 'menyalurkan', 'mendistribusikan', 'adalah', 'melayani', 'mendukung'],
    aboutPrefixes: ['Tentang'],
    contactHeadings: ['Kontak Media', 'Narahubung Media', 'Narahubung', 'Informasi lebih lanjut', 'Kontak'],
    embargoLabels: ['DIEMBARGO HINGGA', 'EMBARGO HINGGA'],
    releaseInstructions: ['UNTUK SEGERA DIRILIS', 'UNTUK DISIARKAN SEGERA', 'SIARAN PERS'],
    forwardLookingHeadings: ['Pernyataan Berwawasan ke Depan', 'Pernyataan Tentang Masa Depan', 'Pernyataan Prospektif'],
  },
  ms: {
    disclaimers: ['Artikel ini disediakan oleh pembekal kandungan pihak ketiga', 'Artikel disediakan oleh pembekal kandungan pihak ketiga', 'Penafian'],
    categoryLabels: ['Sektor', 'Industri', 'Kategori'],
    wireBoilerplateVerbs: ['menyediakan', 'mengedarkan', 'ialah', 'menyokong'],
    aboutPrefixes: ['Mengenai', 'Tentang'],
    contactHeadings: ['Hubungan Media', 'Untuk pertanyaan media', 'Pertanyaan media', 'Maklumat lanjut', 'Hubungi'],
    embargoLabels: ['EMBARGO SEHINGGA'],
    releaseInstructions: ['UNTUK SIARAN SEGERA', 'KENYATAAN MEDIA'],
    forwardLookingHeadings: ['Kenyataan Pandangan Hadapan', 'Kenyataan Berpandangan ke Hadapan'],
  },
  ru: {
    disclaimers: ['Статья предоставлена сторонним поставщиком контента', 'Эта статья предоставлена сторонним поставщиком', 'Отказ от ответственности'],
    categoryLabels: ['Отрасли', 'Отрасль', 'Категории', 'Категория', 'Рубрика', 'Темы'],
    wireBoilerplateVerbs: ['обеспечивает', 'предоставляет', 'распространяет', 'является', 'поддерживает'],
    aboutPrefixes: ['О компании', 'Об организации', 'О'],
    contactHeadings: ['Контакты для СМИ', 'Контакт для СМИ', 'Контакты для прессы', 'Пресс-служба', 'Контакты', 'Контакт'],
    embargoLabels: ['ЭМБАРГО ДО', 'НЕ ДЛЯ ПУБЛИКАЦИИ ДО'],
    releaseInstructions: ['ДЛЯ НЕМЕДЛЕННОЙ ПУБЛИКАЦИИ', 'ПРЕСС-РЕЛИЗ'],
    forwardLookingHeadings: ['Прогнозные заявления', 'Заявления прогнозного характера', 'Заявления о перспективах'],
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
  // The wires' names in their Chinese and Japanese services.
  美通社: 'PRNewswire',
  商业资讯: 'Business Wire',
  商業資訊: 'Business Wire',
  ビジネスワイヤ: 'Business Wire',
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

/** The label/value colons of the wire languages: ASCII, full-width (CJK) and small (﹕). */
export const LABEL_COLON = '[:：﹕]';

/**
 * `Branchen: Top-Story, Tagesnachrichten`, `業種：エネルギー、地方ニュース`,
 * `القطاعات: الطاقة، الأخبار المحلية` → group 1 = the list.
 */
export const CATEGORY_LINE = new RegExp(`^(?:${alternation(all('categoryLabels'))})\\s*${LABEL_COLON}\\s*(\\S.*)$`, 'iu');

/** Separators of a category list: comma (Latin, Arabic `،`, full-width `，`), ideographic `、`, `;`, `|`. */
export const LIST_SEPARATOR = /\s*[,;|،、，；]\s*/u;

export const DISCLAIMER_START = new RegExp(`^(?:${alternation(all('disclaimers'))})`, 'iu');

/** `About Acme Robotics`, `Über die Muster AG`, `À propos d’Ondine` → group 1 = the subject. */
export const ABOUT_HEADING = new RegExp(
  // Thai writes no space between words: `เกี่ยวกับบริษัท …`.
  `^(?:${alternation(all('aboutPrefixes'))})(?:\\s+|(?<=['’])|(?<=\\p{Script=Thai}))(\\S.{0,118}?)\\s*${LABEL_COLON}?$`,
  'iu',
);

/** `星空モビリティについて` → group 1 = the subject. */
export const ABOUT_SUFFIX_HEADING = new RegExp(`^(\\S.{0,118}?)\\s*(?:${alternation(all('aboutSuffixes'))})\\s*${LABEL_COLON}?$`, 'u');

/** `Media Contact:`, `Pressekontakt: Jane Doe` → group 1 = whatever follows the heading on its line. */
export const CONTACT_HEADING = new RegExp(`^(?:${alternation(all('contactHeadings'))})\\s*(?:${LABEL_COLON}\\s*(.*))?$`, 'iu');

/** `Forward-Looking Statements`, `Safe Harbor Statement:`, `将来見通しに関する記述` as a heading line. */
export const FORWARD_LOOKING_HEADING = new RegExp(`^(?:${alternation(all('forwardLookingHeadings'))})\\s*${LABEL_COLON}?$`, 'iu');

/**
 * The same words opening a paragraph (`Forward-Looking Statements: This release contains …`, or a
 * paragraph whose first sentence says it contains forward-looking statements).
 */
export const FORWARD_LOOKING_START = new RegExp(`^(?:${alternation(all('forwardLookingHeadings'))})\\s*${LABEL_COLON}\\s*\\S`, 'iu');

/** `EMBARGOED UNTIL 9:00 a.m. EST …`, `SPERRFRIST: …` → group 1 = the time expression. */
export const EMBARGO_LINE = new RegExp(`^\\W{0,3}(?:${alternation(all('embargoLabels'))})(?![\\p{L}\\p{N}])\\s*${LABEL_COLON}?\\s*(\\S.*)$`, 'iu');

/** A line that only instructs editors: `FOR IMMEDIATE RELEASE`, `PRESSEMITTEILUNG`. */
export const RELEASE_INSTRUCTION = new RegExp(`^(?:${alternation(all('releaseInstructions'))})\\s*[.:：]?$`, 'iu');

/** Verbs that may follow a wire's name at the start of its boilerplate paragraph. */
export const WIRE_BOILERPLATE_VERBS: readonly string[] = [...new Set(all('wireBoilerplateVerbs'))];

/** Trailing end marks of a wire release: `###`, `# # #`, `-30-`. */
export const END_MARK = /^(?:#\s*#\s*#|-\s*30\s*-|\*\s*\*\s*\*)$/u;
