/**
 * A hand-built release shaped like the SeaPRwire sample (German, quotes, disclaimer, categories,
 * wire boilerplate), validated with ReleaseSchema so the tests do not depend on the parser.
 */
import { ReleaseSchema, type Block, type Release } from '../../../../functions/core/release';

export const DISCLAIMER = 'Der Artikel wird von einem Drittanbieter bereitgestellt. SeaPRwire (https://www.seaprwire.com/) gibt diesbezüglich keine Zusicherungen oder Darstellungen ab.';
export const WIRE_BOILERPLATE =
  'SeaPRwire liefert Echtzeit-Pressemitteilungsverteilung für Unternehmen und Institutionen und erreicht mehr als 6.500 Medienshops, 86.000 Redakteure und Journalisten sowie 3,5 Millionen professionelle Desktops in 90 Ländern.';

export function paragraph(text: string): Block {
  return { type: 'paragraph', content: [{ type: 'text', text }] };
}

export function makeRelease(overrides: Partial<Release> = {}): Release {
  return ReleaseSchema.parse({
    schemaVersion: 1,
    id: 'usa-warnt-russland',
    version: 1,
    language: 'de',
    languageSource: 'declared',
    languageConfidence: 1,
    headline: 'USA warnt Russland vor möglicher Unterstützung des nordkoreanischen Nuklearprogramms',
    body: [
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: '(SeaPRwire) –   In einer beunruhigenden Warnung am Mittwoch sagte ' },
          { type: 'link', href: 'https://www.state.gov/secretary', children: [{ type: 'text', text: 'Außenminister Antony Blinken' }] },
          { type: 'text', text: ', dass die Beteiligung Russlands am Krieg eine ' },
          { type: 'em', children: [{ type: 'text', text: 'Bedrohung' }] },
          { type: 'text', text: ' darstellt.' },
        ],
      },
      {
        type: 'quote',
        content: [{ type: 'text', text: '“Tatsächlich ist die Beziehung zwischen Russland und Nordkorea eine Einbahnstraße”, sagte Blinken.' }],
      },
      paragraph('Acme Robotics (NASDAQ: ACME) meldet Rekordzahlen. Kontakt: presse@acme-robotics.de.'),
      { type: 'list', ordered: false, items: [[{ type: 'text', text: 'Erster Punkt' }], [{ type: 'text', text: 'Zweiter' }, { type: 'break' }, { type: 'text', text: 'Punkt' }]] },
    ],
    categories: ['Top-Story', 'Tagesnachrichten'],
    disclaimer: DISCLAIMER,
    boilerplates: [{ kind: 'wire', body: [paragraph(WIRE_BOILERPLATE)] }],
    sourceTag: { raw: '(SeaPRwire) –', wire: 'SeaPRwire' },
    contacts: [],
    source: { name: 'seaprwire-de-2024-blinken.txt', format: 'text', encoding: 'utf-8', bytes: 4096, sha256: 'a'.repeat(64) },
    ...overrides,
  });
}
