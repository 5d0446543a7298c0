/**
 * Tables and pictures through the whole pipeline on the emulators (s3rver, dynalite, real SDK
 * clients, the real handlers, sharp): a Word release with an earnings table and a photo carrying
 * EXIF GPS, and a picture file uploaded beside it. The published renditions are read back from
 * the distribution bucket and must carry no metadata.
 */
import { AlignmentType, Document, ImageRun, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGpsPointer, jpegWithGps, pngLogo } from '../../fixtures/pictures';
import { startPipeline, type PipelineHarness } from './harness';

const BODY = 'Acme Robotics said on Tuesday that revenue in the third quarter grew faster than the market, driven by orders for warehouse robots from retailers in Europe and North America.';

async function earningsDocx(photo: Uint8Array): Promise<Uint8Array> {
  const cell = (text: string, right: boolean) => new TableCell({ children: [new Paragraph({ children: [new TextRun(text)], ...(right ? { alignment: AlignmentType.RIGHT } : {}) })] });
  const row = (cells: string[], header = false) => new TableRow({ ...(header ? { tableHeader: true } : {}), children: cells.map((t, i) => cell(t, i > 0)) });
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun({ text: 'Acme Robotics reports third-quarter results', bold: true })] }),
          new Paragraph(BODY),
          new Table({ rows: [row(['Segment', 'Q3 2026', 'Q3 2025'], true), row(['Revenue', '$1,234.5', '$1,100.2']), row(['Operating margin', '18.4%', '(2.1)%'])] }),
          new Paragraph({ children: [new ImageRun({ type: 'jpg', data: photo, transformation: { width: 400, height: 250 }, altText: { name: 'photo', title: 'Plant', description: 'The Acme plant in Berlin' } })] }),
          new Paragraph(BODY),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

describe('pipeline: tables and pictures', () => {
  let harness: PipelineHarness;
  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'ar', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  const text = async (key: string): Promise<string> => {
    const object = await harness.distribution.get(key);
    expect(object, key).toBeDefined();
    return new TextDecoder().decode(object!.body);
  };

  it('publishes the Word table in every language and the photo without its GPS position', async () => {
    const photo = await jpegWithGps();
    expect(hasGpsPointer((await sharp(photo).metadata()).exif!)).toBe(true);
    await harness.run(await harness.upload('incoming/acme/q3-results.docx', await earningsDocx(photo)));
    expect(await harness.repository.getVariant('q3-results', 1, 'de')).toMatchObject({ status: 'published' });

    const en = await text('en/releases/q3-results.html');
    // mammoth carries no alignment: figure cells are end-aligned by default.
    expect(en).toContain('<th scope="col">Q3 2026</th>');
    expect(en).toContain('<td class="align-end figure">$1,234.5</td>');
    const de = await text('de/releases/q3-results.html');
    expect(de).toContain('<td class="align-end figure">(2.1)%</td>');
    expect(de).not.toContain('>Operating margin<');
    const ar = await text('ar/releases/q3-results.html');
    expect(ar).toContain('<td class="align-end figure"><bdi dir="ltr">$1,234.5</bdi></td>');

    const sha = /media\/([0-9a-f]{64})\/w1200\.jpg/.exec(en)![1]!;
    expect(en).toContain('alt="The Acme plant in Berlin"');
    expect(de).toMatch(new RegExp(`<img src="../../media/${sha}/w1200.jpg"[^>]* alt="(?!The Acme plant in Berlin")[^"]+"`));
    expect(en).toContain(`<meta property="og:image" content="https://news.example.com/media/${sha}/w1200.jpg">`);
    for (const name of ['w1200.jpg', 'w1200.webp', 'w600.jpg', 'w600.webp']) {
      const object = await harness.distribution.get(`media/${sha}/${name}`);
      expect(object, name).toBeDefined();
      const meta = await sharp(object!.body).metadata();
      expect(meta.exif, name).toBeUndefined();
      expect(meta.xmp, name).toBeUndefined();
      expect(meta.iptc, name).toBeUndefined();
    }
    const ninjs = JSON.parse(await text('de/releases/q3-results.json')) as { bodies: { value: string }[]; associations: { type: string }[] };
    expect(ninjs.bodies[0]!.value).toContain('<table>');
    expect(ninjs.associations.filter((a) => a.type === 'picture')).toHaveLength(1);
    const rss = await text('en/feed.xml');
    expect(rss).toContain(`url="https://news.example.com/media/${sha}/w1200.jpg"`);
    expect(rss).toContain('<td>$1,234.5</td>');
  });

  it('takes a logo uploaded beside a Markdown release, and does not ingest the logo file as a release', async () => {
    const logoKey = 'incoming/acme/logo.png';
    await harness.run(await harness.upload(logoKey, await pngLogo()));
    expect(await harness.repository.getSource(logoKey)).toMatchObject({ status: 'processed' });
    const md = `---\nlanguage: en\n---\n# Acme opens a plant in Leipzig\n\n${BODY}\n\n![Acme Robotics logo](logo.png)\n`;
    await harness.run(await harness.upload('incoming/acme/leipzig.md', md));
    const en = await text('en/releases/leipzig.html');
    expect(en).toMatch(/<img src="..\/..\/media\/[0-9a-f]{64}\/w400\.png"[^>]* alt="Acme Robotics logo"/);
  });
});
