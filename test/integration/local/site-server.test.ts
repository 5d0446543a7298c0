import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { request } from 'node:http';
import { startEmulators, type Emulators } from '../../../infra/local/emulators';
import { keyOf, startSiteServer, type SiteServer } from '../../../infra/local/site-server';

/** Raw HTTP (fetch would normalize `..` away before sending). */
function get(base: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}) {
  const url = new URL(base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('site server (the distribution bucket, served like the CDN)', () => {
  let emulators: Emulators;
  let site: SiteServer;

  beforeAll(async () => {
    emulators = await startEmulators();
    const s3 = new S3Client(emulators.s3ClientConfig());
    const put = (Key: string, Body: string, ContentType: string, CacheControl?: string) => s3.send(new PutObjectCommand({ Bucket: emulators.buckets.distribution, Key, Body, ContentType, CacheControl }));
    await put('index.html', '<!doctype html><title>polywire</title>', 'text/html; charset=utf-8', 'max-age=60');
    await put('de/index.html', '<!doctype html><html lang="de"><title>Nachrichten</title>', 'text/html; charset=utf-8', 'max-age=60');
    await put('de/feed.xml', '<rss version="2.0"><channel><language>de</language></channel></rss>', 'application/rss+xml; charset=utf-8', 'max-age=300');
    await put('de/releases/a b.html', '<p>space</p>', 'text/html; charset=utf-8');
    s3.destroy();
    site = await startSiteServer({ s3: emulators.s3ClientConfig(), bucket: emulators.buckets.distribution, port: 0 });
  });
  afterAll(async () => {
    await site?.close();
    await emulators?.close();
  });

  it('serves an object with its stored Content-Type and Cache-Control, ETag, Last-Modified and the security headers', async () => {
    const res = await get(site.url, '/de/feed.xml');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<language>de</language>');
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(res.headers['cache-control']).toBe('max-age=300');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(Date.parse(String(res.headers['last-modified']))).not.toBeNaN();
    expect(res.headers['content-security-policy']).toBe("default-src 'none'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
  });

  it('answers 304 to a matching If-None-Match and 200 to a stale one', async () => {
    const { headers } = await get(site.url, '/de/feed.xml');
    const cached = await get(site.url, '/de/feed.xml', { headers: { 'if-none-match': String(headers.etag) } });
    expect(cached.status).toBe(304);
    expect(cached.body).toBe('');
    expect(cached.headers.etag).toBe(headers.etag);
    expect((await get(site.url, '/de/feed.xml', { headers: { 'if-none-match': '"stale"' } })).status).toBe(200);
  });

  it('answers 304 to If-Modified-Since at or after Last-Modified, 200 before it', async () => {
    const { headers } = await get(site.url, '/de/feed.xml');
    const lastModified = String(headers['last-modified']);
    expect((await get(site.url, '/de/feed.xml', { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 60_000).toUTCString();
    expect((await get(site.url, '/de/feed.xml', { headers: { 'if-modified-since': earlier } })).status).toBe(200);
  });

  it('maps / and folder paths to index.html and redirects a folder without its slash', async () => {
    expect((await get(site.url, '/')).body).toContain('<title>polywire</title>');
    expect((await get(site.url, '/de/')).body).toContain('lang="de"');
    const redirect = await get(site.url, '/de');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/de/');
    expect((await get(site.url, '/de/releases/a%20b.html')).body).toBe('<p>space</p>');
  });

  it('answers HEAD with headers and no body', async () => {
    const res = await get(site.url, '/de/feed.xml', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    expect(Number(res.headers['content-length'])).toBeGreaterThan(0);
  });

  it('answers 404 for a missing key and 405 for other methods', async () => {
    const missing = await get(site.url, '/fr/feed.xml');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^text\/html/);
    const post = await get(site.url, '/de/feed.xml', { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('refuses path traversal in every spelling', async () => {
    for (const path of ['/../package.json', '/de/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/de/..%2f..%2fetc%2fpasswd', '/de\\..\\x', '/%00']) {
      const res = await get(site.url, path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('root:');
    }
    expect(keyOf('/de/%2e%2e/x')).toBeUndefined();
    expect(keyOf('/de/releases/x.html?utm=1')).toBe('de/releases/x.html');
  });
});
