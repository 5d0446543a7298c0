/**
 * Stands in for `postcss` in the function assets (infra/constructs/function-bundle.ts aliases it
 * here). sanitize-html requires postcss when it loads, only to parse `style` attributes, and no
 * sanitizer allowlist of polywire permits a `style` attribute (parse/html.ts, render/feeds.ts):
 * postcss and source-map-js were 87 KiB of dead code in every cold start of publish and ingest.
 *
 * Should an allowlist ever permit `style`, this parse throws and sanitize-html drops the attribute
 * (it removes a style attribute it cannot parse): styles are refused, never passed through.
 * Tests and the CLI run sanitize-html with the real postcss.
 */
export function parse(): never {
  throw new Error('style attributes are not parsed in polywire functions (postcss is not bundled)');
}
