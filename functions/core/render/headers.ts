/**
 * Content-Type and Cache-Control of every output kind. Lists (feeds, indexes, sitemaps) change
 * with every release, so caches revalidate after a minute; readers' conditional requests then cost
 * a 304 because unchanged files keep their ETag (see `writeOutputs`). Pages and ninjs change only
 * on a correction: five minutes fresh, and a day of stale-while-revalidate so a CDN never makes a
 * reader wait. Not `immutable`: a correction rewrites the same URL.
 */
export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  jsonFeed: 'application/feed+json; charset=utf-8',
  ninjs: 'application/json; charset=utf-8',
  newsml: 'application/vnd.iptc.g2.newsitem+xml; charset=utf-8',
  sitemap: 'application/xml; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

export const CACHE_CONTROL = {
  /** Feeds, index pages, sitemaps. */
  list: 'public, max-age=60, must-revalidate',
  /** Release pages and ninjs documents. */
  document: 'public, max-age=300, stale-while-revalidate=86400',
  /** RFC 5005 archive pages: complete when written, never rewritten (a day fresh, a week stale). */
  archive: 'public, max-age=86400, stale-while-revalidate=604800',
  /** The stylesheet: not fingerprinted, so an hour rather than a year. */
  asset: 'public, max-age=3600',
} as const;

/**
 * The pages' Content-Security-Policy (also sent as a header by CloudFront, see infra). No script
 * runs at all: the JSON-LD block is data, which `script-src 'none'` does not block. The
 * stylesheet is a same-origin file, so no inline style and no hash is needed.
 */
export const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";
