/**
 * Reads embargo and release times as absolute instants. An embargo is a promise to journalists:
 * "09:00" without a zone is three different instants in New York, Berlin and Tokyo, so a time
 * without an explicit zone, offset or zone abbreviation is refused rather than guessed.
 */
import type * as Chrono from 'chrono-node';
import { ParseError, type ErrorLocation } from '../errors';
import { PARSE_ERROR_CODES } from './codes';

type ChronoLocale = Pick<typeof Chrono, 'parse'>;

/**
 * chrono's locales by language; the release's own is tried first, then all of them. chrono-node
 * (every locale's grammar) loads on first use: only a time written in words needs it, an ISO
 * 8601 time with its offset never does.
 */
let locales: Promise<Readonly<Record<string, ChronoLocale>>> | undefined;
function chronoLocales(): Promise<Readonly<Record<string, ChronoLocale>>> {
  locales ??= import('chrono-node').then((chrono) => ({
    en: chrono.en,
    de: chrono.de,
    fr: chrono.fr,
    es: chrono.es,
    pt: chrono.pt,
    ja: chrono.ja,
    zh: chrono.zh,
    ru: chrono.ru,
    vi: chrono.vi,
    id: chrono.id,
    ms: chrono.id,
  }));
  return locales;
}

/** A reference date only anchors expressions without a year; uploads are expected to carry one. */
const REFERENCE = new Date('2026-01-01T00:00:00Z');

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

export interface InstantOptions {
  /** What the value is, for messages: `embargo`, `date`. */
  what: 'embargo' | 'date' | 'publishAt';
  location: ErrorLocation;
  /** The release's language if known; its chrono locale is tried first. */
  language?: string;
  /** For `date` only: a bare `2026-11-20` is taken as midnight UTC. */
  allowDateOnly?: boolean;
}

/**
 * Parses a time expression into ISO 8601 with the offset it was written in
 * (`November 20, 2026 9:00 a.m. EST` → `2026-11-20T09:00:00-05:00`).
 *
 * @throws ParseError `INVALID_EMBARGO` / `INVALID_DATE`, saying whether the zone is missing or the text unreadable.
 */
export async function parseInstant(value: unknown, options: InstantOptions): Promise<string> {
  const code = options.what !== 'date' ? PARSE_ERROR_CODES.INVALID_EMBARGO : PARSE_ERROR_CODES.INVALID_DATE;
  const example = 'e.g. `2026-11-20T09:00:00-05:00` or `November 20, 2026 9:00 a.m. EST`';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new ParseError(code, `the ${options.what} is not a valid time`, options.location, `write it with a zone, ${example}`);
    return value.toISOString().replace('.000Z', 'Z');
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ParseError(code, `the ${options.what} must be a text with date, time and zone, not ${JSON.stringify(value)}`, options.location, `write it as ${example}`);
  }
  const text = value.trim();
  if (ISO_WITH_OFFSET.test(text) && !Number.isNaN(Date.parse(text))) return text;
  if (options.allowDateOnly && /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text))) return `${text}T00:00:00Z`;

  const byLanguage = await chronoLocales();
  const primary = options.language ? byLanguage[options.language.split('-')[0]!] : undefined;
  const candidates = [...new Set([primary, ...Object.values(byLanguage)])].filter((l): l is ChronoLocale => l !== undefined);
  let sawTimeWithoutZone = false;
  for (const locale of candidates) {
    for (const result of locale.parse(text, REFERENCE)) {
      const start = result.start;
      if (!start.isCertain('day') || !start.isCertain('month')) continue;
      if (!start.isCertain('hour') && options.what !== 'date') continue;
      const offset = start.get('timezoneOffset');
      if (!start.isCertain('timezoneOffset') || offset === null || offset === undefined) {
        sawTimeWithoutZone = true;
        continue;
      }
      return formatWithOffset(start.date(), offset);
    }
  }
  if (sawTimeWithoutZone) {
    throw new ParseError(code, `the ${options.what} "${text}" has no time zone, so it is ambiguous`, options.location, `add a zone or UTC offset, ${example} (CET, UTC+1, +01:00 work too)`);
  }
  throw new ParseError(code, `cannot read the ${options.what} "${text}" as a date and time`, options.location, `write it as ${example}`);
}

/** ISO 8601 of an instant as seen at the given offset (minutes east of UTC). */
export function formatWithOffset(instant: Date, offsetMinutes: number): string {
  const local = new Date(instant.getTime() + offsetMinutes * 60_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const stamp = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}T${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  return `${stamp}${offsetMinutes === 0 ? 'Z' : `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`}`;
}
