/**
 * What replaces a withdrawn release in one language: a `noindex` notice page (when, and the
 * operator's reason; none of the release's text) and a ninjs document with `pubStatus: canceled`,
 * at the same two URLs, so every copy that fetches them again learns of the withdrawal.
 */
import { directionOf, wireLanguage } from '../languages';
import { htmlDocument } from './document';
import { CACHE_CONTROL, CONTENT_TYPES } from './headers';
import type { OutputFile } from './index';
import { formatDate } from './labels';
import { guidOf, paths, relativeHref, urlOf } from './paths';
import { NINJS_SCHEMA_URI } from './ninjs';
import { renderCanceledNewsmlItem, type CanceledNewsmlInput } from './newsml-g2';
import { escapeHtml } from './text';

/** "This release has been withdrawn." and "Reason", in the wire's languages (English elsewhere). */
const NOTICE: Record<string, { withdrawn: string; reason: string }> = {
  en: { withdrawn: 'This release has been withdrawn', reason: 'Reason' },
  de: { withdrawn: 'Diese Pressemitteilung wurde zurückgezogen', reason: 'Grund' },
  fr: { withdrawn: 'Ce communiqué a été retiré', reason: 'Motif' },
  es: { withdrawn: 'Este comunicado ha sido retirado', reason: 'Motivo' },
  pt: { withdrawn: 'Este comunicado foi retirado', reason: 'Motivo' },
  ru: { withdrawn: 'Этот пресс-релиз отозван', reason: 'Причина' },
  ar: { withdrawn: 'تم سحب هذا البيان الصحفي', reason: 'السبب' },
  ja: { withdrawn: 'このプレスリリースは取り下げられました', reason: '理由' },
  ko: { withdrawn: '이 보도자료는 철회되었습니다', reason: '사유' },
  'zh-Hans': { withdrawn: '本新闻稿已撤回', reason: '原因' },
  'zh-Hant': { withdrawn: '本新聞稿已撤回', reason: '原因' },
  vi: { withdrawn: 'Thông cáo báo chí này đã bị rút lại', reason: 'Lý do' },
  th: { withdrawn: 'ข่าวประชาสัมพันธ์นี้ถูกเพิกถอนแล้ว', reason: 'เหตุผล' },
  id: { withdrawn: 'Siaran pers ini telah ditarik', reason: 'Alasan' },
  ms: { withdrawn: 'Siaran akhbar ini telah ditarik balik', reason: 'Sebab' },
};

function noticeFor(lang: string): { withdrawn: string; reason: string } {
  const tag = wireLanguage(lang)?.tag;
  return (tag && NOTICE[tag]) || NOTICE.en!;
}

/** The same facts as the canceled NewsML-G2 item: the last published version, its first publication, the withdrawal. */
export type WithdrawnFilesInput = CanceledNewsmlInput;

/**
 * The notice page and the canceled ninjs of a withdrawn release in one language.
 *
 * @example
 * renderWithdrawnFiles({ site, releaseId: 'acme-launch', language: 'de', version: 2, publishedAt, withdrawnAt, reason: 'Legal' })
 * // → de/releases/acme-launch.html (noindex notice), de/releases/acme-launch.json (pubStatus: canceled)
 */
export function renderWithdrawnFiles(input: WithdrawnFilesInput): OutputFile[] {
  const { site, releaseId, language: lang } = input;
  const key = paths.page(lang, releaseId);
  const notice = noticeFor(lang);
  const when = `<time datetime="${escapeHtml(input.withdrawnAt)}">${escapeHtml(formatDate(input.withdrawnAt, lang))}</time>`;
  const page = htmlDocument({
    key,
    lang,
    dir: directionOf(lang),
    title: notice.withdrawn,
    head: '<meta name="robots" content="noindex, nofollow">',
    body: [
      '<main class="withdrawn">',
      `<h1>${escapeHtml(notice.withdrawn)}</h1>`,
      `<p class="meta">${when}</p>`,
      `<p class="reason"><strong>${escapeHtml(notice.reason)}:</strong> ${escapeHtml(input.reason)}</p>`,
      `<p><a href="${escapeHtml(relativeHref(key, paths.languageIndex(lang)))}">${escapeHtml(site.title)}</a></p>`,
      '</main>',
    ].join('\n'),
  });
  const ninjs = {
    standard: { name: 'ninjs', version: '3.1', schema: NINJS_SCHEMA_URI },
    uri: guidOf(releaseId, lang),
    type: 'text',
    representationType: 'partial',
    profile: 'polywire-press-release',
    version: String(input.version),
    firstCreated: new Date(input.publishedAt).toISOString(),
    versionCreated: new Date(input.withdrawnAt).toISOString(),
    pubStatus: 'canceled',
    edNote: `Withdrawn: ${input.reason}`,
    language: lang,
    slugline: releaseId,
    altIds: [{ role: 'release-id', value: releaseId }],
    renditions: [
      { name: 'html', href: urlOf(site, paths.page(lang, releaseId)), contentType: 'text/html' },
      { name: 'ninjs', href: urlOf(site, paths.ninjs(lang, releaseId)), contentType: 'application/json' },
    ],
  };
  return [
    { path: key, body: page, contentType: CONTENT_TYPES.html, cacheControl: CACHE_CONTROL.document },
    { path: paths.ninjs(lang, releaseId), body: `${JSON.stringify(ninjs, null, 2)}\n`, contentType: CONTENT_TYPES.ninjs, cacheControl: CACHE_CONTROL.document },
    { path: paths.newsml(lang, releaseId), body: renderCanceledNewsmlItem(input), contentType: CONTENT_TYPES.newsml, cacheControl: CACHE_CONTROL.document },
  ];
}
