/**
 * The ingest use case through in-memory port fakes: S3 events delivered twice, out of order,
 * concurrently, for unchanged, corrected and rejected uploads. No emulators: milliseconds per case.
 */
import { describe, expect, it } from 'vitest';
import { ingestObject, SOURCE_LEASE_MS, type IngestDeps } from '../../../../functions/core/pipeline/ingest';
import { objectKeys } from '../../../../functions/core/pipeline/keys';
import { ConcurrentUpdateError } from '../../../../functions/ports';
import { InMemoryObjectStore, InMemoryReleaseRepository, RecordingQueue, TestClock } from '../../../support/fakes';

const RELEASE = (headline: string, paragraph = 'Harbor Wind today opened its first offshore wind farm off the coast of Norway.') =>
  `${headline}\n\nBERGEN, Norway, Dec. 1, 2026 (SeaPRwire) -- ${paragraph}\n\n"This is a good day for the coast," said Ada Berg, chief executive of Harbor Wind.\n`;

function setup() {
  const uploads = new InMemoryObjectStore();
  const repository = new InMemoryReleaseRepository();
  const translateQueue = new RecordingQueue();
  const clock = new TestClock();
  const deps: IngestDeps = { uploads, repository, translateQueue, clock, targetLanguages: ['de', 'fr'] };
  const upload = (key: string, text: string) => uploads.put(key, text, { contentType: 'text/plain' });
  const event = (key: string, sequencer: string) => ({ bucket: 'uploads', key, sequencer });
  return { deps, uploads, repository, translateQueue, clock, upload, event };
}

describe('ingest', () => {
  it('records version 1, a pending variant per planned language and one translate job each', async () => {
    const { deps, repository, translateQueue, upload, event, uploads } = setup();
    await upload('incoming/harbor-wind.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    const outcome = await ingestObject(deps, event('incoming/harbor-wind.txt', '0A'));
    expect(outcome).toMatchObject({ kind: 'release', decision: 'new', version: 1, languages: ['en', 'de', 'fr'] });
    const releaseId = (outcome as { releaseId: string }).releaseId;
    expect((await repository.listVariants(releaseId, 1)).map((v) => [v.language, v.status])).toEqual([
      ['de', 'pending'],
      ['en', 'pending'],
      ['fr', 'pending'],
    ]);
    expect(translateQueue.bodies()).toEqual(['en', 'de', 'fr'].map((language) => ({ releaseId, version: 1, language })));
    expect(uploads.text(objectKeys.release(releaseId, 1))).toContain('Harbor Wind Opens');
    expect((await repository.getSource('incoming/harbor-wind.txt'))?.status).toBe('processed');
  });

  it('records on each variant which inputs lay beside the release, so translate looks up only those', async () => {
    const { deps, repository, upload, event, uploads } = setup();
    await uploads.put(objectKeys.translation('harbor-wind', 'fr'), '{}', { contentType: 'application/json' });
    await upload('incoming/harbor-wind.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    const outcome = await ingestObject(deps, event('incoming/harbor-wind.txt', '0A'));
    const releaseId = (outcome as { releaseId: string }).releaseId;
    expect(releaseId).toBe('harbor-wind');
    const inputs = Object.fromEntries((await repository.listVariants(releaseId, 1)).map((v) => [v.language, v.inputs]));
    expect(inputs).toEqual({
      de: { humanTranslation: false, glossary: false },
      en: { humanTranslation: false, glossary: false },
      fr: { humanTranslation: true, glossary: false },
    });
    await uploads.put(objectKeys.glossary(), 'doNotTranslate: [Harbor Wind]\n', { contentType: 'text/yaml' });
    await upload('incoming/other.txt', RELEASE('Harbor Wind Opens Its Second Offshore Farm'));
    const other = (await ingestObject(deps, event('incoming/other.txt', '0B'))) as { releaseId: string };
    expect((await repository.getVariant(other.releaseId, 1, 'de'))?.inputs).toEqual({ humanTranslation: false, glossary: true });
  });

  it('drops a second delivery of the same event and an older event of the key', async () => {
    const { deps, translateQueue, upload, event } = setup();
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    await ingestObject(deps, event('incoming/a.txt', '0B'));
    expect(await ingestObject(deps, event('incoming/a.txt', '0B'))).toEqual({ kind: 'duplicate-event', key: 'incoming/a.txt' });
    expect(await ingestObject(deps, event('incoming/a.txt', '0A'))).toEqual({ kind: 'older', key: 'incoming/a.txt' });
    expect(translateQueue.messages).toHaveLength(3);
  });

  it('asks for a retry while another delivery holds the lease, and takes over once it has run out', async () => {
    const { deps, repository, clock, upload, event } = setup();
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    // A first delivery claimed the event and crashed before completing it.
    expect(await repository.claimSource('incoming/a.txt', '0C', clock.now(), SOURCE_LEASE_MS)).toBe('claimed');
    await expect(ingestObject(deps, event('incoming/a.txt', '0C'))).rejects.toBeInstanceOf(ConcurrentUpdateError);
    clock.advance(SOURCE_LEASE_MS + 1);
    expect(await ingestObject(deps, event('incoming/a.txt', '0C'))).toMatchObject({ kind: 'release', decision: 'new', version: 1 });
  });

  it('makes a corrected upload version 2 and a byte-identical one a duplicate that re-drives version 1', async () => {
    const { deps, translateQueue, upload, event } = setup();
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    await ingestObject(deps, event('incoming/a.txt', '01'));
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    expect(await ingestObject(deps, event('incoming/a.txt', '02'))).toMatchObject({ decision: 'duplicate', version: 1 });
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm', 'Harbor Wind today opened its first offshore wind farm, of 12 turbines.'));
    expect(await ingestObject(deps, event('incoming/a.txt', '03'))).toMatchObject({ decision: 'new', version: 2 });
    expect(translateQueue.bodies<{ version: number }>().map((b) => b.version)).toEqual([1, 1, 1, 1, 1, 1, 2, 2, 2]);
  });

  it('never lets an older event that read the old bytes become the version after a newer one', async () => {
    const { deps, repository, upload, event } = setup();
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    await ingestObject(deps, event('incoming/a.txt', '01'));
    // The newer event (05) has claimed the key and finished; an event 04 claimed earlier is still running.
    await upload('incoming/a.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm', 'Corrected: twelve turbines.'));
    const newer = await ingestObject(deps, event('incoming/a.txt', '05'));
    expect(newer).toMatchObject({ decision: 'new', version: 2 });
    const meta = (await repository.getRelease((newer as { releaseId: string }).releaseId))!;
    const stale = await repository.advanceRelease({ ...meta, latestVersion: 3, sourceSequencer: '04', latestSha256: 'x'.repeat(64) }, 2);
    expect(stale).toBe('newer-source');
  });

  it('rejects an empty upload with a reason, keeps the original in quarantine and lists it as needing attention', async () => {
    const { deps, repository, uploads, translateQueue, upload, event } = setup();
    await upload('incoming/leer.txt', '');
    const outcome = await ingestObject(deps, event('incoming/leer.txt', '01'));
    expect(outcome.kind).toBe('rejected');
    const quarantined = objectKeys.quarantine('incoming/leer.txt');
    expect(uploads.objects.has(quarantined.copy)).toBe(true);
    expect(JSON.parse(uploads.text(quarantined.error)!)).toMatchObject({ key: 'incoming/leer.txt', error: { code: expect.any(String) } });
    expect((await repository.listSourcesNeedingAttention(10)).map((s) => [s.key, s.status])).toEqual([['incoming/leer.txt', 'rejected']]);
    expect(translateQueue.messages).toEqual([]);
  });

  it('records an event for a deleted object as gone', async () => {
    const { deps, repository, event } = setup();
    expect(await ingestObject(deps, event('incoming/deleted.txt', '01'))).toEqual({ kind: 'gone', key: 'incoming/deleted.txt' });
    expect((await repository.getSource('incoming/deleted.txt'))?.status).toBe('gone');
  });

  it('keeps a translation uploaded before its release waiting, and attaches it when the release arrives', async () => {
    const { deps, repository, upload, event } = setup();
    await upload('incoming/harbor-wind.de.txt', RELEASE('Harbor Wind eröffnet seinen ersten Offshore-Windpark', 'Harbor Wind hat heute seinen ersten Offshore-Windpark vor der Küste Norwegens eröffnet.'));
    const early = await ingestObject(deps, event('incoming/harbor-wind.de.txt', '01'));
    expect(early).toMatchObject({ kind: 'translation', language: 'de', awaitingBase: 'incoming/harbor-wind.txt' });
    expect((await repository.getSource('incoming/harbor-wind.de.txt'))?.status).toBe('awaiting-base');
    await upload('incoming/harbor-wind.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    await ingestObject(deps, event('incoming/harbor-wind.txt', '02'));
    expect((await repository.getSource('incoming/harbor-wind.de.txt'))?.status).toBe('processed');
  });

  it('sends a release far beyond a press release’s size to the bulk lane, records the lane on the version and keeps using it', async () => {
    const { deps, repository, translateQueue, upload, event } = setup();
    const bulkTranslateQueue = new RecordingQueue();
    const lanes = { ...deps, bulkTranslateQueue };
    // 60 paragraphs of ~1,000 characters: 60,000 characters, over BULK_LANE_CHARACTERS.
    const long = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1}: ${'Harbor Wind builds turbines off the coast of Norway. '.repeat(19)}`).join('\n\n');
    await upload('incoming/annual-report.txt', `Harbor Wind Publishes Its Annual Report\n\n${long}\n`);
    const bulk = (await ingestObject(lanes, event('incoming/annual-report.txt', '0A'))) as { releaseId: string };
    expect(bulkTranslateQueue.bodies()).toEqual(['en', 'de', 'fr'].map((language) => ({ releaseId: bulk.releaseId, version: 1, language })));
    expect(translateQueue.messages).toHaveLength(0);
    expect((await repository.getVersion(bulk.releaseId, 1))?.lane).toBe('bulk');

    // An ordinary release beside it takes the standard queue, and its version records no lane.
    await upload('incoming/harbor-wind.txt', RELEASE('Harbor Wind Opens Its First Offshore Farm'));
    const normal = (await ingestObject(lanes, event('incoming/harbor-wind.txt', '0B'))) as { releaseId: string };
    expect(translateQueue.bodies()).toEqual(['en', 'de', 'fr'].map((language) => ({ releaseId: normal.releaseId, version: 1, language })));
    expect((await repository.getVersion(normal.releaseId, 1))?.lane).toBeUndefined();

    // A human translation arriving later re-translates in the lane the version was given.
    await upload('incoming/annual-report.de.txt', RELEASE('Harbor Wind veröffentlicht seinen Geschäftsbericht', 'Harbor Wind hat heute seinen Geschäftsbericht veröffentlicht.'));
    await ingestObject(lanes, event('incoming/annual-report.de.txt', '0C'));
    expect(bulkTranslateQueue.bodies().at(-1)).toEqual({ releaseId: bulk.releaseId, version: 1, language: 'de', force: true });
    expect(translateQueue.messages).toHaveLength(3);

    // Without a bulk queue (a deployment without the lane), every job takes the standard queue.
    await upload('incoming/annual-report-2.txt', `Harbor Wind Publishes Its Second Annual Report\n\n${long}\n`);
    await ingestObject(deps, event('incoming/annual-report-2.txt', '0D'));
    expect(translateQueue.messages).toHaveLength(6);
  });
});
