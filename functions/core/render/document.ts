/** The HTML shell shared by article, index and root pages. */
import { CONTENT_SECURITY_POLICY } from './headers';
import { paths, relativeHref } from './paths';
import { escapeHtml } from './text';

export interface HtmlDocument {
  /** Bucket key of the page itself: relative links are computed from it. */
  key: string;
  lang: string;
  dir: 'ltr' | 'rtl';
  /** Plain text; escaped here. */
  title: string;
  /** Plain text; escaped here. */
  description?: string;
  /** Extra `<head>` markup, already escaped. */
  head?: string;
  /** `<body>` markup, already escaped. */
  body: string;
}

/** A complete HTML5 document with the strict CSP and the shared stylesheet. */
export function htmlDocument(doc: HtmlDocument): string {
  const lines = [
    '<!doctype html>',
    `<html lang="${escapeHtml(doc.lang)}" dir="${doc.dir}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="referrer" content="strict-origin-when-cross-origin">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    ...(doc.description ? [`<meta name="description" content="${escapeHtml(doc.description)}">`] : []),
    `<link rel="stylesheet" href="${escapeHtml(relativeHref(doc.key, paths.stylesheet()))}">`,
    ...(doc.head ? [doc.head] : []),
    '</head>',
    '<body>',
    doc.body,
    '</body>',
    '</html>',
    '',
  ];
  return lines.join('\n');
}
