import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRelease } from '../../../../functions/core/parse/index';
import { ReleaseSchema, blockText } from '../../../../functions/core/release';
import { repoRoot, seed } from './helpers';

describe('the SeaPRwire sample release', () => {
  const name = 'seeds/seaprwire-de-2024-blinken.txt';
  const parse = () => parseRelease({ name, bytes: seed('seaprwire-de-2024-blinken.txt') });

  it('reads headline, source tag, language and categories', async () => {
    const release = await parse();
    expect(release.headline).toBe('USA warnt Russland vor möglicher Unterstützung des nordkoreanischen Nuklearprogramms, eine direkte Bedrohung für Europa und Asien');
    expect(release.sourceTag).toEqual({ raw: '(SeaPRwire) –', wire: 'SeaPRwire' });
    expect(release.language).toBe('de');
    expect(release.languageSource).toBe('detected');
    expect(release.languageConfidence).toBeGreaterThan(0.5);
    expect(release.categories).toEqual(['Top-Story', 'Tagesnachrichten']);
    expect(release.subheadline).toBeUndefined();
    expect(release.id).toBe('seaprwire-de-2024-blinken');
    expect(release.version).toBe(1);
    expect(release.source).toMatchObject({ format: 'text', encoding: 'utf-8', bytes: 4890 });
  });

  it('removes the source tag from the first paragraph', async () => {
    const [first] = (await parse()).body;
    expect(first?.type).toBe('paragraph');
    expect(blockText(first!)).toMatch(/^In einer beunruhigenden Warnung am Mittwoch/);
  });

  it('marks quoted paragraphs as quotes, including a quote continued from the previous paragraph', async () => {
    const body = (await parse()).body;
    const quotes = body.filter((block) => block.type === 'quote').map(blockText);
    expect(quotes).toHaveLength(5);
    expect(quotes[0]).toMatch(/^“Tatsächlich ist die Beziehung/);
    // Opens with “ but the previous paragraph's quote never closed: typographic continuation.
    expect(quotes[1]).toMatch(/^“Gleichzeitig stellt die Unterstützung/);
    expect(quotes).toContainEqual(expect.stringMatching(/^“Wenn Sie einen langfristigen Frieden/));
    // A paragraph that only contains quoted phrases is not a quote.
    const nannte = body.find((block) => blockText(block).startsWith('Blinken nannte'));
    expect(nannte?.type).toBe('paragraph');
  });

  it('separates the disclaimer and the wire boilerplate from the body', async () => {
    const release = await parse();
    expect(release.disclaimer).toMatch(/^Der Artikel wird von einem Drittanbieter bereitgestellt\. /);
    expect(release.boilerplates).toHaveLength(1);
    expect(release.boilerplates[0]!.kind).toBe('wire');
    expect(blockText(release.boilerplates[0]!.body[0]!)).toMatch(/^SeaPRwire liefert Echtzeit-Pressemitteilungsverteilung/);
    const bodyText = release.body.map(blockText).join('\n');
    expect(bodyText).not.toContain('Drittanbieter');
    expect(bodyText).not.toContain('Branchen:');
    expect(bodyText).not.toContain('SeaPRwire liefert');
    expect(release.body).toHaveLength(15);
    expect(blockText(release.body.at(-1)!)).toMatch(/^Der Außenminister versprach außerdem/);
  });
});

describe('every seed', () => {
  const seeds = readdirSync(join(repoRoot, 'seeds')).filter((file) => /\.(txt|md|html|json|docx)$/.test(file));

  it('has one seed per format', () => {
    expect(seeds.length).toBeGreaterThanOrEqual(7);
  });

  it.each(seeds)('%s parses cleanly into a valid release', async (file) => {
    const release = await parseRelease({ name: `seeds/${file}`, bytes: seed(file) });
    expect(ReleaseSchema.safeParse(release).success).toBe(true);
    expect(release.body.length).toBeGreaterThan(2);
    expect(release.boilerplates.length + release.contacts.length).toBeGreaterThan(0);
  });

  it('covers all six formats and at least three languages', async () => {
    const releases = await Promise.all(seeds.map((file) => parseRelease({ name: `seeds/${file}`, bytes: seed(file) })));
    expect(new Set(releases.map((r) => r.source.format))).toEqual(new Set(['text', 'markdown', 'html', 'json', 'ninjs', 'docx']));
    expect(new Set(releases.map((r) => r.language)).size).toBeGreaterThanOrEqual(3);
  });
});
