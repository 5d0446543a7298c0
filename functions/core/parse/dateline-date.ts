/**
 * The calendar day of a dateline, read from how the wire languages write it: `Nov. 20, 2026`,
 * `20. November 2026`, `20 de noviembre de 2026`, `2026年11月20日`, `2026년 11월 20일`,
 * `ngày 20 tháng 11 năm 2026`, `20 ноября 2026 года`, `20 نوفمبر 2026`, Thai `20 พฤศจิกายน 2569`
 * (Buddhist era). Renderers print the day in each target language's own form (Intl.DateTimeFormat);
 * an unreadable date stays as written and is simply not localized.
 */

/** Month names (and their usual abbreviations, matched as prefixes of at least three letters). */
const MONTHS: readonly (readonly string[])[] = [
  ['jan', 'janv', 'januar', 'janvier', 'enero', 'janeiro', 'januari', 'januari', 'январ', 'янв', 'يناير', 'كانون الثاني', 'มกราคม', 'ม.ค.'],
  ['feb', 'févr', 'fév', 'februar', 'février', 'febrero', 'fevereiro', 'februari', 'februari', 'феврал', 'фев', 'فبراير', 'شباط', 'กุมภาพันธ์', 'ก.พ.'],
  ['mar', 'mär', 'märz', 'mars', 'marzo', 'março', 'maret', 'mac', 'март', 'мар', 'مارس', 'آذار', 'มีนาคม', 'มี.ค.'],
  ['apr', 'avr', 'april', 'avril', 'abril', 'апрел', 'апр', 'أبريل', 'نيسان', 'เมษายน', 'เม.ย.'],
  ['may', 'mai', 'mayo', 'maio', 'mei', 'мая', 'май', 'مايو', 'أيار', 'พฤษภาคม', 'พ.ค.'],
  ['jun', 'juni', 'juin', 'junio', 'junho', 'jun', 'июн', 'يونيو', 'حزيران', 'มิถุนายน', 'มิ.ย.'],
  ['jul', 'juli', 'juil', 'juillet', 'julio', 'julho', 'julai', 'июл', 'يوليو', 'تموز', 'กรกฎาคม', 'ก.ค.'],
  ['aug', 'août', 'agosto', 'agustus', 'ogos', 'август', 'авг', 'أغسطس', 'آب', 'สิงหาคม', 'ส.ค.'],
  ['sep', 'sept', 'september', 'septembre', 'septiembre', 'setembro', 'сентябр', 'сен', 'سبتمبر', 'أيلول', 'กันยายน', 'ก.ย.'],
  ['oct', 'okt', 'oktober', 'octobre', 'octubre', 'outubro', 'октябр', 'окт', 'أكتوبر', 'تشرين الأول', 'ตุลาคม', 'ต.ค.'],
  ['nov', 'november', 'novembre', 'noviembre', 'novembro', 'нояб', 'ноябр', 'نوفمبر', 'تشرين الثاني', 'พฤศจิกายน', 'พ.ย.'],
  ['dec', 'dez', 'déc', 'dezember', 'décembre', 'diciembre', 'dezembro', 'desember', 'disember', 'декабр', 'дек', 'ديسمبر', 'كانون الأول', 'ธันวาคม', 'ธ.ค.'],
];

function monthOf(word: string): number | undefined {
  const lower = word.toLowerCase().replace(/\.$/u, '');
  if (lower.length < 3) return undefined;
  // Longest name first, so that `mar` (March) does not take `marzo`… all the same month anyway,
  // but `jun`/`jul` must not be read from each other: exact prefixes of the written word.
  let best: { month: number; length: number } | undefined;
  MONTHS.forEach((names, index) => {
    for (const name of names) {
      const bare = name.replace(/\.$/u, '');
      if ((lower.startsWith(bare) || bare.startsWith(lower)) && (!best || bare.length > best.length)) best = { month: index + 1, length: bare.length };
    }
  });
  return best?.month;
}

const iso = (year: number, month: number, day: number): string | undefined => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.toISOString().slice(0, 10) : undefined;
};

/** `YYYY-MM-DD` of a dateline date as written, or undefined when it cannot be read with certainty. */
export function datelineDay(written: string): string | undefined {
  const text = written.normalize('NFC').trim();
  // 2026年11月20日, 2026년 11월 20일, 2026/11/20
  const ymd = /(\d{4})\s*[年년/.-]\s*(\d{1,2})\s*[月월/.-]\s*(\d{1,2})/u.exec(text);
  if (ymd) return iso(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  // ngày 20 tháng 11 năm 2026
  const vi = /(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm|,)?\s+(\d{4})/iu.exec(text);
  if (vi) return iso(Number(vi[3]), Number(vi[2]), Number(vi[1]));
  const yearMatch = /(\d{4})/u.exec(text);
  if (!yearMatch) return undefined;
  let year = Number(yearMatch[1]);
  // Thai dates count years in the Buddhist era (2569 = 2026).
  if (/\p{Script=Thai}/u.test(text) && year > 2400) year -= 543;
  const words = text
    .replace(/\d{4}/u, ' ')
    .split(/[\s,]+/u)
    .filter(Boolean);
  let month: number | undefined;
  for (const word of words) {
    if (/\d/u.test(word)) continue;
    month ??= monthOf(word);
  }
  // Two-word Arabic Levantine names (`تشرين الثاني`).
  month ??= MONTHS.findIndex((names) => names.some((name) => name.includes(' ') && text.includes(name))) + 1 || undefined;
  const day = /(?<!\d)(\d{1,2})(?!\d)/u.exec(text.replace(/\d{4}/u, ' '));
  return month && day ? iso(year, month, Number(day[1])) : undefined;
}
