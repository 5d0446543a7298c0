/**
 * Dates, times and weekdays read as values in any of the wire's languages: `December 5, 2026` =
 * `5. Dezember 2026` = `5 декабря 2026 г.` = `2026年12月5日` = `ngày 5 tháng 12 năm 2026` =
 * `5 ธันวาคม 2569` (Thai Buddhist year). Month and weekday names come from Intl.DateTimeFormat
 * for each locale (standalone and in-date forms, long and short), not from hand tables.
 */
import { escapeRegExp } from '../text';
import { normalizeDigits } from './figures';

export interface DateValue {
  year?: number;
  month: number;
  day?: number;
  text: string;
  start: number;
  end: number;
  /** Written with digits only (`05.12.2026`): day and month may be read either way round. */
  numeric?: boolean;
}

export interface TimeValue {
  /** Minutes after midnight. */
  minutes: number;
  /** Whether a.m./p.m. (午後, 오후, 下午) or a 24-hour form fixed the half of the day. */
  fixed: boolean;
  text: string;
  start: number;
  end: number;
}

export interface WeekdayValue {
  /** 0 = Sunday. */
  weekday: number;
  text: string;
  start: number;
  end: number;
}

export interface Temporal {
  dates: DateValue[];
  times: TimeValue[];
  weekdays: WeekdayValue[];
}

const language = (tag: string): string => tag.split('-')[0]!.toLowerCase();

/** Locales whose names a language's texts use: Arabic has Egyptian-style and Levantine month names. */
function localesOf(tag: string): string[] {
  switch (language(tag)) {
    case 'ar':
      return ['ar', 'ar-SY', 'ar-MA'];
    case 'th':
      return ['th-u-ca-gregory'];
    case 'pt':
      return ['pt', 'pt-PT'];
    default:
      return [tag];
  }
}

interface NameTable {
  months: Map<string, number>;
  weekdays: Map<string, number>;
  monthPattern?: RegExp;
  weekdayPattern?: RegExp;
}

const tables = new Map<string, NameTable>();
const NO_SPACE = new Set(['ja', 'zh', 'ko', 'th']);

function namesOf(tag: string): NameTable {
  const key = language(tag) === 'zh' ? tag : language(tag);
  const cached = tables.get(key);
  if (cached) return cached;
  const months = new Map<string, number>();
  const weekdays = new Map<string, number>();
  const clean = (value: string): string => value.toLowerCase().replace(/\.$/, '').trim();
  for (const locale of localesOf(tag)) {
    for (let month = 1; month <= 12; month++) {
      const date = new Date(Date.UTC(2026, month - 1, 15));
      for (const width of ['long', 'short'] as const) {
        const standalone = new Intl.DateTimeFormat(locale, { month: width, timeZone: 'UTC' }).format(date);
        const inDate = new Intl.DateTimeFormat(locale, { day: 'numeric', month: width, timeZone: 'UTC' }).formatToParts(date).find((p) => p.type === 'month')?.value;
        for (const name of [standalone, inDate]) {
          // Numeric months (`12月`, `12월`) are read by the CJK pattern; a 1–2 letter name is too ambiguous.
          if (name && !/^\d+\D?$/.test(name) && [...clean(name)].length >= 3) months.set(clean(name), month);
        }
      }
    }
    for (let day = 0; day < 7; day++) {
      const date = new Date(Date.UTC(2026, 0, 4 + day)); // 4 January 2026 was a Sunday
      const name = clean(new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date));
      weekdays.set(name, day);
      // Russian weekdays decline (`в среду`): match on the stem.
      if (language(tag) === 'ru') weekdays.set(name.slice(0, -1), day);
      // Thai `วันจันทร์` is also written `จันทร์`.
      if (language(tag) === 'th' && name.startsWith('วัน')) weekdays.set(name.slice(3), day);
    }
  }
  const table: NameTable = { months, weekdays };
  const boundary = NO_SPACE.has(language(tag)) ? { before: '', after: '' } : { before: '(?<![\\p{L}])', after: '\\.?(?![\\p{L}])' };
  const alternation = (names: Iterable<string>): string =>
    [...names]
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join('|');
  if (months.size > 0) table.monthPattern = new RegExp(`${boundary.before}(${alternation(months.keys())})${boundary.after}`, 'giu');
  // Weekdays may decline in Russian: allow an ending there.
  const weekdayAfter = language(tag) === 'ru' ? '\\p{L}?(?![\\p{L}])' : boundary.after;
  if (weekdays.size > 0) table.weekdayPattern = new RegExp(`${boundary.before}(${alternation(weekdays.keys())})${weekdayAfter}`, 'giu');
  tables.set(key, table);
  return table;
}

const DAY_BEFORE = /(?<!\d)(\d{1,2})(?:\.|er|º|ª)?(?:\s+de|\s+tháng)?[\s\u00a0]*$/u;
const DAY_AFTER = /^[\s\u00a0]*(\d{1,2})(?!\d)(?:st|nd|rd|th)?,?/u;
const YEAR_AFTER = /^[\s\u00a0]*,?[\s\u00a0]*(?:de\s+|del\s+|năm\s+|ปี\s*|พ\.ศ\.\s*|ค\.ศ\.\s*)?(\d{4})(?!\d)(?:\s*г\.|\s*года|\s*год)?/u;

/**
 * Reads the dates, times and weekdays of a text written in `tag`'s language.
 *
 * @example
 * findTemporal('Am 5. Dezember 2026 um 10:00 Uhr', 'de').dates; // [{ year: 2026, month: 12, day: 5, … }]
 */
export function findTemporal(text: string, tag: string): Temporal {
  const normalized = normalizeDigits(text);
  const lower = normalized.toLowerCase();
  const names = namesOf(tag);
  const dates: DateValue[] = [];
  const taken: Array<{ start: number; end: number }> = [];
  const free = (start: number, end: number): boolean => !taken.some((t) => start < t.end && end > t.start);
  const add = (value: Omit<DateValue, 'text'>): void => {
    if (!free(value.start, value.end)) return;
    if (value.month < 1 || value.month > 12 || (value.day !== undefined && (value.day < 1 || value.day > 31))) return;
    dates.push({ ...value, text: text.slice(value.start, value.end) });
    taken.push({ start: value.start, end: value.end });
  };

  // ISO dates first, then the CJK numeric forms, then month names.
  for (const m of normalized.matchAll(/(?<!\d)(\d{4})(?:-|\/|\.\s?)(\d{1,2})(?:-|\/|\.\s?)(\d{1,2})(?!\d)\.?/g)) {
    add({ year: +m[1]!, month: +m[2]!, day: +m[3]!, start: m.index, end: m.index + m[0].length });
  }
  for (const m of normalized.matchAll(/(?:(\d{4})\s*(?:年|년)\s*)?(\d{1,2})\s*(?:月|월)(?:\s*(\d{1,2})\s*(?:日|号|號|일))?/g)) {
    add({ ...(m[1] ? { year: +m[1] } : {}), month: +m[2]!, ...(m[3] ? { day: +m[3] } : {}), start: m.index, end: m.index + m[0].length });
  }
  if (names.monthPattern) {
    for (const m of lower.matchAll(names.monthPattern)) {
      const month = names.months.get(m[1]!.replace(/\.$/, ''));
      if (month === undefined) continue;
      let start = m.index;
      let end = m.index + m[0].length;
      let day: number | undefined;
      const before = DAY_BEFORE.exec(normalized.slice(Math.max(0, start - 12), start));
      const after = DAY_AFTER.exec(normalized.slice(end));
      const dayFirst = language(tag) !== 'en' || !after;
      if (dayFirst && before) {
        day = +before[1]!;
        start -= before[0].length;
        // Vietnamese `ngày 5 tháng 12`: the month name already holds `tháng`.
      } else if (after && !/^\s*\d{3,}/.test(normalized.slice(end))) {
        day = +after[1]!;
        end += after[0].length;
      }
      const year = YEAR_AFTER.exec(normalized.slice(end));
      if (year) end += year[0].length;
      // A month name alone is too often a word (`may`, `mar` = sea in Spanish): a date needs a day or a year.
      if (day === undefined && !year) continue;
      add({ ...(year ? { year: +year[1]! } : {}), month, ...(day === undefined ? {} : { day }), start, end });
    }
  }
  // Numeric day.month.year (`05.12.2026`, `5/12/2026`): kept as read day-first; compared both ways.
  for (const m of normalized.matchAll(/(?<![\d.,/])(\d{1,2})[\u200e\u200f\u061c]?([./])(\d{1,2})[\u200e\u200f\u061c]?\2(\d{4})(?![\d])/g)) {
    add({ year: +m[4]!, month: +m[3]!, day: +m[1]!, numeric: true, start: m.index, end: m.index + m[0].length });
  }

  const times: TimeValue[] = [];
  const addTime = (hours: number, minutes: number, marker: string | undefined, start: number, end: number): void => {
    if (!free(start, end) || hours > 24 || minutes > 59) return;
    let h = hours;
    const pm = marker !== undefined && /^(?:p|午後|下午|오후)/i.test(marker);
    const am = marker !== undefined && !pm;
    if (pm && h < 12) h += 12;
    if (am && h === 12) h = 0;
    times.push({ minutes: h * 60 + minutes, fixed: marker !== undefined || hours > 12 || hours === 0, text: text.slice(start, end), start, end });
    taken.push({ start, end });
  };
  for (const m of normalized.matchAll(/(午前|午後|上午|下午|오전|오후)?\s*(\d{1,2})\s*(?:時|时|点|點|시)(?:\s*(\d{1,2})\s*(?:分|분))?/g)) {
    addTime(+m[2]!, m[3] ? +m[3] : 0, m[1], m.index, m.index + m[0].length);
  }
  // `pukul 10.00` (Indonesian, Malay), `lúc 10.00`, `10.00 Uhr`, `10.00 น.`: a dot between hours and minutes.
  for (const m of normalized.matchAll(/(?:(?:pukul|jam|lúc)\s+)(\d{1,2})[.:](\d{2})(?!\d)/giu)) {
    const offset = m[0].search(/\d/);
    addTime(+m[1]!, +m[2]!, undefined, m.index + offset, m.index + m[0].length);
  }
  for (const m of normalized.matchAll(/(?<![\d.,:])(\d{1,2})(?::(\d{2})|\s?h\s?(\d{2})?(?![\p{L}])|\.(\d{2})(?=\s*(?:uhr|น\.)))?\s*(a\.?\s?m\.?|p\.?\s?m\.?|uhr|น\.)?/giu)) {
    const hasClock = m[2] !== undefined || m[3] !== undefined || m[4] !== undefined || /h/i.test(m[0]);
    const marker = m[5]?.toLowerCase();
    const meridiem = marker && /^[ap]/.test(marker) ? marker : undefined;
    if (!hasClock && !marker) continue;
    const minutes = +(m[2] ?? m[3] ?? m[4] ?? 0);
    addTime(+m[1]!, minutes, meridiem, m.index, m.index + m[0].trimEnd().length);
  }

  const weekdays: WeekdayValue[] = [];
  if (names.weekdayPattern) {
    for (const m of lower.matchAll(names.weekdayPattern)) {
      const weekday = names.weekdays.get(m[1]!);
      if (weekday === undefined) continue;
      weekdays.push({ weekday, text: text.slice(m.index, m.index + m[0].length), start: m.index, end: m.index + m[0].length });
    }
  }
  dates.sort((a, b) => a.start - b.start);
  return { dates, times, weekdays };
}

/** Whether two dates are the same day (a year left out on one side, or written in the Thai era, still matches). */
export function sameDate(a: DateValue, b: DateValue): boolean {
  const straight = a.month === b.month && a.day === b.day;
  // `05/12/2026` is 5 December in most languages and May 12 in American English.
  const swapped = (a.numeric === true || b.numeric === true) && a.month === b.day && a.day === b.month;
  if (!straight && !swapped) return false;
  if (a.year === undefined || b.year === undefined) return true;
  return a.year === b.year || Math.abs(a.year - b.year) === 543;
}

/** Whether two times are the same (12 hours apart counts when either side did not say a.m. or p.m.). */
export function sameTime(a: TimeValue, b: TimeValue): boolean {
  if (a.minutes === b.minutes) return true;
  if (a.fixed && b.fixed) return false;
  return Math.abs(a.minutes - b.minutes) === 720;
}

/** Pairs equal items; returns the left-overs of each side. */
export function pairUp<T>(source: readonly T[], translation: readonly T[], same: (a: T, b: T) => boolean): { missing: T[]; extra: T[] } {
  const unused = [...translation];
  const missing: T[] = [];
  for (const item of source) {
    const index = unused.findIndex((candidate) => same(item, candidate));
    if (index === -1) missing.push(item);
    else unused.splice(index, 1);
  }
  return { missing, extra: unused };
}
