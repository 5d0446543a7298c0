import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ingestObject, type IngestDeps } from '../../../functions/core/pipeline/ingest';
import { objectKeys } from '../../../functions/core/pipeline/keys';
import type { ObjectCreatedEvent } from '../../../functions/core/pipeline/s3-events';
import type { ObjectStore } from '../../../functions/ports';
import { RecordingQueue, startPipeline, steppingClock, stubCliEnvironment, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

describe('pipeline: uploads that are not (yet) releases', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de', 'fr'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('records a language-suffixed file without its base as awaiting-base, and attaches it when the base arrives', async () => {
    const translationKey = 'incoming/pressemitteilung.de.txt';
    const german = wireRelease({ headline: 'Acme eröffnet ein Werk in Leipzig', company: 'Acme Robotik GmbH' });
    await harness.run(await harness.upload(translationKey, german));

    const waiting = await harness.repository.getSource(translationKey);
    expect(waiting?.status).toBe('awaiting-base');
    expect(waiting?.releaseId).toBe('pressemitteilung');
    expect(waiting?.error).toMatchObject({ code: 'BASE_RELEASE_MISSING', location: { file: translationKey } });
    expect(String(waiting?.error?.message)).toContain('stored as the de translation of pressemitteilung.txt, which has not been uploaded');
    expect(String(waiting?.error?.hint)).toBe('upload the base release, or rename the file without the .de suffix if this is a release of its own');
    expect(await harness.repository.getRelease('pressemitteilung')).toBeUndefined();
    expect(await text(harness, 'de/releases/pressemitteilung.html')).toBeUndefined();

    await harness.run(await harness.upload('incoming/pressemitteilung.txt', wireRelease({ headline: 'Acme opens a plant in Leipzig' })));
    const attached = await harness.repository.getSource(translationKey);
    expect(attached?.status).toBe('processed');
    expect(attached?.error).toBeUndefined();
    expect(await harness.repository.getVariant('pressemitteilung', 1, 'de')).toMatchObject({ status: 'published', provenance: { kind: 'human' } });
    expect(await text(harness, 'de/releases/pressemitteilung.html')).toContain('Acme eröffnet ein Werk in Leipzig');
    expect(await text(harness, 'en/releases/pressemitteilung.html')).toContain('Acme opens a plant in Leipzig');
  });

  it('does not let an older event of a key become the next version when it read the old bytes before a newer event finished', async () => {
    const key = 'incoming/race.txt';
    const olderBytes = new TextEncoder().encode(wireRelease({ headline: 'Draft announcement of the robot' }));
    const older = JSON.parse(await harness.upload(key, olderBytes)).Records[0].s3.object.sequencer as string;
    const newer = JSON.parse(await harness.upload(key, wireRelease({ headline: 'Final announcement of the robot' }))).Records[0].s3.object.sequencer as string;

    // The older delivery reads the old bytes, then stalls until the newer one has completed.
    let olderReading!: () => void;
    const olderHasRead = new Promise<void>((resolve) => (olderReading = resolve));
    let newerDone!: () => void;
    const newerHasCompleted = new Promise<void>((resolve) => (newerDone = resolve));
    let stalled = false;
    const uploads: ObjectStore = Object.assign(Object.create(harness.uploads) as ObjectStore, {
      get: async (k: string) => {
        if (k !== key || stalled) return harness.uploads.get(k);
        stalled = true;
        olderReading();
        await newerHasCompleted;
        return { body: olderBytes, metadata: {} };
      },
    });
    const deps: IngestDeps = { uploads, repository: harness.repository, translateQueue: new RecordingQueue(false), clock: steppingClock(Date.parse('2026-11-26T12:00:00Z')), targetLanguages: ['en'] };
    const event = (sequencer: string): ObjectCreatedEvent => ({ bucket: harness.emulators.buckets.uploads, key, sequencer });

    const olderRun = ingestObject(deps, event(older));
    await olderHasRead;
    const newerOutcome = await ingestObject(deps, event(newer));
    expect(newerOutcome).toMatchObject({ kind: 'release', releaseId: 'race', version: 1, decision: 'new' });
    newerDone();
    const olderOutcome = await olderRun;

    expect(olderOutcome).toMatchObject({ kind: 'release', releaseId: 'race', decision: 'stale', languages: [] });
    expect(await harness.repository.getRelease('race')).toMatchObject({ latestVersion: 1, headline: 'Final announcement of the robot', sourceKey: key });
    expect((await harness.repository.listVersions('race')).map((v) => v.version)).toEqual([1]);
    expect(await harness.uploads.head(objectKeys.release('race', 2))).toBeUndefined();
    expect((await harness.repository.getSource(key))?.status).toBe('processed');
  });

  it('lists rejected and awaiting-base uploads in polywire status with what to do, and finds one by id or key', async () => {
    const rejected = 'incoming/empty notice.txt';
    const waiting = 'incoming/mitteilung.fr.txt';
    await harness.run(await harness.upload(rejected, '   \n\n'), await harness.upload(waiting, wireRelease({ headline: 'Acme ouvre une usine à Lyon' })));
    expect((await harness.repository.getSource(rejected))?.status).toBe('rejected');

    const { runStatus } = await import('../../../cli/commands/status');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    stubCliEnvironment(harness);
    try {
      expect(await runStatus(undefined, { limit: '20', dataDir: '/nonexistent' })).toBe(0);
      const listing = String(log.mock.calls.at(-1)![0]);
      expect(listing).toMatch(/rejected\s+incoming\/empty notice\.txt\n\s+NO_HEADLINE: .*headline/);
      expect(listing).toMatch(/awaiting-base\s+incoming\/mitteilung\.fr\.txt\n\s+BASE_RELEASE_MISSING: .*fr translation of mitteilung\.txt, which has not been uploaded.*rename the file without the \.fr suffix/);
      expect(listing).toMatch(/pressemitteilung\s+v1/);
      // Only the uploads needing attention are listed, not every processed one.
      expect(listing).not.toMatch(/processed\s+incoming\//);

      expect(await runStatus(undefined, { json: true, limit: '20', dataDir: '/nonexistent' })).toBe(0);
      const json = JSON.parse(String(log.mock.calls.at(-1)![0]));
      expect(json.uploadsNeedingAttention.map((s: { key: string }) => s.key).sort()).toEqual([rejected, waiting]);
      expect(json.releases.map((r: { releaseId: string }) => r.releaseId)).toContain('pressemitteilung');

      for (const query of ['empty-notice', rejected]) {
        expect(await runStatus(query, { limit: '20', dataDir: '/nonexistent' }), query).toBe(0);
        expect(String(log.mock.calls.at(-1)![0]), query).toMatch(/^\S+\s+rejected\s+incoming\/empty notice\.txt\n\s+NO_HEADLINE/);
      }
      expect(await runStatus('mitteilung', { json: true, limit: '20', dataDir: '/nonexistent' })).toBe(0);
      expect(JSON.parse(String(log.mock.calls.at(-1)![0])).upload).toMatchObject({ key: waiting, status: 'awaiting-base' });
    } finally {
      log.mockRestore();
      vi.unstubAllEnvs();
    }
  });

  it('tells how to reach the data when no local stack runs and no table is named', async () => {
    const { runStatus } = await import('../../../cli/commands/status');
    const table = process.env.TABLE_NAME;
    delete process.env.TABLE_NAME;
    try {
      await expect(runStatus(undefined, { limit: '20', dataDir: '/nonexistent' })).rejects.toThrow(
        /no running local stack with data in \/nonexistent and TABLE_NAME is not set: start the stack with `npm start`.*set TABLE_NAME \(or --table\)/,
      );
    } finally {
      process.env.TABLE_NAME = table;
    }
  });
});
