/**
 * The few interface strings of the pages, in each wire language: a reader of the Arabic page
 * should not meet English chrome. Languages outside the wire's 15 fall back to English.
 */
import { wireLanguage } from '../languages';
import type { SiteConfig } from './paths';

export interface Labels {
  latest: string;
  categories: string;
  otherLanguages: string;
  allLanguages: string;
  mediaContact: string;
  published: string;
  updated: string;
  embargoedUntil: string;
  /** `{engine}` is replaced by the engine's display name. */
  machineTranslated: string;
  pseudoLocalized: string;
  humanTranslated: string;
  readOriginal: string;
  feeds: string;
  noReleases: string;
}

const LABELS: Record<string, Labels> = {
  en: {
    latest: 'Latest releases',
    categories: 'Categories',
    otherLanguages: 'This release in other languages',
    allLanguages: 'All languages',
    mediaContact: 'Media contact',
    published: 'Published',
    updated: 'Updated',
    embargoedUntil: 'Embargoed until',
    machineTranslated: 'Machine translation by {engine}.',
    pseudoLocalized: 'Pseudo-localized test text by {engine}, not a real translation.',
    humanTranslated: 'Translation supplied by the issuer.',
    readOriginal: 'Read the original',
    feeds: 'Feeds',
    noReleases: 'No releases yet.',
  },
  de: {
    latest: 'Neueste Meldungen',
    categories: 'Kategorien',
    otherLanguages: 'Diese Meldung in anderen Sprachen',
    allLanguages: 'Alle Sprachen',
    mediaContact: 'Pressekontakt',
    published: 'Veröffentlicht',
    updated: 'Aktualisiert',
    embargoedUntil: 'Sperrfrist bis',
    machineTranslated: 'Maschinelle Übersetzung durch {engine}.',
    pseudoLocalized: 'Pseudolokalisierter Testtext von {engine}, keine echte Übersetzung.',
    humanTranslated: 'Übersetzung vom Herausgeber bereitgestellt.',
    readOriginal: 'Original lesen',
    feeds: 'Feeds',
    noReleases: 'Noch keine Meldungen.',
  },
  fr: {
    latest: 'Derniers communiqués',
    categories: 'Catégories',
    otherLanguages: 'Ce communiqué dans d’autres langues',
    allLanguages: 'Toutes les langues',
    mediaContact: 'Contact presse',
    published: 'Publié',
    updated: 'Mis à jour',
    embargoedUntil: 'Sous embargo jusqu’au',
    machineTranslated: 'Traduction automatique par {engine}.',
    pseudoLocalized: 'Texte de test pseudo-localisé par {engine}, pas une vraie traduction.',
    humanTranslated: 'Traduction fournie par l’émetteur.',
    readOriginal: 'Lire l’original',
    feeds: 'Flux',
    noReleases: 'Aucun communiqué pour l’instant.',
  },
  es: {
    latest: 'Últimos comunicados',
    categories: 'Categorías',
    otherLanguages: 'Este comunicado en otros idiomas',
    allLanguages: 'Todos los idiomas',
    mediaContact: 'Contacto de prensa',
    published: 'Publicado',
    updated: 'Actualizado',
    embargoedUntil: 'Embargo hasta',
    machineTranslated: 'Traducción automática de {engine}.',
    pseudoLocalized: 'Texto de prueba pseudolocalizado por {engine}; no es una traducción real.',
    humanTranslated: 'Traducción proporcionada por el emisor.',
    readOriginal: 'Leer el original',
    feeds: 'Feeds',
    noReleases: 'Aún no hay comunicados.',
  },
  pt: {
    latest: 'Últimos comunicados',
    categories: 'Categorias',
    otherLanguages: 'Este comunicado em outros idiomas',
    allLanguages: 'Todos os idiomas',
    mediaContact: 'Contato para imprensa',
    published: 'Publicado',
    updated: 'Atualizado',
    embargoedUntil: 'Embargo até',
    machineTranslated: 'Tradução automática por {engine}.',
    pseudoLocalized: 'Texto de teste pseudolocalizado por {engine}; não é uma tradução real.',
    humanTranslated: 'Tradução fornecida pelo emissor.',
    readOriginal: 'Ler o original',
    feeds: 'Feeds',
    noReleases: 'Ainda não há comunicados.',
  },
  ru: {
    latest: 'Последние пресс-релизы',
    categories: 'Категории',
    otherLanguages: 'Этот пресс-релиз на других языках',
    allLanguages: 'Все языки',
    mediaContact: 'Контакты для прессы',
    published: 'Опубликовано',
    updated: 'Обновлено',
    embargoedUntil: 'Эмбарго до',
    machineTranslated: 'Машинный перевод: {engine}.',
    pseudoLocalized: 'Псевдолокализованный тестовый текст ({engine}), не настоящий перевод.',
    humanTranslated: 'Перевод предоставлен эмитентом.',
    readOriginal: 'Читать оригинал',
    feeds: 'Ленты',
    noReleases: 'Пресс-релизов пока нет.',
  },
  ar: {
    latest: 'أحدث البيانات الصحفية',
    categories: 'الفئات',
    otherLanguages: 'هذا البيان بلغات أخرى',
    allLanguages: 'جميع اللغات',
    mediaContact: 'جهة الاتصال الإعلامية',
    published: 'نُشر',
    updated: 'حُدِّث',
    embargoedUntil: 'محظور النشر حتى',
    machineTranslated: 'ترجمة آلية بواسطة {engine}.',
    pseudoLocalized: 'نص اختبار بترجمة زائفة من {engine}، وليس ترجمة حقيقية.',
    humanTranslated: 'ترجمة مقدمة من الجهة المصدرة.',
    readOriginal: 'قراءة النص الأصلي',
    feeds: 'الخلاصات',
    noReleases: 'لا توجد بيانات صحفية بعد.',
  },
  ja: {
    latest: '最新のプレスリリース',
    categories: 'カテゴリー',
    otherLanguages: 'このリリースの他の言語版',
    allLanguages: 'すべての言語',
    mediaContact: '報道関係者のお問い合わせ先',
    published: '公開',
    updated: '更新',
    embargoedUntil: '解禁日時',
    machineTranslated: '{engine}による機械翻訳です。',
    pseudoLocalized: '{engine}による疑似ローカライズのテスト文で、実際の翻訳ではありません。',
    humanTranslated: '発表元が提供した翻訳です。',
    readOriginal: '原文を読む',
    feeds: 'フィード',
    noReleases: 'まだリリースはありません。',
  },
  ko: {
    latest: '최신 보도자료',
    categories: '카테고리',
    otherLanguages: '이 보도자료의 다른 언어 버전',
    allLanguages: '모든 언어',
    mediaContact: '언론 문의',
    published: '게시',
    updated: '업데이트',
    embargoedUntil: '엠바고 해제',
    machineTranslated: '{engine} 기계 번역입니다.',
    pseudoLocalized: '{engine}의 의사 현지화 테스트 텍스트이며 실제 번역이 아닙니다.',
    humanTranslated: '발표자가 제공한 번역입니다.',
    readOriginal: '원문 읽기',
    feeds: '피드',
    noReleases: '아직 보도자료가 없습니다.',
  },
  'zh-Hans': {
    latest: '最新新闻稿',
    categories: '分类',
    otherLanguages: '本新闻稿的其他语言版本',
    allLanguages: '所有语言',
    mediaContact: '媒体联系人',
    published: '发布于',
    updated: '更新于',
    embargoedUntil: '禁发截止',
    machineTranslated: '由 {engine} 机器翻译。',
    pseudoLocalized: '由 {engine} 生成的伪本地化测试文本，并非真实翻译。',
    humanTranslated: '由发布方提供的译文。',
    readOriginal: '阅读原文',
    feeds: '订阅源',
    noReleases: '暂无新闻稿。',
  },
  'zh-Hant': {
    latest: '最新新聞稿',
    categories: '分類',
    otherLanguages: '本新聞稿的其他語言版本',
    allLanguages: '所有語言',
    mediaContact: '媒體聯絡人',
    published: '發布於',
    updated: '更新於',
    embargoedUntil: '禁發截止',
    machineTranslated: '由 {engine} 機器翻譯。',
    pseudoLocalized: '由 {engine} 產生的偽在地化測試文字，並非真實翻譯。',
    humanTranslated: '由發布方提供的譯文。',
    readOriginal: '閱讀原文',
    feeds: '訂閱源',
    noReleases: '尚無新聞稿。',
  },
  vi: {
    latest: 'Thông cáo mới nhất',
    categories: 'Chuyên mục',
    otherLanguages: 'Thông cáo này bằng các ngôn ngữ khác',
    allLanguages: 'Tất cả ngôn ngữ',
    mediaContact: 'Liên hệ báo chí',
    published: 'Đăng lúc',
    updated: 'Cập nhật',
    embargoedUntil: 'Cấm đăng đến',
    machineTranslated: 'Bản dịch máy của {engine}.',
    pseudoLocalized: 'Văn bản thử nghiệm giả bản địa hóa của {engine}, không phải bản dịch thật.',
    humanTranslated: 'Bản dịch do đơn vị phát hành cung cấp.',
    readOriginal: 'Đọc bản gốc',
    feeds: 'Nguồn cấp',
    noReleases: 'Chưa có thông cáo nào.',
  },
  th: {
    latest: 'ข่าวประชาสัมพันธ์ล่าสุด',
    categories: 'หมวดหมู่',
    otherLanguages: 'ข่าวนี้ในภาษาอื่น',
    allLanguages: 'ทุกภาษา',
    mediaContact: 'ติดต่อสื่อมวลชน',
    published: 'เผยแพร่',
    updated: 'อัปเดต',
    embargoedUntil: 'ห้ามเผยแพร่จนถึง',
    machineTranslated: 'แปลด้วยเครื่องโดย {engine}',
    pseudoLocalized: 'ข้อความทดสอบแบบจำลองการแปลจาก {engine} ไม่ใช่คำแปลจริง',
    humanTranslated: 'คำแปลจากผู้ออกข่าว',
    readOriginal: 'อ่านต้นฉบับ',
    feeds: 'ฟีด',
    noReleases: 'ยังไม่มีข่าว',
  },
  id: {
    latest: 'Siaran pers terbaru',
    categories: 'Kategori',
    otherLanguages: 'Siaran pers ini dalam bahasa lain',
    allLanguages: 'Semua bahasa',
    mediaContact: 'Kontak media',
    published: 'Diterbitkan',
    updated: 'Diperbarui',
    embargoedUntil: 'Embargo hingga',
    machineTranslated: 'Terjemahan mesin oleh {engine}.',
    pseudoLocalized: 'Teks uji pseudo-lokalisasi oleh {engine}, bukan terjemahan sebenarnya.',
    humanTranslated: 'Terjemahan disediakan oleh penerbit.',
    readOriginal: 'Baca versi asli',
    feeds: 'Feed',
    noReleases: 'Belum ada siaran pers.',
  },
  ms: {
    latest: 'Siaran akhbar terkini',
    categories: 'Kategori',
    otherLanguages: 'Siaran akhbar ini dalam bahasa lain',
    allLanguages: 'Semua bahasa',
    mediaContact: 'Hubungan media',
    published: 'Diterbitkan',
    updated: 'Dikemas kini',
    embargoedUntil: 'Embargo sehingga',
    machineTranslated: 'Terjemahan mesin oleh {engine}.',
    pseudoLocalized: 'Teks ujian pseudo-penyetempatan oleh {engine}, bukan terjemahan sebenar.',
    humanTranslated: 'Terjemahan disediakan oleh penerbit.',
    readOriginal: 'Baca teks asal',
    feeds: 'Suapan',
    noReleases: 'Belum ada siaran akhbar.',
  },
};

/** Interface strings for a language tag (English outside the wire's languages). */
export function labelsFor(lang: string): Labels {
  const tag = wireLanguage(lang)?.tag;
  return (tag && LABELS[tag]) || LABELS.en!;
}

/**
 * Display name of a translation engine from the site's `engineNames` (the engine registry's
 * display names, given as data: the core knows no engine); an engine without one shows its name.
 */
export function engineDisplayName(engine: string, site: Pick<SiteConfig, 'engineNames'>): string {
  return site.engineNames?.[engine] ?? engine;
}

/** The language's own name when it is a wire language, else the tag itself. */
export function nativeNameOf(lang: string): string {
  return wireLanguage(lang)?.nativeName ?? lang;
}

/** A date in the reader's language, in UTC so the output does not depend on the server's zone. */
export function formatDate(iso: string, lang: string): string {
  return `${dateFormatter(lang).format(new Date(iso))} UTC`;
}

/** Building a formatter costs far more than formatting (an index page formats 50 dates); one per language. */
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

function dateFormatter(lang: string): Intl.DateTimeFormat {
  let formatter = dateFormatters.get(lang);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    } catch {
      formatter = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    }
    // Keys are language tags from releases; bounded so that odd tags cannot grow it without end.
    if (dateFormatters.size < 256) dateFormatters.set(lang, formatter);
  }
  return formatter;
}
