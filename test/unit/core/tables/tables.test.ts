/**
 * Tables end to end in the core: the same table from GFM, HTML, Word and JSON parses to the same
 * block; translation keeps figure cells byte-identical in every wire language and translates the
 * text cells; pages, ninjs and feeds carry a real, accessible table.
 */
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell as DocxCell, TableRow, TextRun } from 'docx';
import { beforeAll, describe, expect, it } from 'vitest';
import { PseudoEngine } from '../../../../functions/adapters/pseudo/engine';
import { DEFAULT_TARGET_LANGUAGES } from '../../../../functions/core/languages';
import { parseRelease } from '../../../../functions/core/parse/index';
import { inlineText, isFigureText, type Release, type TableBlock } from '../../../../functions/core/release';
import { feedEntryOf, loadFeedRenderer, renderLanguageFiles, renderVariantFiles } from '../../../../functions/core/render/index';
import { EMPTY_GLOSSARY, InMemoryTranslationMemory, translateVariant } from '../../../../functions/core/translation/index';
import { DEFAULT_PRICES } from '../../../../functions/adapters/engines/registry';
import type { Variant } from '../../../../functions/core/variant';
import { BODY, expectParseError, utf8 } from '../parse/helpers';

// The feed libraries (feed, sanitize-html) are loaded on first use (functions/core/render/feeds.ts).
beforeAll(() => loadFeedRenderer());

const HEADLINE = 'Acme Robotics reports third-quarter results';

const GFM = `---
language: en
---
# ${HEADLINE}

${BODY.en}

| Segment | Q3 2026 | Q3 2025 | Change |
| :--- | ---: | ---: | ---: |
| Revenue | $1,234.5 | $1,100.2 | 12% |
| Operating margin | 18.4% | (2.1)% | – |

${BODY.en}
`;

const HTML = `<!doctype html><html lang="en"><body><article><h1>${HEADLINE}</h1><p>${BODY.en}</p>
<table><thead><tr><th align="left">Segment</th><th align="right">Q3 2026</th><th align="right">Q3 2025</th><th align="right">Change</th></tr></thead>
<tbody><tr><td>Revenue</td><td>$1,234.5</td><td>$1,100.2</td><td>12%</td></tr>
<tr><td>Operating margin</td><td>18.4%</td><td>(2.1)%</td><td>–</td></tr></tbody></table>
<p>${BODY.en}</p></article></body></html>`;

async function docxBytes(): Promise<Uint8Array> {
  const cell = (text: string, right = false): DocxCell => new DocxCell({ children: [new Paragraph({ children: [new TextRun(text)], ...(right ? { alignment: AlignmentType.RIGHT } : {}) })] });
  const row = (cells: string[], header = false): TableRow =>
    new TableRow({
      // Only on the header row: the docx package writes `<w:tblHeader w:val="false"/>` for false, which mammoth reads as a header row.
      ...(header ? { tableHeader: true } : {}),
      children: cells.map((text, i) => cell(text, i > 0)),
    });
  const document = new Document({
    sections: [
      {
        children: [
          new Paragraph({ children: [new TextRun({ text: HEADLINE, bold: true })] }),
          new Paragraph(BODY.en),
          new Table({
            rows: [row(['Segment', 'Q3 2026', 'Q3 2025', 'Change'], true), row(['Revenue', '$1,234.5', '$1,100.2', '12%']), row(['Operating margin', '18.4%', '(2.1)%', '–'])],
          }),
          new Paragraph(BODY.en),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
const EXPECTED_ROWS = {
  head: [[text('Segment'), text('Q3 2026'), text('Q3 2025'), text('Change')]],
  body: [
    [text('Revenue'), text('$1,234.5'), text('$1,100.2'), text('12%')],
    [text('Operating margin'), text('18.4%'), text('(2.1)%'), text('–')],
  ],
};

const tableOf = (release: Release): TableBlock => {
  const tables = release.body.filter((block): block is TableBlock => block.type === 'table');
  expect(tables).toHaveLength(1);
  return tables[0]!;
};

describe('tables: parsing', () => {
  it('reads a GFM table with its column alignment', async () => {
    const release = await parseRelease({ name: 'q3.md', bytes: utf8(GFM) });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'table', 'paragraph']);
    expect(tableOf(release)).toEqual({ type: 'table', align: ['start', 'end', 'end', 'end'], ...EXPECTED_ROWS });
  });

  it('reads an HTML table to the same block', async () => {
    const release = await parseRelease({ name: 'q3.html', bytes: utf8(HTML) });
    expect(tableOf(release)).toEqual({ type: 'table', align: ['start', 'end', 'end', 'end'], ...EXPECTED_ROWS });
  });

  it('reads a Word table (header row repeated on each page = header row) to the same rows', async () => {
    const release = await parseRelease({ name: 'q3.docx', bytes: await docxBytes() });
    // mammoth carries no alignment: only rows and cells must match.
    const { align: _align, ...rows } = tableOf(release);
    expect(rows).toEqual({ type: 'table', ...EXPECTED_ROWS });
  });

  it('reads a JSON table, with a caption and a row header', async () => {
    const json = {
      headline: HEADLINE,
      language: 'en',
      body: [BODY.en, { type: 'table', caption: 'Results', head: [['Segment', 'Q3 2026']], body: [[{ content: 'Revenue', header: true }, '$1,234.5']] }],
    };
    const release = await parseRelease({ name: 'q3.json', bytes: utf8(JSON.stringify(json)) });
    expect(tableOf(release)).toEqual({
      type: 'table',
      caption: [{ type: 'text', text: 'Results' }],
      head: [[text('Segment'), text('Q3 2026')]],
      body: [[{ ...text('Revenue'), header: true }, text('$1,234.5')]],
    });
  });

  it('expands colspan, pads short rows, reads a caption and leading <th> rows as the header', async () => {
    const html = `<html lang="en"><body><h1>${HEADLINE}</h1><p>${BODY.en}</p><table><caption>Guidance</caption>
      <tr><th>Metric</th><th colspan="2">FY 2026</th></tr><tr><th>Revenue</th><td>$4.8bn</td><td>$5.0bn</td></tr><tr><td>EPS</td></tr></table></body></html>`;
    const table = tableOf(await parseRelease({ name: 'g.html', bytes: utf8(html) }));
    expect(table.caption).toEqual([{ type: 'text', text: 'Guidance' }]);
    expect(table.head).toEqual([[text('Metric'), text('FY 2026'), { content: [] }]]);
    expect(table.body).toEqual([
      [{ ...text('Revenue'), header: true }, text('$4.8bn'), text('$5.0bn')],
      [text('EPS'), { content: [] }, { content: [] }],
    ]);
  });

  it('rejects a table over the column limit with a message that names the limit', async () => {
    const row = `<tr>${Array.from({ length: 31 }, (_, i) => `<td>${i}</td>`).join('')}</tr>`;
    const html = `<html lang="en"><body><h1>${HEADLINE}</h1><p>${BODY.en}</p><table>${row}</table></body></html>`;
    await expectParseError(parseRelease({ name: 'wide.html', bytes: utf8(html) }), 'TOO_LARGE', 'wide.html', [/31 columns/, /limit is 500 rows and 30 columns/]);
  });
});

describe('tables: figure cells', () => {
  it.each(['$1,234.5', '(2.1)%', '12%', '–', '2026-09-30', '€ 12,5', 'EUR 12.5', '1.2bn', '4.8 m', '', 'ACME'])('%j is a figure', (value) => {
    expect(isFigureText(value)).toBe(true);
  });
  it.each(['Revenue', 'Q3 2026', 'up 12%', 'n/a', 'Umsatz in Mio. €'])('%j is text', (value) => {
    expect(isFigureText(value)).toBe(false);
  });
});

describe('tables: translation (pseudo engine, all wire languages)', () => {
  it('keeps every figure cell byte-identical and translates the text cells', async () => {
    const release = await parseRelease({ name: 'q3.md', bytes: utf8(GFM) });
    const source = tableOf(release);
    const engine = new PseudoEngine();
    for (const language of DEFAULT_TARGET_LANGUAGES.filter((l) => l !== 'en')) {
      const variant = await translateVariant(release, language, { engine, memory: new InMemoryTranslationMemory(), glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES });
      const table = variant.content.body.find((b): b is TableBlock => b.type === 'table')!;
      expect(table.align, language).toEqual(source.align);
      const cells = (t: TableBlock) => [...t.head, ...t.body].flat().map((cell) => inlineText(cell.content));
      const [before, after] = [cells(source), cells(table)];
      expect(after, language).toHaveLength(before.length);
      before.forEach((value, i) => {
        if (isFigureText(value)) expect(after[i], `${language}: ${value}`).toBe(value);
        else expect(after[i], `${language}: ${value}`).not.toBe(value);
      });
    }
  });
});

describe('tables: outputs', () => {
  const times = { publishedAt: '2026-11-26T09:00:00Z', updatedAt: '2026-11-26T09:00:00Z' };
  const variantOf = (release: Release, language: string): Variant => ({
    releaseId: release.id,
    version: 1,
    language,
    sourceLanguage: 'en',
    content: { headline: release.headline, body: release.body, categories: [], boilerplates: [] },
    provenance: { kind: 'original', engine: 'none' },
    ledger: { billedCharacters: 0, memoryCharacters: 0, requests: 0, estimatedCostUsd: 0 },
  });

  it('renders an accessible, scrollable table in the page and in ninjs body_html', async () => {
    const release = await parseRelease({ name: 'q3.md', bytes: utf8(GFM) });
    const files = renderVariantFiles({ site: { baseUrl: 'https://news.example.com', title: 'n' }, release, variant: variantOf(release, 'en'), languages: ['en'], times });
    const page = files.find((f) => f.path.endsWith('.html'))!.body;
    expect(page).toContain('<div class="table-scroll" role="region" tabindex="0"><table><thead><tr><th scope="col" class="align-start">Segment</th><th scope="col" class="align-end">Q3 2026</th>');
    expect(page).toContain('<td class="align-end figure">$1,234.5</td>');
    const ninjs = JSON.parse(files.find((f) => f.path.endsWith('.json'))!.body) as { bodies: { role: string; contentType: string; value: string }[] };
    expect(ninjs.bodies[0]!.value).toContain('<td class="align-end figure">(2.1)%</td>');
  });

  it('isolates figures as left-to-right runs on a right-to-left page, with logical alignment', async () => {
    const release = await parseRelease({ name: 'q3.md', bytes: utf8(GFM) });
    const files = renderVariantFiles({ site: { baseUrl: 'https://news.example.com', title: 'n' }, release, variant: variantOf(release, 'ar'), languages: ['en', 'ar'], times });
    const page = files.find((f) => f.path.endsWith('.html'))!.body;
    expect(page).toContain('<html lang="ar" dir="rtl"');
    expect(page).toContain('<td class="align-end figure"><bdi dir="ltr">(2.1)%</bdi></td>');
  });

  it('puts the table into RSS, Atom and JSON Feed item content, sanitized', async () => {
    const release = await parseRelease({ name: 'q3.md', bytes: utf8(GFM) });
    const entry = feedEntryOf(release, variantOf(release, 'en'), times);
    expect(entry.tables).toHaveLength(1);
    const files = renderLanguageFiles({ site: { baseUrl: 'https://news.example.com', title: 'n' }, language: 'en', entries: [entry], updatedAt: times.updatedAt });
    const rss = files.find((f) => f.path === 'en/feed.xml')!.body;
    expect(rss).toContain('<table><thead><tr><th scope="col">Segment</th>');
    expect(rss).toContain('<td>$1,234.5</td>');
    expect(rss).not.toContain('role="region"');
    const json = JSON.parse(files.find((f) => f.path === 'en/feed.json')!.body) as { items: { content_html: string }[] };
    expect(json.items[0]!.content_html).toContain('<td>12%</td>');
    expect(files.find((f) => f.path === 'en/atom.xml')!.body).toContain('Operating margin');
  });
});
