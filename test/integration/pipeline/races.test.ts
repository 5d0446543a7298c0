/**
 * Two quick uploads of one key, through the real ingest on the emulators: whichever event wins
 * the version race, the newer content ends up published and nothing is dead-lettered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestObject, SOURCE_LEASE_MS, type IngestDeps } from '../../../functions/core/pipeline/ingest';
import type { ObjectCreatedEvent } from '../../../functions/core/pipeline/s3-events';
import { ConcurrentUpdateError, type ObjectStore, type ReleaseRepository } from '../../../functions/ports';
import { startPipeline, steppingClock, type PipelineHarness } from './harness';
import { wireRelease } from './releases';

async function text(harness: PipelineHarness, key: string): Promise<string | undefined> {
  const object = await harness.distribution.get(key);
  return object && new TextDecoder().decode(object.body);
}

/** A gate: `wait()` resolves once `open()` was called. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, wait: () => opened };
}

describe('pipeline: two quick uploads of one key', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline({ targetLanguages: ['en', 'de'] });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('lets the newer event retry at once after the older one took the version first, and publishes the newer content', async () => {
    const key = 'incoming/quick.txt';
    const olderBody = await harness.upload(key, wireRelease({ headline: 'Draft: Acme opens a plant' }));
    const newerBody = await harness.upload(key, wireRelease({ headline: 'Final: Acme opens a plant in Graz' }));
    const sequencerOf = (body: string) => JSON.parse(body).Records[0].s3.object.sequencer as string;
    const olderBytes = new TextEncoder().encode(wireRelease({ headline: 'Draft: Acme opens a plant' }));

    // The older event reads the old bytes; the newer one claims over it and reads the new bytes;
    // then the older one assigns version 1 first, so the newer one loses the version race.
    const olderHasRead = gate();
    const newerAtAdvance = gate();
    const olderAdvanced = gate();
    let reads = 0;
    const uploads: ObjectStore = Object.assign(Object.create(harness.uploads) as ObjectStore, {
      get: async (k: string) => {
        if (k !== key) return harness.uploads.get(k);
        reads += 1;
        if (reads === 1) {
          olderHasRead.open();
          return { body: olderBytes, metadata: {} };
        }
        return harness.uploads.get(k);
      },
    });
    const newerSequencer = sequencerOf(newerBody);
    const repository: ReleaseRepository = Object.assign(Object.create(harness.repository) as ReleaseRepository, {
      advanceRelease: async (...args: Parameters<ReleaseRepository['advanceRelease']>) => {
        const isNewer = args[0].sourceSequencer?.startsWith(newerSequencer) ?? false;
        if (isNewer) {
          newerAtAdvance.open();
          await olderAdvanced.wait();
          return harness.repository.advanceRelease(...args);
        }
        await newerAtAdvance.wait();
        try {
          return await harness.repository.advanceRelease(...args);
        } finally {
          olderAdvanced.open();
        }
      },
    });
    const deps: IngestDeps = { uploads, repository, translateQueue: harness.queues.translate, clock: steppingClock(Date.parse('2026-11-26T14:00:00Z')), targetLanguages: ['en', 'de'] };
    const event = (body: string): ObjectCreatedEvent => ({ bucket: harness.emulators.buckets.uploads, key, sequencer: sequencerOf(body) });

    const olderRun = ingestObject(deps, event(olderBody));
    await olderHasRead.wait();
    const newerRun = ingestObject(deps, event(newerBody)).catch((error: unknown) => error);
    const [olderOutcome, lost] = await Promise.all([olderRun, newerRun]);
    expect(olderOutcome).toMatchObject({ kind: 'release', decision: 'new', version: 1 });
    expect(lost).toBeInstanceOf(ConcurrentUpdateError);
    // Its retry (the very next delivery) claims at once: the failed attempt released its lease.
    const retried = await ingestObject({ ...deps, uploads: harness.uploads, repository: harness.repository }, event(newerBody));
    expect(retried).toMatchObject({ kind: 'release', decision: 'new', version: 2 });

    await harness.run();
    const releaseId = (await harness.repository.getSource(key))!.releaseId!;
    expect(await harness.repository.getRelease(releaseId)).toMatchObject({ latestVersion: 2, headline: 'Final: Acme opens a plant in Graz' });
    expect(await text(harness, `en/releases/${releaseId}.html`)).toContain('Final: Acme opens a plant in Graz');
    expect(harness.queues.ingest.deadLetters).toEqual([]);
  });

  it('ends every one of several two-upload races with the newer content and no dead letter (events delivered together, retries at once)', async () => {
    const keys = ['incoming/race-a.txt', 'incoming/race-b.txt', 'incoming/race-c.txt', 'incoming/race-d.txt'];
    const bodies: string[] = [];
    for (const key of keys) {
      bodies.push(await harness.upload(key, wireRelease({ headline: `First take of ${key.slice(9, 15)}` })));
      bodies.push(await harness.upload(key, wireRelease({ headline: `Second take of ${key.slice(9, 15)}` })));
    }
    await harness.run(...bodies);

    expect(harness.queues.ingest.deadLetters).toEqual([]);
    for (const key of keys) {
      const source = await harness.repository.getSource(key);
      // The older event may have read the newer bytes already (S3 serves the latest): then the
      // newer event finds the same content, a duplicate.
      expect(['processed', 'duplicate'], key).toContain(source?.status);
      const release = await harness.repository.getRelease(source!.releaseId!);
      expect(release?.headline, key).toBe(`Second take of ${key.slice(9, 15)}`);
      expect(await text(harness, `de/releases/${source!.releaseId}.html`), key).toBeDefined();
      expect(await text(harness, `en/releases/${source!.releaseId}.html`), key).toContain(`Second take of ${key.slice(9, 15)}`);
    }
  });

  it('tells the queue to wait out the lease when another delivery of the event is in progress', async () => {
    const key = 'incoming/leased.txt';
    const body = await harness.upload(key, wireRelease({ headline: 'Acme opens a depot' }));
    const sequencer = JSON.parse(body).Records[0].s3.object.sequencer as string;
    const start = Date.parse('2026-11-26T15:00:00Z');
    // Another delivery claimed the event 30 s ago and is still running.
    expect(await harness.repository.claimSource(key, sequencer, new Date(start - 30_000), SOURCE_LEASE_MS)).toBe('claimed');

    const deps: IngestDeps = { uploads: harness.uploads, repository: harness.repository, translateQueue: harness.queues.translate, clock: { now: () => new Date(start) }, targetLanguages: ['en'] };
    const error = await ingestObject(deps, { bucket: harness.emulators.buckets.uploads, key, sequencer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConcurrentUpdateError);
    // 120 s lease − 30 s held + 1 s margin.
    expect((error as ConcurrentUpdateError).retryAfterMs).toBe(91_000);
  });
});
