import { describe, expect, it } from 'vitest';
import { formatWithOffset, parseInstant } from '../../../../functions/core/parse/instant';

const embargo = (value: unknown, language?: string) => parseInstant(value, { what: 'embargo', location: { file: 'x' }, ...(language ? { language } : {}) });

describe('parseInstant', () => {
  it.each([
    ['9:00 a.m. EST, November 20, 2026', '2026-11-20T09:00:00-05:00'],
    ['2026-11-20T09:00:00-05:00', '2026-11-20T09:00:00-05:00'],
    ['2026-11-20T14:00:00Z', '2026-11-20T14:00:00Z'],
    ['20 Nov 2026 14:00 GMT', '2026-11-20T14:00:00Z'],
    ['26.11.2026 10:00 UTC+1', '2026-11-26T10:00:00+01:00'],
    ['2026年11月20日 9時 JST', '2026-11-20T09:00:00+09:00'],
  ])('%s → %s', async (text, iso) => {
    await expect(embargo(text)).resolves.toBe(iso);
  });

  it('uses the release language first', async () => {
    await expect(embargo('26. November 2026, 10:00 Uhr MEZ', 'de')).resolves.toBe('2026-11-26T10:00:00+01:00');
  });

  it('refuses a time without a zone and a date without a time', async () => {
    await expect(embargo('November 20, 2026 09:00')).rejects.toThrow(/no time zone/);
    await expect(embargo('November 20, 2026')).rejects.toThrow(/cannot read/);
    await expect(embargo(42)).rejects.toThrow(/must be a text/);
  });

  it('accepts a bare date for a release date', async () => {
    await expect(parseInstant('2026-11-20', { what: 'date', location: {}, allowDateOnly: true })).resolves.toBe('2026-11-20T00:00:00Z');
  });

  it('formats negative and half-hour offsets', () => {
    expect(formatWithOffset(new Date('2026-11-20T14:00:00Z'), -300)).toBe('2026-11-20T09:00:00-05:00');
    expect(formatWithOffset(new Date('2026-11-20T14:00:00Z'), 330)).toBe('2026-11-20T19:30:00+05:30');
  });
});
