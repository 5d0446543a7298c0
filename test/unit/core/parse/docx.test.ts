import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { blockText } from '../../../../functions/core/release';
import { BODY, expectParseError, seed } from './helpers';

describe('Word .docx releases', () => {
  it('reads the Portuguese seed: Title and Subtitle styles, headings, bold, list, link, About block, contact', async () => {
    const release = await parseRelease({ name: 'cerrado.docx', bytes: seed('cerrado-sementes-pt-2026.docx') });
    expect(release).toMatchObject({
      headline: 'Cerrado Sementes inaugura em Goiás o maior banco de sementes nativas do Brasil',
      subheadline: 'Acervo de 1.400 espécies vai abastecer projetos de restauração em 12 estados',
      language: 'pt',
      languageSource: 'detected',
      sourceTag: { wire: 'PRNewswire', place: 'GOIÂNIA', date: '25 de novembro de 2026' },
      source: { format: 'docx', encoding: 'docx' },
    });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'paragraph', 'quote', 'heading', 'paragraph', 'paragraph', 'list', 'paragraph']);
    expect(release.body[0]).toMatchObject({ content: [{ type: 'text', text: 'A ' }, { type: 'strong', children: [{ type: 'text', text: 'Cerrado Sementes' }] }, { type: 'text' }] });
    expect(release.body.at(-1)).toMatchObject({ content: expect.arrayContaining([{ type: 'link', href: 'https://www.cerradosementes.example/catalogo', children: [{ type: 'text', text: 'site da empresa' }] }]) });
    expect(release.boilerplates).toMatchObject([{ kind: 'issuer', title: 'Sobre a Cerrado Sementes' }]);
    expect(release.contacts).toEqual([expect.objectContaining({ name: 'Tiago Moreira', email: 'imprensa@cerradosementes.example', phone: '+55 62 5555-0198' })]);
  });

  it('takes a first plain paragraph as headline when no Title or Heading 1 style is used', async () => {
    const document = new Document({
      sections: [
        {
          children: [
            new Paragraph({ children: [new TextRun({ text: 'Acme opens plant', bold: true })] }),
            new Paragraph(BODY.en),
            new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun('Numbers')] }),
            new Paragraph(BODY.en),
          ],
        },
      ],
    });
    const release = await parseRelease({ name: 'acme.docx', bytes: await Packer.toBuffer(document) });
    expect(release.headline).toBe('Acme opens plant');
    expect(release.body.map(blockText)).toEqual([BODY.en, 'Numbers', BODY.en]);
  });

  it('reports a broken Word package', async () => {
    const bytes = Uint8Array.from([...seed('cerrado-sementes-pt-2026.docx').subarray(0, 2000)]);
    await expectParseError(parseRelease({ name: 'broken.docx', bytes }), 'INVALID_DOCX', 'broken.docx', [/save it again/]);
  });
});
