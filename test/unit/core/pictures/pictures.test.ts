/**
 * Pictures from upload to renditions: parsed from Word, Markdown (relative file, data URI) and
 * HTML; checked by content; stripped of every metadata block (read back from the output bytes
 * with sharp); hostile files get the documented outcome — left out, with a warning naming why.
 * Uses the real sharp processor and an in-memory bucket (MemoryObjectStore, a test double).
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Document, ImageRun, Packer, Paragraph, TextRun } from 'docx';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { SharpImageProcessor } from '../../../../functions/adapters/sharp/image-processor';
import { parseReleaseWithMedia } from '../../../../functions/core/parse/index';
import { besideKey, publishPictures, resolvePictures } from '../../../../functions/core/pipeline/pictures';
import { sniffImageType } from '../../../../functions/core/pictures';
import type { PictureBlock, Release } from '../../../../functions/core/release';
import { renderVariantFiles, feedEntryOf, loadFeedRenderer, renderLanguageFiles } from '../../../../functions/core/render/index';
import type { ObjectStore, PutObjectOptions, StoredObject } from '../../../../functions/ports';
import type { Variant } from '../../../../functions/core/variant';
import { BODY, utf8 } from '../parse/helpers';
import { HTML_NAMED_PNG, SVG_WITH_SCRIPT, hasGpsPointer, hugePngHeader, jpegWithGps, pngLogo } from '../../../fixtures/pictures';

// The feed libraries (feed, sanitize-html) are loaded on first use (functions/core/render/feeds.ts).
beforeAll(() => loadFeedRenderer());

/** Test double: a bucket in memory. */
class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, StoredObject & { cacheControl?: string }>();
  async get(key: string) {
    return this.objects.get(key);
  }
  async head(key: string) {
    const object = this.objects.get(key);
    if (!object) return undefined;
    const { body: _body, ...meta } = object;
    return meta;
  }
  async put(key: string, body: Uint8Array | string, options: PutObjectOptions) {
    this.objects.set(key, { body: typeof body === 'string' ? utf8(body) : body, contentType: options.contentType, ...(options.cacheControl ? { cacheControl: options.cacheControl } : {}), metadata: {} });
  }
  async copy(from: string, to: string) {
    this.objects.set(to, this.objects.get(from)!);
  }
  async delete(key: string) {
    this.objects.delete(key);
  }
  async *list(prefix: string) {
    for (const key of [...this.objects.keys()].sort()) if (key.startsWith(prefix)) yield key;
  }
}

const images = new SharpImageProcessor();
const pictures = (release: Release): PictureBlock[] => release.body.filter((b): b is PictureBlock => b.type === 'picture');

async function ingest(name: string, bytes: Uint8Array, uploads = new MemoryObjectStore()) {
  const { release, media } = await parseReleaseWithMedia({ name, bytes });
  return { release: await resolvePictures({ uploads, images }, release, media, name), uploads };
}

/** Every rendition: no EXIF, XMP or IPTC left, read back from the stored bytes. */
async function expectNoMetadata(uploads: MemoryObjectStore, picture: PictureBlock): Promise<void> {
  expect(picture.asset).toBeDefined();
  for (const rendition of picture.asset!.renditions) {
    const bytes = uploads.objects.get(rendition.path)!.body;
    const meta = await sharp(bytes).metadata();
    expect(meta.exif, rendition.path).toBeUndefined();
    expect(meta.xmp, rendition.path).toBeUndefined();
    expect(meta.iptc, rendition.path).toBeUndefined();
    expect([meta.width, meta.height]).toEqual([rendition.width, rendition.height]);
  }
}

async function docxWithPhoto(photo: Uint8Array): Promise<Uint8Array> {
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun({ text: 'Acme opens Berlin plant', bold: true })] }),
          new Paragraph(BODY.en),
          new Paragraph({ children: [new ImageRun({ type: 'jpg', data: photo, transformation: { width: 400, height: 250 }, altText: { name: 'photo', title: 'Plant', description: 'The new Acme plant in Berlin' } })] }),
          new Paragraph(BODY.en),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

describe('pictures: type by content', () => {
  it('reads the type from the bytes, not the name', async () => {
    expect(sniffImageType(await jpegWithGps())).toBe('jpeg');
    expect(sniffImageType(await pngLogo())).toBe('png');
    expect(sniffImageType(SVG_WITH_SCRIPT)).toBe('svg');
    expect(sniffImageType(HTML_NAMED_PNG)).toBeUndefined();
  });
});

describe('pictures: from upload to renditions', () => {
  it('takes the photo out of a Word document, keeps its alt text and strips its GPS position', async () => {
    const photo = await jpegWithGps();
    expect(hasGpsPointer((await sharp(photo).metadata()).exif!)).toBe(true);
    const { release, uploads } = await ingest('incoming/berlin.docx', await docxWithPhoto(photo));
    const [picture] = pictures(release);
    expect(picture).toMatchObject({ type: 'picture', alt: 'The new Acme plant in Berlin' });
    expect(picture!.ref).toBeUndefined();
    expect(picture!.asset).toMatchObject({ width: 1600, height: 1000 });
    expect(picture!.asset!.renditions.map((r) => [r.contentType, r.width])).toEqual([
      ['image/jpeg', 1200],
      ['image/webp', 1200],
      ['image/jpeg', 600],
      ['image/webp', 600],
    ]);
    await expectNoMetadata(uploads, picture!);
    expect(release.warnings).toBeUndefined();
  });

  it('reads a Markdown logo from the file uploaded beside the release, and warns when alt text is missing', async () => {
    const uploads = new MemoryObjectStore();
    await uploads.put('incoming/acme/logo.png', await pngLogo(), { contentType: 'image/png' });
    const md = `---\nlanguage: en\n---\n# Acme opens plant\n\n${BODY.en}\n\n![Acme logo](logo.png)\n\n![](logo.png)\n`;
    const { release } = await ingest('incoming/acme/launch.md', utf8(md), uploads);
    const [logo, unnamed] = pictures(release);
    expect(logo).toMatchObject({ alt: 'Acme logo', asset: { width: 400, height: 200 } });
    // Transparency: PNG, not JPEG.
    expect(logo!.asset!.renditions[0]).toMatchObject({ contentType: 'image/png', width: 400 });
    expect(unnamed!.asset!.sha256).toBe(logo!.asset!.sha256);
    expect(release.warnings).toEqual([expect.stringMatching(/^picture 2 \(logo\.png\) has no alt text/)]);
    await expectNoMetadata(uploads, logo!);
  });

  it('reads an HTML <figure> with a data URI picture and its caption', async () => {
    const photo = Buffer.from(await jpegWithGps()).toString('base64');
    const html = `<html lang="en"><body><h1>Acme opens plant</h1><p>${BODY.en}</p><figure><img src="data:image/jpeg;base64,${photo}" alt="Plant"><figcaption>The <em>new</em> plant</figcaption></figure></body></html>`;
    const { release, uploads } = await ingest('incoming/plant.html', utf8(html));
    const [picture] = pictures(release);
    expect(picture).toMatchObject({
      alt: 'Plant',
      caption: [
        { type: 'text', text: 'The ' },
        { type: 'em', children: [{ type: 'text', text: 'new' }] },
        { type: 'text', text: ' plant' },
      ],
    });
    await expectNoMetadata(uploads, picture!);
  });

  it.each([
    ['an SVG with script', 'logo.svg', SVG_WITH_SCRIPT, /SVG is not accepted/],
    ['a 50,000 × 50,000 PNG', 'bomb.png', hugePngHeader(), /50,000 × 50,000 pixels; the limit is 40,000,000 pixels \(MAX_PICTURE_PIXELS\)/],
    ['an HTML page named .png', 'fake.png', HTML_NAMED_PNG, /is not a JPEG, PNG, GIF, WebP or AVIF picture/],
  ])('leaves out %s with a warning that says why, and publishes the rest', async (_what, name, bytes, reason) => {
    const uploads = new MemoryObjectStore();
    await uploads.put(`incoming/${name}`, bytes, { contentType: 'application/octet-stream' });
    const md = `---\nlanguage: en\n---\n# Acme opens plant\n\n${BODY.en}\n\n![Bad](${name})\n`;
    const { release } = await ingest('incoming/launch.md', utf8(md), uploads);
    expect(pictures(release)).toEqual([]);
    expect(release.body).toHaveLength(1);
    expect(release.warnings).toEqual([expect.stringMatching(new RegExp(`^picture 1 \\(${name.replace('.', '\\.')}\\) left out: .*${reason.source}`))]);
  });

  it('leaves out a truncated JPEG as unreadable', async () => {
    const photo = await jpegWithGps();
    const uploads = new MemoryObjectStore();
    await uploads.put('incoming/cut.jpg', photo.subarray(0, Math.floor(photo.length / 2)), { contentType: 'image/jpeg' });
    const { release } = await ingest('incoming/launch.md', utf8(`---\nlanguage: en\n---\n# Acme opens plant\n\n${BODY.en}\n\n![Cut](cut.jpg)\n`), uploads);
    expect(pictures(release)).toEqual([]);
    expect(release.warnings?.[0]).toMatch(/picture 1 \(cut\.jpg\) left out: .*cannot be decoded .*truncated or corrupt/);
  });

  it('reads ninjs picture associations: a rendition beside the upload is published, a remote one is left out with a warning', async () => {
    const uploads = new MemoryObjectStore();
    await uploads.put('incoming/wire/photo.jpg', await jpegWithGps(), { contentType: 'image/jpeg' });
    const ninjs = {
      uri: 'urn:example:acme-plant',
      language: 'en',
      headlines: [{ role: 'main', value: 'Acme opens plant' }],
      bodies: [{ role: 'main', contentType: 'text/html', value: `<p>${BODY.en}</p>` }],
      associations: [
        {
          type: 'picture',
          descriptions: [{ role: 'alt', value: 'The plant at dusk' }],
          renditions: [
            { name: 'small', href: 'thumb.jpg', width: 200 },
            { name: 'original', href: 'photo.jpg', width: 1600 },
          ],
        },
        { type: 'picture', headlines: [{ value: 'Remote' }], renditions: [{ href: 'https://cdn.example.com/p.jpg' }] },
        { type: 'text', uri: 'urn:example:other' },
      ],
    };
    const { release } = await ingest('incoming/wire/plant.ninjs.json', utf8(JSON.stringify(ninjs)), uploads);
    const [picture] = pictures(release);
    expect(picture).toMatchObject({ alt: 'The plant at dusk', asset: { width: 1600, height: 1000 } });
    await expectNoMetadata(uploads, picture!);
    expect(release.warnings).toEqual([expect.stringMatching(/picture 2 \(https:\/\/cdn\.example\.com\/p\.jpg\) left out: .*never fetches/)]);
  });

  it('never fetches a remote picture, and never reads outside incoming/', async () => {
    const md = `---\nlanguage: en\n---\n# Acme opens plant\n\n${BODY.en}\n\n![Remote](http://169.254.169.254/latest/meta-data/)\n\n![Escape](../releases/x.png)\n`;
    const { release } = await ingest('incoming/launch.md', utf8(md));
    expect(pictures(release)).toEqual([]);
    expect(release.warnings).toEqual([
      expect.stringMatching(/picture 1 \(http:\/\/169\.254\.169\.254\/latest\/meta-data\/\) left out: .*never fetches pictures from the network/),
      expect.stringMatching(/picture 2 \(\.\.\/releases\/x\.png\) left out: .*leaves the upload folder/),
    ]);
    expect(besideKey('incoming/a/b.md', 'logo.png')).toBe('incoming/a/logo.png');
    expect(besideKey('incoming/b.md', '../../x.png')).toBeUndefined();
    expect(besideKey('incoming/b.md', '/etc/passwd')).toBeUndefined();
  });
});

describe('pictures: outputs', () => {
  it('page <figure> with srcset and alt, og:image, JSON-LD image, ninjs picture association, feed enclosure; renditions copied at publish', async () => {
    const { release, uploads } = await ingest('incoming/berlin.docx', await docxWithPhoto(await jpegWithGps()));
    const variant: Variant = {
      releaseId: release.id,
      version: 1,
      language: 'en',
      sourceLanguage: 'en',
      content: { headline: release.headline, body: release.body, categories: [], boilerplates: [] },
      provenance: { kind: 'original', engine: 'none' },
      ledger: { billedCharacters: 0, memoryCharacters: 0, requests: 0, estimatedCostUsd: 0 },
    };
    const site = { baseUrl: 'https://news.example.com', title: 'n' };
    const times = { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' };
    const sha = pictures(release)[0]!.asset!.sha256;
    const files = renderVariantFiles({ site, release, variant, languages: ['en'], times });
    const page = files.find((f) => f.path.endsWith('.html'))!.body;
    expect(page).toContain(`<figure class="picture"><picture><source type="image/webp" srcset="../../media/${sha}/w1200.webp 1200w, ../../media/${sha}/w600.webp 600w"`);
    expect(page).toContain(
      `<img src="../../media/${sha}/w1200.jpg" srcset="../../media/${sha}/w1200.jpg 1200w, ../../media/${sha}/w600.jpg 600w" sizes="(max-width: 42rem) 100vw, 42rem" width="1200" height="750" alt="The new Acme plant in Berlin"`,
    );
    expect(page).toContain(`<meta property="og:image" content="https://news.example.com/media/${sha}/w1200.jpg">`);
    expect(page).toContain(`"image":[{"@type":"ImageObject","url":"https://news.example.com/media/${sha}/w1200.jpg"`);
    const ninjs = JSON.parse(files.find((f) => f.path.endsWith('.json'))!.body) as { associations: Record<string, unknown>[] };
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json' });
    const validate = ajv.compile(JSON.parse(readFileSync(new URL('../../../fixtures/schemas/ninjs-schema_3.1.json', import.meta.url), 'utf8')) as object);
    expect(validate(ninjs), JSON.stringify(validate.errors)).toBe(true);
    expect(ninjs.associations).toContainEqual(
      expect.objectContaining({
        type: 'picture',
        rel: 'picture',
        renditions: expect.arrayContaining([expect.objectContaining({ href: `https://news.example.com/media/${sha}/w600.webp`, contentType: 'image/webp', width: 600 })]),
      }),
    );
    const feeds = renderLanguageFiles({ site, language: 'en', entries: [feedEntryOf(release, variant, times)], updatedAt: times.updatedAt });
    expect(feeds.find((f) => f.path === 'en/feed.xml')!.body).toMatch(new RegExp(`<enclosure length="[1-9]\\d*" type="image/jpeg" url="https://news.example.com/media/${sha}/w1200.jpg"/>`));
    expect(JSON.parse(feeds.find((f) => f.path === 'en/feed.json')!.body).items[0].image).toBe(`https://news.example.com/media/${sha}/w1200.jpg`);

    const distribution = new MemoryObjectStore();
    expect(await publishPictures({ uploads, distribution }, variant)).toBe(4);
    expect(await publishPictures({ uploads, distribution }, variant)).toBe(0);
    expect(distribution.objects.get(`media/${sha}/w600.jpg`)).toMatchObject({ contentType: 'image/jpeg', cacheControl: 'public, max-age=31536000, immutable' });
  });
});
