/**
 * Release identity through the real ingest handler on the emulators: different sources never
 * merge into one release unless the issuer says they are one (same key, or a declared id from
 * the same folder). See docs/release-identity.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSource, formatSourceList, uploadsNeedingAttention } from '../../../functions/core/pipeline/status';
import { startPipeline, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

/** The release id the ingest recorded for an upload. */
async function releaseOf(harness: PipelineHarness, key: string): Promise<string | undefined> {
  return (await harness.repository.getSource(key))?.releaseId;
}

function ninjsItem(uri: string, headline: string): string {
  return JSON.stringify({
    uri,
    type: 'text',
    language: 'en',
    headlines: [{ role: 'main', value: headline }],
    bodies: [{ role: 'main', contentType: 'text/html', value: `<p>${wireRelease({ headline }).split('\n')[2]}</p><p>“We are proud of the team,” said the chief executive.</p>` }],
  });
}

function markdownWithId(id: string, headline: string, company: string): string {
  return ['---', `id: ${id}`, 'language: en', '---', '', `# ${headline}`, '', wireRelease({ headline, company }).split('\n').slice(2).join('\n')].join('\n');
}

describe('pipeline: release identity', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('keeps two files of the same name in different folders apart', async () => {
    await harness.run(await harness.upload('incoming/acme/news.md', wireRelease({ headline: 'Acme opens a plant', company: 'Acme Robotics' })));
    await harness.run(await harness.upload('incoming/globex/news.md', wireRelease({ headline: 'Globex buys a rival', company: 'Globex Corporation' })));

    const acme = await releaseOf(harness, 'incoming/acme/news.md');
    const globex = await releaseOf(harness, 'incoming/globex/news.md');
    expect(acme).toBe('news');
    expect(globex).toMatch(/^news-[0-9a-f]{10}$/);
    expect(await harness.repository.getRelease('news')).toMatchObject({ latestVersion: 1, headline: 'Acme opens a plant' });
    expect(await harness.repository.getRelease(globex!)).toMatchObject({ latestVersion: 1, headline: 'Globex buys a rival' });
    expect(await text(harness, 'en/releases/news.html')).toContain('Acme opens a plant');
    expect(await text(harness, 'en/releases/news.html')).not.toContain('Globex');
    expect(harness.queues.webhook.bodies<{ event: { type: string; releaseId: string } }>().filter((b) => b.event.type === 'release.updated')).toEqual([]);
  });

  it('keeps an NFC and an NFD file name apart (two objects), and gives both the composed name’s readable id', async () => {
    const nfc = 'incoming/Café Müller.txt'.normalize('NFC');
    const nfd = 'incoming/Café Müller.txt'.normalize('NFD');
    expect(nfc).not.toBe(nfd);
    await harness.run(await harness.upload(nfc, wireRelease({ headline: 'Café Müller opens in Lyon' })));
    await harness.run(await harness.upload(nfd, wireRelease({ headline: 'A different café opens in Graz' })));

    const first = await releaseOf(harness, nfc);
    const second = await releaseOf(harness, nfd);
    expect(first).toBe('cafe-mueller');
    expect(second).toMatch(/^cafe-mueller-[0-9a-f]{10}$/);
    expect(await harness.repository.getRelease(first!)).toMatchObject({ latestVersion: 1, headline: 'Café Müller opens in Lyon' });
    expect(await harness.repository.getRelease(second!)).toMatchObject({ latestVersion: 1, headline: 'A different café opens in Graz' });
  });

  it('hashes ninjs uris whole: two items whose ids share the suffix :1 are two releases, both published', async () => {
    await harness.run(await harness.upload('incoming/reuters-a.json', ninjsItem('urn:newsml:reuters.com:20261126:nL1N3AA01:1', 'Port of Kobe opens a ferry line')));
    await harness.run(await harness.upload('incoming/reuters-b.json', ninjsItem('urn:newsml:reuters.com:20261126:nL1N3BB02:1', 'Airline orders twenty jets')));

    const a = await releaseOf(harness, 'incoming/reuters-a.json');
    const b = await releaseOf(harness, 'incoming/reuters-b.json');
    expect(a).toMatch(/^nl1n3aa01-[0-9a-f]{10}$/);
    expect(b).toMatch(/^nl1n3bb02-[0-9a-f]{10}$/);
    expect(await text(harness, `en/releases/${a}.html`)).toContain('Port of Kobe opens a ferry line');
    expect(await text(harness, `en/releases/${b}.html`)).toContain('Airline orders twenty jets');
  });

  it('makes a re-upload under the same key a new version of the same release', async () => {
    const key = 'incoming/globex/news.md';
    const id = await releaseOf(harness, key);
    await harness.run(await harness.upload(key, wireRelease({ headline: 'Globex buys a rival, corrected', company: 'Globex Corporation' })));
    expect(await releaseOf(harness, key)).toBe(id);
    expect(await harness.repository.getRelease(id!)).toMatchObject({ latestVersion: 2, headline: 'Globex buys a rival, corrected' });
    expect(await harness.repository.getRelease('news')).toMatchObject({ latestVersion: 1, headline: 'Acme opens a plant' });
  });

  it('lets a declared id shared on purpose (same folder, new file name) correct the release', async () => {
    await harness.run(await harness.upload('incoming/acme/q3.md', markdownWithId('acme-q3-results', 'Acme reports third-quarter results', 'Acme Robotics')));
    await harness.run(await harness.upload('incoming/acme/q3-corrected.md', markdownWithId('acme-q3-results', 'Acme reports third-quarter results (corrected)', 'Acme Robotics')));
    expect(await releaseOf(harness, 'incoming/acme/q3-corrected.md')).toBe('acme-q3-results');
    expect(await harness.repository.getRelease('acme-q3-results')).toMatchObject({ latestVersion: 2, headline: 'Acme reports third-quarter results (corrected)' });
  });

  it('refuses a declared id that belongs to another folder’s release as RELEASE_ID_CONFLICT, shown by status', async () => {
    const key = 'incoming/globex/q3.md';
    await harness.run(await harness.upload(key, markdownWithId('acme-q3-results', 'Globex reports its own results', 'Globex Corporation')));

    expect(await harness.repository.getRelease('acme-q3-results')).toMatchObject({ latestVersion: 2, headline: 'Acme reports third-quarter results (corrected)' });
    const source = await harness.repository.getSource(key);
    expect(source).toMatchObject({ status: 'rejected', error: { code: 'RELEASE_ID_CONFLICT' } });
    expect(String(source?.error?.message)).toContain('belongs to a release uploaded as incoming/acme/q3-corrected.md');
    expect(await text(harness, 'en/releases/acme-q3-results.html')).not.toContain('Globex');

    const listed = uploadsNeedingAttention(await harness.repository.listSourcesNeedingAttention(50), new Date());
    expect(formatSourceList(listed)).toMatch(/rejected\s+incoming\/globex\/q3\.md\n\s+RELEASE_ID_CONFLICT: /);
    expect(await findSource(harness.repository, key)).toMatchObject({ status: 'rejected' });
  });
});
