import { describe, expect, it } from 'vitest';
import { checkTranslation, type QaCheck } from '../../../../functions/core/qa';
import { compareFigures, findFigures, readNumber } from '../../../../functions/core/qa/figures';
import { findTemporal, sameDate } from '../../../../functions/core/qa/dates';
import { DEFAULT_TARGET_LANGUAGES } from '../../../../functions/core/languages';
import type { ReleaseContent } from '../../../../functions/core/release';

const content = (headline: string, ...paragraphs: string[]): ReleaseContent => ({
  headline,
  body: paragraphs.map((text) => ({ type: 'paragraph' as const, content: [{ type: 'text' as const, text }] })),
  categories: [],
  boilerplates: [],
});
const noDetection = async (): Promise<undefined> => undefined;
const checksOf = async (source: ReleaseContent, translation: ReleaseContent, language: string, extra: Partial<Parameters<typeof checkTranslation>[0]> = {}): Promise<QaCheck[]> =>
  (await checkTranslation({ source, sourceLanguage: 'en', translation, language, detect: noDetection, ...extra })).findings.map((f) => f.check);

const TAGS = DEFAULT_TARGET_LANGUAGES;

describe('figures', () => {
  it('reads 1,234.5 = 1.234,5 = 1 234,5 and keeps both readings of an ambiguous 1.234', () => {
    expect(readNumber('1,234.5')).toEqual([1234.5]);
    expect(readNumber('1.234,5')).toEqual([1234.5]);
    expect(findFigures('1\u202f234,5', 'fr')[0]!.values).toEqual([1234.5]);
    expect(readNumber('1.234')).toEqual([1234, 1.234]);
    expect(readNumber('12,50')).toEqual([12.5]);
  });

  it.each(TAGS)('%s: a figure formatted by Intl for the language equals the English figure (plain, decimal, compact scale words)', (tag) => {
    for (const value of [1234567.5, 0.125, 42]) {
      const written = new Intl.NumberFormat(tag).format(value);
      expect(compareFigures(findFigures(String(value), 'en'), findFigures(written, tag)).missing, `${tag} ${written}`).toEqual([]);
    }
    for (const value of [1.2e9, 3.5e6, 2.5e12]) {
      for (const compactDisplay of ['long', 'short'] as const) {
        const written = new Intl.NumberFormat(tag, { notation: 'compact', compactDisplay, maximumFractionDigits: 2 }).format(value);
        if (/^[\d.,\s]+[A-Za-z]$/.test(written)) continue; // one-letter abbreviations (`1,2 M`) are not read: too ambiguous
        expect(
          findFigures(written, tag).flatMap((f) => f.values),
          `${tag} ${written}`,
        ).toContain(value);
      }
    }
  });

  it('reads full-width and Arabic-Indic digits, and CJK compounds', () => {
    expect(findFigures('１２億ドル', 'ja')[0]!.values).toEqual([1.2e9]);
    expect(findFigures('١٫٢ مليار', 'ar')[0]!.values).toEqual([1.2e9]);
    expect(findFigures('1億2000万', 'ja')[0]!.values).toEqual([1.2e8]);
    expect(findFigures('3억 4,560만', 'ko')[0]!.values).toContain(345_600_000);
    expect(findFigures('1.2 พันล้าน', 'th')[0]!.values).toEqual([1.2e9]);
    expect(findFigures('1,2 Mrd.', 'de')[0]!.values).toEqual([1.2e9]);
    expect(findFigures('1,2 Billionen', 'de')[0]!.values).toEqual([1.2e12]);
  });

  it('flags a changed figure as an error and accepts a reformatted one', async () => {
    const source = content('Revenue of $1.2 billion', 'Acme sold 1,234.5 tonnes, up 12.5%, in 10–15 days.');
    expect(await checksOf(source, content('Umsatz von 1,2 Mrd. US-Dollar', 'Acme verkaufte 1.234,5 Tonnen, 12,5 % mehr, in 10–15 Tagen.'), 'de')).toEqual([]);
    const report = await checkTranslation({
      source,
      sourceLanguage: 'en',
      translation: content('Umsatz von 1,3 Mrd. US-Dollar', 'Acme verkaufte 1.234,5 Tonnen, 12,5 % mehr, in 10–15 Tagen.'),
      language: 'de',
      detect: noDetection,
    });
    expect(report.findings).toMatchObject([{ check: 'figures', severity: 'error', location: { block: 'headline', segment: 1 } }]);
    expect(report.findings[0]!.message).toContain('“1.2 billion” became “1,3 Mrd.”');
  });

  it('flags a changed currency', async () => {
    const source = content('Revenue of $1.2 billion');
    expect(await checksOf(source, content('売上高12億ドル'), 'ja')).toEqual([]);
    expect(await checksOf(source, content('売上高12億ユーロ'), 'ja')).toEqual(['currency']);
  });
});

describe('dates', () => {
  const date = new Date(Date.UTC(2026, 11, 5));
  it.each(TAGS)('%s: a date formatted by Intl (long, medium and full) reads as 5 December 2026, with its weekday', (tag) => {
    const calendar = tag === 'th' ? 'th-u-ca-gregory' : tag;
    for (const dateStyle of ['long', 'medium', 'full'] as const) {
      for (const locale of tag === 'th' ? [tag, calendar] : [tag]) {
        const written = new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(date);
        const found = findTemporal(written, tag);
        expect(found.dates.length, `${tag} ${dateStyle} ${written}`).toBe(1);
        expect(sameDate(found.dates[0]!, { year: 2026, month: 12, day: 5, text: '', start: 0, end: 0 }), `${tag} ${written}`).toBe(true);
        if (dateStyle === 'full')
          expect(
            found.weekdays.map((w) => w.weekday),
            `${tag} ${written}`,
          ).toEqual([6]);
      }
    }
  });

  it('flags a changed day, weekday and time; accepts 2 p.m. = 14 Uhr', async () => {
    const source = content('Call on Monday, December 7, 2026 at 2 p.m.');
    expect(await checksOf(source, content('Telefonkonferenz am Montag, 7. Dezember 2026 um 14 Uhr'), 'de')).toEqual([]);
    expect(await checksOf(source, content('Telefonkonferenz am Montag, 8. Dezember 2026 um 14 Uhr'), 'de')).toEqual(['dates']);
    expect(await checksOf(source, content('Telefonkonferenz am Dienstag, 7. Dezember 2026 um 14 Uhr'), 'de')).toEqual(['dates']);
    expect(await checksOf(source, content('Telefonkonferenz am Montag, 7. Dezember 2026 um 15 Uhr'), 'de')).toEqual(['dates']);
    expect(await checksOf(source, content('2026年12月7日（月曜日）午後2時に電話会議'), 'ja')).toEqual([]);
    expect(await checksOf(source, content('วันจันทร์ที่ 7 ธันวาคม 2569 เวลา 14.00 น. ประชุมทางโทรศัพท์'), 'th')).toEqual([]);
  });
});

describe('protected items and terms', () => {
  const source = content('Acme (NASDAQ: ACME)', 'See https://acme.example.com/ir, write to ir@acme.example.com or call +1 212 555 0100. Jane Doe said so.');
  const good = content('Acme (NASDAQ: ACME)', 'Siehe https://acme.example.com/ir, schreiben Sie an ir@acme.example.com oder rufen Sie +1 212 555 0100 an. Jane Doe sagte das.');
  it('passes when URLs, e-mails, phones, tickers and names are byte-identical', async () => {
    expect(await checksOf(source, good, 'de', { doNotTranslate: ['Jane Doe'] })).toEqual([]);
  });
  it.each([
    ['https://acme.example.com/ir', 'https://acme.example.com/en'],
    ['ir@acme.example.com', 'info@acme.example.com'],
    ['+1 212 555 0100', '+1 212 555 0101'],
    ['NASDAQ: ACME', 'NASDAQ: ACMR'],
    ['Jane Doe', 'Jane Do'],
  ])('flags %s changed to %s', async (from, to) => {
    const bad: ReleaseContent = JSON.parse(JSON.stringify(good).split(from).join(to));
    expect(await checksOf(source, bad, 'de', { doNotTranslate: ['Jane Doe'] })).toContain('protected');
  });
  it('flags a forced term that is missing', async () => {
    const s = content('Top-Story: Acme grows');
    expect(await checksOf(s, content('À la une : Acme grandit'), 'fr', { forcedTerms: { 'Top-Story': 'À la une' } })).toEqual([]);
    expect(await checksOf(s, content('Article principal : Acme grandit'), 'fr', { forcedTerms: { 'Top-Story': 'À la une' } })).toEqual(['forced-term']);
  });
});

describe('text checks', () => {
  const source = content('Acme opens a factory', 'Acme opened its new factory today. The plant employs many people from the region.');
  it('flags an untranslated paragraph (identical, or detected in the source language)', async () => {
    expect(await checksOf(source, content('Acme eröffnet ein Werk', 'Acme opened its new factory today. The plant employs many people from the region.'), 'de')).toContain('untranslated');
    const detected = await checkTranslation({
      source,
      sourceLanguage: 'en',
      translation: content('Acme eröffnet ein Werk', 'Acme opened its brand new factory today. The plant employs many people from the region.'),
      language: 'de',
    });
    expect(detected.findings.map((f) => f.check)).toContain('untranslated');
  });
  it.each([
    ['ja', '新しい工場を開設しました。', '新工厂于今日开业，雇用了许多当地居民。'],
    ['ru', 'Acme открыла новый завод.', 'Acme opened its new factory today.'],
    ['de', 'Acme eröffnete heute ihr neues Werk.', 'Acme открыла сегодня свой новый завод.'],
    ['zh-Hans', '新工厂今天开业。', '新しい工場を開設しました。'],
    ['ko', '새 공장을 열었습니다.', '新しい工場を開設しました。'],
    ['th', 'เปิดโรงงานใหม่', 'Acme открыла новый завод.'],
    ['ar', 'افتتحت المصنع الجديد', 'Acme открыла новый завод.'],
  ])('%s: flags text in the wrong script', async (tag, _right, wrong) => {
    expect(await checksOf(content('Acme opens a factory'), content(wrong), tag)).toContain('script');
  });
  it('flags a missing sentence, an empty block, a loop, unbalanced brackets and a far too short text', async () => {
    expect(await checksOf(source, content('Acme eröffnet ein Werk', 'Acme hat heute sein neues Werk eröffnet.'), 'de')).toContain('sentences');
    expect(await checksOf(source, content('Acme eröffnet ein Werk', ''), 'de')).toEqual(['empty']);
    expect(await checksOf(source, content('Acme eröffnet ein Werk', 'Acme hat heute sein neues Werk eröffnet. Das Werk Werk Werk Werk beschäftigt viele Menschen.'), 'de')).toContain('repetition');
    expect(await checksOf(source, content('Acme eröffnet ein Werk (Berlin', 'Acme hat heute sein neues Werk eröffnet. Das Werk beschäftigt viele Menschen aus der Region.'), 'de')).toEqual(['brackets']);
    expect(await checksOf(source, content('Acme eröffnet ein Werk', 'Acme hat. Werk da.'), 'de')).toContain('length');
  });
  it('flags a missing block of the structure', async () => {
    expect(await checksOf(source, content('Acme eröffnet ein Werk'), 'de')).toEqual(['segments']);
  });
  it('says which checks do not apply to pseudo-localized text, and still checks its figures', async () => {
    const s = content('Revenue of 1,234 units on December 5, 2026');
    const report = await checkTranslation({ source: s, sourceLanguage: 'en', translation: content('⟦Ŕéṽéñúé óƒ 1,243 úñíţś óñ Déçéɱƀéŕ 5, 2026⟧'), language: 'de', provenance: 'pseudo', detect: noDetection });
    expect(report.notApplicable.map((n) => n.check)).toEqual(['untranslated', 'script', 'length', 'dates']);
    expect(report.findings.map((f) => f.check)).toEqual(['figures']);
  });
});
