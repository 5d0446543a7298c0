/**
 * Figures compared by value, whatever the locale wrote: `1,234.5` = `1.234,5` = `1 234,5`,
 * full-width and Arabic-Indic digits, scale words (`$1.2 billion` = `1,2 Mrd. US-Dollar` =
 * `12億ドル` = `1.2 พันล้าน`), ranges (`10–15 %`) and the currency an amount is in.
 *
 * A number whose only separator is followed by exactly three digits (`1,234`, `1.234`) is
 * ambiguous between a thousands group and a decimal: it keeps both readings, and two figures
 * match when any reading agrees. A changed digit never reads the same either way.
 */
import { escapeRegExp } from '../text';

/** Digits of other scripts mapped to ASCII (NFKC already folds full-width digits). */
const DIGIT_BLOCKS = [0x0660, 0x06f0, 0x0e50, 0x0966, 0x09e6, 0x1040];

/**
 * ASCII digits and separators for any script's digits (full-width, Arabic-Indic, Thai), with the
 * string's length unchanged, so offsets found in the result point into the original.
 */
export function normalizeDigits(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const block = DIGIT_BLOCKS.find((start) => code >= start && code <= start + 9);
    let mapped: string;
    if (block !== undefined) mapped = String(code - block);
    else if (code >= 0xff10 && code <= 0xff19) mapped = String(code - 0xff10);
    else if (char === '，') mapped = ',';
    else if (char === '．') mapped = '.';
    else if (char === '％' || char === '٪') mapped = '%';
    else if (char === '٫') mapped = '.';
    else if (char === '٬') mapped = ',';
    else mapped = char;
    // Keep one UTF-16 unit per input unit: offsets stay valid.
    out += mapped.length === char.length ? mapped : mapped + ' '.repeat(char.length - mapped.length);
  }
  return out;
}

/** A figure found in a text: its possible values and where it is. */
export interface Figure {
  /** The figure as written, with its scale word: `1,2 Mrd.`, `12億`. */
  text: string;
  start: number;
  end: number;
  /** Every reading of the figure (two for an ambiguous `1.234`). */
  values: number[];
  /** The scale word's factor (1 without one): `1億2000万` sums parts of falling scale. */
  scale: number;
}

const language = (tag: string): string => tag.split('-')[0]!.toLowerCase();
const CJK_SCALES = new Set(['ja', 'zh', 'ko', 'th']);

/**
 * Scale words by language, beyond what Intl's compact notation gives (plural forms, abbreviations
 * wires use). Prefix-matched on words, so `миллиард` covers `миллиарда`, `миллиардов`.
 */
const EXTRA_SCALES: Record<string, Array<[string, number]>> = {
  en: [
    ['trillion', 1e12],
    ['billion', 1e9],
    ['million', 1e6],
    ['thousand', 1e3],
    ['bn', 1e9],
    ['mn', 1e6],
    ['mln', 1e6],
  ],
  de: [
    ['billion', 1e12],
    ['bio.', 1e12],
    ['milliarde', 1e9],
    ['mrd.', 1e9],
    ['mrd', 1e9],
    ['million', 1e6],
    ['mio.', 1e6],
    ['mio', 1e6],
    ['tausend', 1e3],
    ['tsd.', 1e3],
  ],
  fr: [
    ['billion', 1e12],
    ['milliard', 1e9],
    ['mrd', 1e9],
    ['md', 1e9],
    ['million', 1e6],
    ['mille', 1e3],
  ],
  es: [
    ['billón', 1e12],
    ['billones', 1e12],
    ['mil millones', 1e9],
    ['millardo', 1e9],
    ['millón', 1e6],
    ['millones', 1e6],
    ['mil', 1e3],
  ],
  pt: [
    ['trilhão', 1e12],
    ['trilhões', 1e12],
    ['mil milhões', 1e9],
    ['bilhão', 1e9],
    ['bilhões', 1e9],
    ['milhão', 1e6],
    ['milhões', 1e6],
    ['mil', 1e3],
  ],
  ru: [
    ['триллион', 1e12],
    ['трлн', 1e12],
    ['миллиард', 1e9],
    ['млрд', 1e9],
    ['миллион', 1e6],
    ['млн', 1e6],
    ['тысяч', 1e3],
    ['тыс.', 1e3],
    ['тыс', 1e3],
  ],
  id: [
    ['triliun', 1e12],
    ['miliar', 1e9],
    ['milyar', 1e9],
    ['juta', 1e6],
    ['ribu', 1e3],
  ],
  ms: [
    ['trilion', 1e12],
    ['bilion', 1e9],
    ['billion', 1e9],
    ['juta', 1e6],
    ['ribu', 1e3],
  ],
  vi: [
    ['nghìn tỷ', 1e12],
    ['tỷ', 1e9],
    ['tỉ', 1e9],
    ['triệu', 1e6],
    ['nghìn', 1e3],
    ['ngàn', 1e3],
  ],
  th: [
    ['ล้าน', 1e6],
    ['แสน', 1e5],
    ['หมื่น', 1e4],
    ['พัน', 1e3],
  ],
  ar: [
    ['تريليون', 1e12],
    ['مليار', 1e9],
    ['بليون', 1e9],
    ['مليون', 1e6],
    ['ملايين', 1e6],
    ['ألف', 1e3],
    ['آلاف', 1e3],
  ],
  ja: [
    ['兆', 1e12],
    ['億', 1e8],
    ['万', 1e4],
    ['千', 1e3],
  ],
  zh: [
    ['亿', 1e8],
    ['億', 1e8],
    ['万', 1e4],
    ['萬', 1e4],
    ['千', 1e3],
  ],
  ko: [
    ['조', 1e12],
    ['억', 1e8],
    ['만', 1e4],
    ['천', 1e3],
  ],
};

/**
 * Scale words Intl's compact notation prints for a locale (`Mrd.`, `Milliarden`, `億`, `tỷ`):
 * the factor is what the printed number must be multiplied by to give the value.
 */
function intlScales(tag: string): Array<[string, number]> {
  const found: Array<[string, number]> = [];
  for (const compactDisplay of ['long', 'short'] as const) {
    let format: Intl.NumberFormat;
    try {
      format = new Intl.NumberFormat(tag, { notation: 'compact', compactDisplay, maximumFractionDigits: 0, numberingSystem: 'latn' });
    } catch {
      continue;
    }
    for (let exponent = 3; exponent <= 12; exponent++) {
      for (const leading of [1, 2, 5]) {
        const value = leading * 10 ** exponent;
        const parts = format.formatToParts(value);
        const word = parts
          .filter((p) => p.type === 'compact')
          .map((p) => p.value)
          .join('')
          .trim()
          .toLowerCase();
        const shown = Number(
          parts
            .filter((p) => p.type === 'integer')
            .map((p) => p.value)
            .join(''),
        );
        if (!word || !shown || /\d/.test(word) || (word.length === 1 && /[a-z]/.test(word))) continue;
        found.push([word, value / shown]);
      }
    }
  }
  return found;
}

interface ScaleTable {
  pattern: RegExp;
  factors: Map<string, number>;
}

const scaleTables = new Map<string, ScaleTable>();

function scaleTable(tag: string): ScaleTable {
  // zh-Hant (Taiwan) reads 兆 as 10^12; zh-Hans leaves it out (it also means 10^6 there).
  const key = language(tag) === 'zh' ? tag : language(tag);
  let table = scaleTables.get(key);
  if (table) return table;
  const factors = new Map<string, number>();
  // Hand entries win over Intl's (German `Billion` is 10^12, not an English billion).
  for (const [word, factor] of [...intlScales(tag), ...(EXTRA_SCALES[language(tag)] ?? [])]) factors.set(word.toLowerCase(), factor);
  const words = [...factors.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  // Languages written with spaces: a scale word starts a word (`Mio.` not `Mion`); its endings
  // (plural, case) are allowed. Scripts without spaces take the word as it comes.
  const tail = CJK_SCALES.has(language(tag)) ? '' : '\\p{L}*\\.?';
  const alternation = words.length > 0 ? words.join('|') : '(?!)';
  table = { pattern: new RegExp(`^[\\s\\u00a0\\u202f]*(${alternation})${tail}`, 'iu'), factors };
  scaleTables.set(key, table);
  return table;
}

// A number: space-grouped (`1 234 567,5`, `1 234`) or grouped/decimal with , . ' (`1,234.5`).
const NUMBER = /(?<![\d.,])(?:\d{1,3}(?:[\u00a0\u202f ']\d{3})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,’']\d+)*)/gu;

/** Readings of one number as written (see the module header). */
export function readNumber(raw: string): number[] {
  const compact = raw.replace(/[\u00a0\u202f ']/g, '').replace(/’/g, '');
  const separators = [...compact.matchAll(/[.,]/g)].map((m) => m[0]);
  const kinds = new Set(separators);
  if (kinds.size === 0) return [Number(compact)];
  if (kinds.size === 2) {
    const decimal = compact.at(Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(',')));
    const group = decimal === '.' ? ',' : '.';
    return [Number(compact.split(group).join('').replace(decimal!, '.'))];
  }
  const [separator] = kinds;
  const groups = compact.split(separator!);
  if (groups.length > 2) return [Number(groups.join(''))];
  const [whole, fraction] = groups as [string, string];
  const asDecimal = Number(`${whole}.${fraction}`);
  if (fraction.length !== 3 || whole === '0' || whole.length > 3) return [asDecimal];
  return [Number(whole + fraction), asDecimal];
}

/**
 * Finds the figures in a text written in `tag`'s language. Spans listed in `skip` (protected
 * items, dates) are left out. CJK compounds (`1億2000万`, `1조 2천억`) are summed into one figure.
 */
export function findFigures(text: string, tag: string, skip: ReadonlyArray<{ start: number; end: number }> = []): Figure[] {
  const normalized = normalizeDigits(text);
  const table = scaleTable(tag);
  const figures: Figure[] = [];
  for (const match of normalized.matchAll(NUMBER)) {
    const start = match.index;
    let end = start + match[0].length;
    if (skip.some((s) => start < s.end && end > s.start)) continue;
    let values = readNumber(match[0]);
    let scale = 1;
    // A chain of scale words multiplies: `พันล้าน` = thousand × million, `천억` = 1000 × 10^8.
    for (let rest = normalized.slice(end), step = table.pattern.exec(rest); step; rest = normalized.slice(end), step = table.pattern.exec(rest)) {
      const factor = table.factors.get(step[1]!.toLowerCase());
      if (factor === undefined) break;
      scale *= factor;
      end += step[0].length;
    }
    if (scale !== 1) values = values.map((v) => round(v * scale));
    // Thai years are often written in the Buddhist era (2569 = 2026).
    if (language(tag) === 'th' && scale === 1 && /^\d{4}$/.test(match[0]) && values[0]! >= 2400 && values[0]! <= 2700) values = [...values, values[0]! - 543];
    const previous = figures.at(-1);
    const gap = previous ? normalized.slice(previous.end, start) : '';
    if (previous && previous.scale > 1 && CJK_SCALES.has(language(tag)) && /^ ?$/.test(gap) && scale < previous.scale) {
      // `1億2000万`: the smaller part adds to the larger.
      previous.values = previous.values.flatMap((a) => values.map((b) => round(a + b)));
      previous.end = end;
      previous.text = text.slice(previous.start, end);
      previous.scale = scale;
      continue;
    }
    figures.push({ text: text.slice(start, end), start, end, values, scale });
  }
  return figures;
}

const round = (value: number): number => Number(value.toPrecision(12));

function sameValue(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

export interface FigureComparison {
  /** Source figures with no translated figure of the same value. */
  missing: Figure[];
  /** Translated figures with no source figure of the same value. */
  extra: Figure[];
}

/** Pairs figures of equal value; what is left on either side is missing or extra. */
export function compareFigures(source: readonly Figure[], translation: readonly Figure[]): FigureComparison {
  const unused = [...translation];
  const missing: Figure[] = [];
  // Unambiguous figures first, so an ambiguous one cannot take their partner.
  for (const figure of [...source].sort((a, b) => a.values.length - b.values.length)) {
    const index = unused.findIndex((candidate) => candidate.values.some((v) => figure.values.some((w) => sameValue(v, w))));
    if (index === -1) missing.push(figure);
    else unused.splice(index, 1);
  }
  missing.sort((a, b) => a.start - b.start);
  return { missing, extra: unused };
}

// ---------------------------------------------------------------------------------------------
// Currencies

/** Currency families: `$` is any dollar, `¥` yen or yuan; a changed family is a changed amount. */
const CURRENCY_CODES: Record<string, string[]> = {
  dollar: ['USD', 'CAD', 'AUD', 'HKD', 'SGD', 'TWD', 'NZD'],
  euro: ['EUR'],
  pound: ['GBP'],
  yen: ['JPY', 'CNY'],
  won: ['KRW'],
  rupiah: ['IDR'],
  ringgit: ['MYR'],
  baht: ['THB'],
  dong: ['VND'],
  ruble: ['RUB'],
  franc: ['CHF'],
  real: ['BRL'],
  rupee: ['INR'],
  riyal: ['SAR', 'AED', 'QAR'],
};

/** Words and symbols besides Intl's names: the short forms translations use (`ドル`, `달러`, `美元`). */
const CURRENCY_WORDS: Record<string, string[]> = {
  dollar: ['$', 'US$', 'dollar', 'dólar', 'dólares', 'dollars', 'dolar', 'đô la', 'ドル', '달러', '美元', '美金', 'دولار', 'доллар', 'ดอลลาร์'],
  euro: ['€', 'euro', 'euros', 'евро', 'ユーロ', '유로', '欧元', '歐元', 'يورو', 'ยูโร'],
  pound: ['£', 'pound', 'pfund', 'libra', 'livre', 'фунт', 'ポンド', '파운드', '英镑', '英鎊', 'جنيه', 'ปอนด์'],
  yen: ['¥', '￥', '円', 'yen', 'иен', '엔', '日元', '日圓', 'ین', 'ين', 'เยน', 'yuan', 'юан', '元', '人民币', '人民幣', 'RMB', '위안', 'nhân dân tệ', 'หยวน'],
  won: ['₩', '원', 'won', 'вон', 'ウォン', '韩元', '韓元', 'วอน'],
  rupiah: ['Rp', 'rupiah'],
  ringgit: ['RM', 'ringgit'],
  baht: ['฿', 'บาท', 'baht'],
  dong: ['₫', 'đồng', 'VNĐ'],
  ruble: ['₽', 'руб', 'рубл', 'ruble', 'rouble', 'rubel', 'rublo'],
  franc: ['franc', 'franken', 'franco'],
  real: ['R$', 'real', 'reais'],
  rupee: ['₹', 'rupee', 'rupia'],
  riyal: ['riyal', 'dirham', 'ريال', 'درهم'],
};

let currencyPattern: { pattern: RegExp; family: Map<string, string> } | undefined;

function currencyMatcher(): { pattern: RegExp; family: Map<string, string> } {
  if (currencyPattern) return currencyPattern;
  const family = new Map<string, string>();
  for (const [name, words] of Object.entries(CURRENCY_WORDS)) for (const word of words) family.set(word.toLowerCase(), name);
  for (const [name, codes] of Object.entries(CURRENCY_CODES)) {
    for (const code of codes) {
      family.set(code.toLowerCase(), name);
      for (const { tag } of [
        { tag: 'en' },
        { tag: 'de' },
        { tag: 'fr' },
        { tag: 'es' },
        { tag: 'pt' },
        { tag: 'ru' },
        { tag: 'ja' },
        { tag: 'ko' },
        { tag: 'zh-Hans' },
        { tag: 'zh-Hant' },
        { tag: 'vi' },
        { tag: 'th' },
        { tag: 'id' },
        { tag: 'ms' },
        { tag: 'ar' },
      ]) {
        const display = new Intl.DisplayNames(tag, { type: 'currency' }).of(code);
        if (display && display !== code) family.set(display.toLowerCase(), name);
        const symbol = new Intl.NumberFormat(tag, { style: 'currency', currency: code }).formatToParts(1).find((p) => p.type === 'currency')?.value;
        if (symbol && symbol.length > 1) family.set(symbol.toLowerCase(), name);
      }
    }
  }
  const words = [...family.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  currencyPattern = { pattern: new RegExp(words.join('|'), 'giu'), family };
  return currencyPattern;
}

/** How far (in characters) a currency may stand from its amount: `US$ 1.2`, `1,2 Mrd. US-Dollar`. */
const CURRENCY_REACH = 4;

/**
 * The currency families of the amounts in a text: a currency word or symbol counts only next to a
 * figure, so `원` in `직원` (employee) or `real` in `real-time` is not a currency.
 */
export function currenciesNear(text: string, figures: readonly Figure[]): Set<string> {
  const { pattern, family } = currencyMatcher();
  const found = new Set<string>();
  for (const match of text.matchAll(pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    const before = text[start - 1] ?? ' ';
    const after = text[end] ?? ' ';
    // A Latin-letter word must stand alone (`real` not in `realize`).
    if (/^[a-z]/i.test(match[0]) && (/\p{L}/u.test(before) || (/\p{L}/u.test(after) && !/^(?:us|rp|rm)$/i.test(match[0])))) continue;
    const near = figures.some((f) => (start >= f.end && start - f.end <= CURRENCY_REACH) || (f.start >= end && f.start - end <= CURRENCY_REACH));
    if (near) found.add(family.get(match[0].toLowerCase())!);
  }
  return found;
}
