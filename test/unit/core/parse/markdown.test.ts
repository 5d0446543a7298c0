import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { blockText } from '../../../../functions/core/release';
import { BODY, expectParseError, parseText, seed } from './helpers';

describe('Markdown releases', () => {
  it('reads the French seed: front matter fields, inline links and emphasis, About block, contact', async () => {
    const release = await parseRelease({ name: 'seeds/ondine-energie-fr-2026.md', bytes: seed('ondine-energie-fr-2026.md') });
    expect(release).toMatchObject({
      id: 'ondine-hydrolienne-raz-blanchard',
      version: 1,
      language: 'fr',
      languageSource: 'declared',
      headline: 'Ondine Énergies met en service la première ferme hydrolienne commerciale du Raz Blanchard',
      subheadline: 'Sept turbines sous-marines alimenteront 18 000 foyers du Cotentin dès cet hiver',
      categories: ['Énergie', 'Environnement', 'Industrie'],
      date: '2026-11-18T10:00:00+01:00',
      canonicalUrl: 'https://presse.ondine-energies.example/communiques/raz-blanchard-mise-en-service',
      glossary: ['Ondine Énergies', 'HydroVague 2', 'Raz Blanchard'],
      targets: ['en', 'de', 'es', 'ja'],
      sourceTag: { raw: 'CHERBOURG-EN-COTENTIN, le 18 novembre 2026 –', place: 'CHERBOURG-EN-COTENTIN', date: 'le 18 novembre 2026' },
    });
    expect(release.body[0]).toEqual({
      type: 'paragraph',
      content: [
        { type: 'strong', children: [{ type: 'text', text: 'Ondine Énergies' }] },
        { type: 'text', text: expect.stringMatching(/^, producteur indépendant d'électricité marine, annonce .* Les sept turbines $/) },
        { type: 'em', children: [{ type: 'text', text: 'HydroVague 2' }] },
        { type: 'text', text: expect.stringMatching(/^, d'une puissance totale/) },
      ],
    });
    expect(release.body).toContainEqual({
      type: 'paragraph',
      content: [
        { type: 'text', text: expect.stringContaining('est publié chaque trimestre sur ') },
        { type: 'link', href: 'https://www.ondine-energies.example/raz-blanchard/suivi', children: [{ type: 'text', text: 'le site du projet' }] },
        { type: 'text', text: '.' },
      ],
    });
    expect(release.body).toContainEqual({ type: 'heading', level: 2, content: [{ type: 'text', text: 'Un chantier mené depuis le port de Cherbourg' }] });
    expect(release.body.filter((b) => b.type === 'quote')).toHaveLength(2);
    expect(release.body.find((b) => b.type === 'list')).toMatchObject({ ordered: false, items: { length: 3 } });
    expect(release.boilerplates).toMatchObject([{ kind: 'issuer', title: "À propos d'Ondine Énergies" }]);
    expect(release.contacts).toEqual([expect.objectContaining({ name: 'Julien Lefèvre', organization: 'Ondine Énergies', phone: '+33 2 31 55 01 47', email: 'presse@ondine-energies.example' })]);
  });

  it('takes the headline from `# …` when the front matter has no title, and an italic deck as subheadline', async () => {
    const release = await parseText(
      'r.md',
      `---\nlanguage: en\nembargo: 2026-11-20T09:00:00-05:00\n---\n\n# Acme opens plant\n\n*A deck line*\n\n${BODY.en}\n\n> "We are proud of this team and of this plant," said the CEO.\n`,
    );
    expect(release.headline).toBe('Acme opens plant');
    expect(release.subheadline).toBe('A deck line');
    expect(release.embargo).toEqual({ until: '2026-11-20T09:00:00-05:00', raw: '2026-11-20T09:00:00-05:00' });
    expect(release.body.map((b) => b.type)).toEqual(['paragraph', 'quote']);
  });

  it('works without front matter', async () => {
    const release = await parseText('plain.md', `# Acme opens plant\n\n${BODY.en}\n\n1. first\n2. second\n`);
    expect(release.language).toBe('en');
    expect(release.body[1]).toEqual({ type: 'list', ordered: true, items: [[{ type: 'text', text: 'first' }], [{ type: 'text', text: 'second' }]] });
  });

  it('keeps HTML inside Markdown sanitized', async () => {
    const release = await parseText('x.md', `# Acme\n\n${BODY.en} <script>alert(1)</script><a href="javascript:alert(1)">click</a>\n`);
    expect(JSON.stringify(release)).not.toMatch(/alert|javascript/);
  });

  it('names the front-matter field of a bad value', async () => {
    const error = await expectParseError(parseText('bad.md', `---\nlanguage: en\ncanonical: not a url\n---\n\n# Acme\n\n${BODY.en}`), 'SCHEMA_MISMATCH', 'bad.md', [/canonical/]);
    expect(error.location).toMatchObject({ field: 'front matter: canonical', line: 3 });
    await expectParseError(parseText('bad.md', `---\ncategories: {a: 1}\n---\n\n# Acme\n\n${BODY.en}`), 'SCHEMA_MISMATCH', 'bad.md', [/list of texts/]);
    await expectParseError(parseText('bad.md', `---\n- just\n- a list\n---\n\n# Acme\n\n${BODY.en}`), 'INVALID_FRONT_MATTER', 'bad.md', [/mapping/]);
  });

  it('keeps the body text of the seed apart from the front matter', async () => {
    const release = await parseRelease({ name: 'seeds/ondine-energie-fr-2026.md', bytes: seed('ondine-energie-fr-2026.md') });
    expect(release.body.map(blockText).join('\n')).not.toMatch(/glossary|canonical|---/);
  });
});
