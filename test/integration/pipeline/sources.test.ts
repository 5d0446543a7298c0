import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestObject, type IngestDeps } from '../../../functions/core/pipeline/ingest';
import { objectKeys } from '../../../functions/core/pipeline/keys';
import type { ObjectCreatedEvent } from '../../../functions/core/pipeline/s3-events';
import type { ObjectStore } from '../../../functions/ports';
import { RecordingQueue, startPipeline, steppingClock, type PipelineHarness } from './harness';
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
});
