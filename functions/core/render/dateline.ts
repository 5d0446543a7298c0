/**
 * The dateline of a page in its own language. The original keeps the source's words as written;
 * a translation gets the dateline rebuilt from its parts in the target's convention: the place,
 * the day as the target language writes a date (Intl.DateTimeFormat, UTC so the day never shifts),
 * and the wire's name untouched — instead of `ROTTERDAM, Netherlands, Dec. 1, 2026 /PRNewswire/ --`
 * at the top of a Spanish page.
 */
import { inlineText, type Release, type SourceTag } from '../release';
import { directionOf } from '../languages';
import type { Variant } from '../variant';
import { blockHtml, blocksHtml } from './html';
import { textHtmlFor } from './bidi';

/** Separator between place and date: ideographic comma in Chinese and Japanese, Arabic comma in Arabic. */
function placeSeparator(lang: string): string {
  const language = lang.split('-')[0]!.toLowerCase();
  if (language === 'ja') return '、';
  if (language === 'zh') return '，';
  if (language === 'ar' || language === 'fa' || language === 'ur') return '، ';
  return ', ';
}

/** Localized day, e.g. `1 de diciembre de 2026`, `2026年12月1日`, `١ ديسمبر ٢٠٢٦`. */
export function localizedDay(day: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

/**
 * The dateline text for a page: `raw` on the original; rebuilt on a translation when the day could
 * be read, else `raw` as well (an unreadable dateline is shown as written rather than guessed).
 * `place` is the place as translated with the content; without it the source's spelling is used.
 */
export function datelineText(tag: SourceTag, lang: string, isOriginal: boolean, place?: string): string {
  if (isOriginal || !tag.day) return tag.raw;
  const dateAndPlace = [place ?? tag.place, localizedDay(tag.day, lang)].filter(Boolean).join(placeSeparator(lang));
  return tag.wire ? `${dateAndPlace} (${tag.wire}) –` : `${dateAndPlace} –`;
}

/**
 * The body as HTML with the page's dateline opening the first paragraph, as wires send it: the
 * article page and the ninjs `body_html` print the same dateline (rebuilt on translations).
 */
export function bodyHtmlWithDateline(release: Release, variant: Pick<Variant, 'content' | 'language' | 'sourceLanguage' | 'provenance'>, options: { mediaBase?: string } = {}): string {
  const lang = variant.language;
  const content = variant.content;
  const isOriginal = variant.provenance.kind === 'original' || variant.language === variant.sourceLanguage;
  const dateline = release.sourceTag ? datelineText(release.sourceTag, lang, isOriginal, content.place) : undefined;
  const [firstBlock, ...restBlocks] = content.body;
  const firstText = firstBlock && firstBlock.type === 'paragraph' ? inlineText(firstBlock.content).trimStart() : '';
  const dir = directionOf(lang);
  // Parsers may keep the source tag inside the first paragraph; never print it twice.
  const datelineHtml = dateline && !firstText.startsWith(dateline) ? `<span class="dateline">${textHtmlFor(dir)(dateline)}</span> ` : '';
  const html = { dir, ...options };
  return firstBlock ? [blockHtml(firstBlock, datelineHtml, html), blocksHtml(restBlocks, html)].filter(Boolean).join('\n') : '';
}
