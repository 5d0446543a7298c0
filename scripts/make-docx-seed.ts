/**
 * Generates `seeds/cerrado-sementes-pt-2026.docx`, the Word seed release, with the `docx` package.
 *
 * Deterministic: the document properties are fixed, the clock is frozen (ZIP entries carry a
 * timestamp) and Math.random is seeded (docx names hyperlink relationships with non-secure
 * nanoid), so running it again yields the same bytes.
 *
 *   node bin/run-ts.mjs scripts/make-docx-seed.ts [output-path]
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Document, ExternalHyperlink, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

const FIXED_TIME = Date.UTC(2026, 10, 25, 9, 0, 0);
const output = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'seeds', 'cerrado-sementes-pt-2026.docx');

/** docx writes `new Date()` into core.xml; this replaces the file with fixed values. */
const CORE_XML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Cerrado Sementes lança banco de sementes nativas</dc:title><dc:creator>Cerrado Sementes</dc:creator><cp:lastModifiedBy>Cerrado Sementes</cp:lastModifiedBy><cp:revision>1</cp:revision><dc:language>pt-BR</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-25T09:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-25T09:00:00Z</dcterms:modified></cp:coreProperties>`;

const realNow = Date.now;
const realRandom = Math.random;
const realTz = process.env.TZ;
process.env.TZ = 'UTC';
Date.now = () => FIXED_TIME;
Math.random = seededRandom(20261125);

/** mulberry32: a tiny seeded PRNG, enough to make generated ids repeatable. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const text = (value: string): Paragraph => new Paragraph({ children: [new TextRun(value)] });

const document = new Document({
  creator: 'Cerrado Sementes',
  title: 'Cerrado Sementes lança banco de sementes nativas',
  sections: [
    {
      children: [
        new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun('Cerrado Sementes inaugura em Goiás o maior banco de sementes nativas do Brasil')] }),
        new Paragraph({ style: 'Subtitle', children: [new TextRun('Acervo de 1.400 espécies vai abastecer projetos de restauração em 12 estados')] }),
        new Paragraph({
          children: [
            new TextRun('GOIÂNIA, 25 de novembro de 2026 /PRNewswire/ -- A '),
            new TextRun({ text: 'Cerrado Sementes', bold: true }),
            new TextRun(
              ', empresa dedicada à coleta e ao beneficiamento de sementes de espécies nativas, inaugurou nesta quarta-feira, em Goiânia, um banco de sementes com capacidade para armazenar 180 toneladas de material genético de 1.400 espécies do Cerrado, da Mata Atlântica e da Caatinga.',
            ),
          ],
        }),
        text(
          'O acervo será usado em projetos de recuperação de áreas degradadas, nascentes e matas ciliares. Segundo a empresa, a demanda por sementes nativas triplicou nos últimos três anos, impulsionada por compromissos de restauração assumidos por produtores rurais e governos estaduais.',
        ),
        text(
          '“Não existe restauração em grande escala sem semente de qualidade, e semente nativa não se compra em prateleira”, afirmou Renata Albuquerque, diretora-executiva da Cerrado Sementes. “Cada lote que guardamos aqui foi colhido por uma rede de 640 coletores comunitários.”',
        ),
        new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Renda para coletores comunitários')] }),
        text(
          'A rede de coletores reúne agricultores familiares, comunidades quilombolas e povos indígenas de 85 municípios. Em 2026, a empresa pagou R$ 14 milhões pelas sementes coletadas, um aumento de 40 % em relação ao ano anterior.',
        ),
        new Paragraph({ children: [new TextRun('Os principais números do novo banco:')] }),
        new Paragraph({ bullet: { level: 0 }, children: [new TextRun('câmaras frias a 10 °C e 40 % de umidade relativa')] }),
        new Paragraph({ bullet: { level: 0 }, children: [new TextRun('laboratório próprio de testes de germinação')] }),
        new Paragraph({ bullet: { level: 0 }, children: [new TextRun('rastreabilidade de cada lote até o ponto de coleta')] }),
        new Paragraph({
          children: [
            new TextRun('O catálogo completo de espécies está disponível no '),
            new ExternalHyperlink({ link: 'https://www.cerradosementes.example/catalogo', children: [new TextRun({ text: 'site da empresa', style: 'Hyperlink' })] }),
            new TextRun('.'),
          ],
        }),
        new Paragraph({ heading: HeadingLevel.HEADING_3, children: [new TextRun('Sobre a Cerrado Sementes')] }),
        text(
          'Fundada em 2011 em Alto Paraíso de Goiás, a Cerrado Sementes produz e comercializa sementes e mudas de espécies nativas para projetos de restauração ecológica. A empresa emprega 230 pessoas e já forneceu material para a recuperação de mais de 60 mil hectares.',
        ),
        new Paragraph({
          children: [
            new TextRun('Contato para a imprensa:'),
            new TextRun({ text: 'Tiago Moreira', break: 1 }),
            new TextRun({ text: 'Cerrado Sementes', break: 1 }),
            new TextRun({ text: '+55 62 5555-0198', break: 1 }),
            new TextRun({ text: 'imprensa@cerradosementes.example', break: 1 }),
          ],
        }),
      ],
    },
  ],
});

try {
  const buffer = await Packer.toBuffer(document, false, [{ path: 'docProps/core.xml', data: CORE_XML }]);
  writeFileSync(output, buffer);
  console.log(`wrote ${output} (${buffer.length} bytes)`);
} finally {
  Date.now = realNow;
  Math.random = realRandom;
  if (realTz === undefined) delete process.env.TZ;
  else process.env.TZ = realTz;
}
