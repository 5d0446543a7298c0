/**
 * A page with an earnings table and a photo, in headless Chromium, in English and Arabic: served
 * over HTTP with the pages' Content-Security-Policy header, the table's cells read from the DOM,
 * the picture must load (under `img-src 'self'`), and on the Arabic page the columns mirror
 * (the label column on the right) while the figures keep their left-to-right order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SharpImageProcessor } from '../../../functions/adapters/sharp/image-processor';
import { parseReleaseWithMedia } from '../../../functions/core/parse/index';
import { resolvePictures } from '../../../functions/core/pipeline/pictures';
import { contentOf } from '../../../functions/core/release';
import { CONTENT_SECURITY_POLICY } from '../../../functions/core/render/headers';
import { loadSitemapRenderer, renderRootFiles, renderVariantFiles } from '../../../functions/core/render/index';
import { EMPTY_LEDGER } from '../../../functions/core/variant';
import type { ObjectStore, PutObjectOptions, StoredObject } from '../../../functions/ports';
import { jpegWithGps } from '../../fixtures/pictures';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const BODY = 'Acme Robotics said on Tuesday that revenue in the third quarter grew faster than the market, driven by orders for warehouse robots from retailers in Europe and North America.';

/** Test double: the uploads bucket in memory. */
class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject>();
  async get(key: string) {
    return this.objects.get(key);
  }
  async head(key: string) {
    return this.objects.get(key);
  }
  async put(key: string, body: Uint8Array | string, options: PutObjectOptions) {
    this.objects.set(key, { body: typeof body === 'string' ? new TextEncoder().encode(body) : body, contentType: options.contentType, metadata: {} });
  }
  async copy(from: string, to: string) {
    this.objects.set(to, this.objects.get(from)!);
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  async *list() {}
}

let browser: Browser;
let server: Server;
let base: string;
const violations: string[] = [];

beforeAll(async () => {
  const photo = Buffer.from(await jpegWithGps()).toString('base64');
  const md = `---\nlanguage: en\n---\n# Acme Robotics reports third-quarter results\n\n${BODY}\n\n| Segment | Q3 2026 | Change |\n| :--- | ---: | ---: |\n| Revenue | $1,234.5 | (2.1)% |\n\n![The Acme plant in Berlin](data:image/jpeg;base64,${photo})\n`;
  const uploads = new MemoryObjectStore();
  const parsed = await parseReleaseWithMedia({ name: 'incoming/q3.md', bytes: new TextEncoder().encode(md) });
  const release = await resolvePictures({ uploads, images: new SharpImageProcessor() }, parsed.release, parsed.media, 'incoming/q3.md');
  const files = new Map<string, { body: string | Uint8Array; type: string }>();
  const site = { baseUrl: 'http://127.0.0.1', title: 'polywire newsroom' };
  for (const language of ['en', 'ar']) {
    const variant = { releaseId: release.id, version: 1, language, sourceLanguage: 'en', content: contentOf(release), provenance: { kind: 'original' as const, engine: 'none' }, ledger: EMPTY_LEDGER };
    for (const file of renderVariantFiles({ site, release, variant, languages: ['en', 'ar'] })) files.set(`/${file.path}`, { body: file.body, type: file.contentType });
  }
  await loadSitemapRenderer(); // loaded on first use (functions/core/render/sitemaps.ts)
  for (const file of renderRootFiles({ site, languages: [], recent: [], now: '2026-11-26T09:00:00Z' })) files.set(`/${file.path}`, { body: file.body, type: file.contentType });
  for (const [key, object] of uploads.objects) files.set(`/${key}`, { body: object.body, type: object.contentType! });
  server = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://x').pathname);
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'content-security-policy': CONTENT_SECURITY_POLICY }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

describe.each(['en', 'ar'])('a page with a table and a picture in Chromium (%s)', (language) => {
  it('shows the table cells and loads the picture under the CSP', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 800 } });
    page.on('console', (message) => {
      if (/Content Security Policy|Refused/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${base}/${language}/releases/q3.html`, { waitUntil: 'load' });
    const cells = (await page.evaluate(`[...document.querySelectorAll('table tr')].map((tr) => [...tr.children].map((c) => c.tagName + ':' + c.textContent))`)) as string[][];
    expect(cells).toEqual([
      ['TH:Segment', 'TH:Q3 2026', 'TH:Change'],
      ['TD:Revenue', 'TD:$1,234.5', 'TD:(2.1)%'],
    ]);
    // The picture is `loading="lazy"`: the page's load event does not wait for it, so wait for the image itself (in view, loaded).
    await page.locator('figure.picture img').scrollIntoViewIfNeeded();
    await page.waitForFunction(`(() => { const img = document.querySelector('figure.picture img'); return img.complete && img.naturalWidth > 0; })()`, undefined, { timeout: 15_000 });
    const image = (await page.evaluate(`(() => { const img = document.querySelector('figure.picture img'); return { complete: img.complete, width: img.naturalWidth, current: img.currentSrc, alt: img.alt }; })()`)) as {
      complete: boolean;
      width: number;
      current: string;
      alt: string;
    };
    expect(image.complete).toBe(true);
    expect(image.width).toBeGreaterThan(0);
    expect(image.current).toMatch(/\/media\/[0-9a-f]{64}\/w\d+\.(?:webp|jpg)$/);
    expect(image.alt).toBe('The Acme plant in Berlin');
    const lefts = (await page.evaluate(`[...document.querySelectorAll('tbody tr:first-child td')].map((td) => td.getBoundingClientRect().left)`)) as number[];
    // Left to right: label first; right to left: the label column is the rightmost.
    if (language === 'ar') expect(lefts[0]).toBeGreaterThan(lefts[1]!);
    else expect(lefts[0]).toBeLessThan(lefts[1]!);
    // The table scrolls inside its region; the page itself never scrolls sideways.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(violations).toEqual([]);
    await page.close();
  });
});
