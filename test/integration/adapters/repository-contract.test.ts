/**
 * One contract, two implementations: the DynamoDB release repository on dynalite, and the
 * in-memory fake the use-case unit tests use. Whatever a unit test learns from the fake holds
 * for the adapter the pipeline runs on.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { ConcurrentUpdateError, type ReleaseMeta, type ReleaseRepository } from '../../../functions/ports';
import { InMemoryReleaseRepository } from '../../support/fakes';
import { useDynaliteTables } from '../../support/dynalite-tables';

const newTable = useDynaliteTables('contract');

const implementations: [string, () => Promise<ReleaseRepository>][] = [
  ['InMemoryReleaseRepository', async () => new InMemoryReleaseRepository()],
  [
    'DynamoDbReleaseRepository (dynalite)',
    async () => {
      return new DynamoDbReleaseRepository(await newTable());
    },
  ],
];

const T0 = new Date('2026-12-01T09:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const meta = (over: Partial<ReleaseMeta> = {}): ReleaseMeta => ({
  releaseId: 'harbor-wind',
  latestVersion: 1,
  latestSha256: 'a'.repeat(64),
  sourceLanguage: 'en',
  headline: 'Harbor Wind',
  createdAt: T0.toISOString(),
  updatedAt: T0.toISOString(),
  sourceKey: 'incoming/a.txt',
  sourceSequencer: '0A',
  ...over,
});

describe.each(implementations)('ReleaseRepository contract: %s', (_name, create) => {
  it('claims each S3 event once, keeps newer events, and hands a crashed claim over after its lease', async () => {
    const repository = await create();
    expect(await repository.claimSource('incoming/a.txt', '0B', T0, 60_000)).toBe('claimed');
    expect(await repository.claimSource('incoming/a.txt', '0B', at(1_000), 60_000)).toBe('in-progress');
    expect(await repository.claimSource('incoming/a.txt', '0A', at(1_000), 60_000)).toBe('older');
    expect(await repository.claimSource('incoming/a.txt', '0B', at(61_000), 60_000)).toBe('claimed');
    await repository.completeSource({ key: 'incoming/a.txt', sequencer: '0B', status: 'processed', updatedAt: at(62_000).toISOString() });
    expect(await repository.claimSource('incoming/a.txt', '0B', at(63_000), 60_000)).toBe('duplicate');
    expect(await repository.claimSource('incoming/a.txt', '0C', at(63_000), 60_000)).toBe('claimed');
    // The outcome of an older event never overwrites a newer claim.
    await repository.completeSource({ key: 'incoming/a.txt', sequencer: '0B', status: 'rejected', updatedAt: at(64_000).toISOString() });
    expect((await repository.getSource('incoming/a.txt'))?.status).toBe('processing');
  });

  it('assigns versions by conditional write and refuses an older event of the same key', async () => {
    const repository = await create();
    expect(await repository.advanceRelease(meta(), undefined)).toBe('advanced');
    await expect(repository.advanceRelease(meta(), undefined)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await repository.advanceRelease(meta({ latestVersion: 2, sourceSequencer: '0C' }), 1)).toBe('advanced');
    await expect(repository.advanceRelease(meta({ latestVersion: 3, sourceSequencer: '0D' }), 1)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    expect(await repository.advanceRelease(meta({ latestVersion: 3, sourceSequencer: '0B' }), 2)).toBe('newer-source');
    expect((await repository.getRelease('harbor-wind'))?.latestVersion).toBe(2);
  });

  it('creates versions and variants once, updates variants field by field, and keeps the highest publication', async () => {
    const repository = await create();
    const version = { releaseId: 'r', version: 1, sha256: 'b'.repeat(64), sourceKey: 'incoming/r.txt', sourceLanguage: 'en', languages: ['en', 'de'], createdAt: T0.toISOString() };
    await repository.putVersion(version);
    await repository.putVersion({ ...version, languages: ['en'] });
    expect((await repository.getVersion('r', 1))?.languages).toEqual(['en', 'de']);
    for (const language of ['de', 'en']) await repository.ensureVariant({ releaseId: 'r', version: 1, language, status: 'pending', updatedAt: T0.toISOString() });
    await repository.updateVariant('r', 1, 'de', { status: 'failed', error: { code: 'X', message: 'engine down' } });
    await repository.ensureVariant({ releaseId: 'r', version: 1, language: 'de', status: 'pending', updatedAt: T0.toISOString() });
    await repository.updateVariant('r', 1, 'de', { status: 'translated', error: undefined });
    const variants = await repository.listVariants('r', 1);
    expect(variants.map((v) => [v.language, v.status, v.error])).toEqual([
      ['de', 'translated', undefined],
      ['en', 'pending', undefined],
    ]);
    await expect(repository.updateVariant('r', 1, 'fr', { status: 'translated' })).rejects.toThrow();
    const publication = { releaseId: 'r', language: 'de', version: 2, firstPublishedAt: T0.toISOString(), updatedAt: T0.toISOString(), categories: [] };
    expect(await repository.recordPublication(publication)).toBe(true);
    expect(await repository.recordPublication({ ...publication, version: 1 })).toBe(false);
    expect(await repository.recordPublication({ ...publication, version: 2 })).toBe(true);
    expect((await repository.getPublication('r', 'de'))?.version).toBe(2);
  });

  it('lists rejected and awaiting uploads, newest first', async () => {
    const repository = await create();
    for (const [i, status] of (['rejected', 'processed', 'awaiting-base'] as const).entries()) {
      await repository.claimSource(`incoming/${i}.txt`, '01', at(i), 60_000);
      await repository.completeSource({ key: `incoming/${i}.txt`, sequencer: '01', status, updatedAt: at(i * 1000).toISOString() });
    }
    expect((await repository.listSourcesNeedingAttention(10)).map((s) => [s.key, s.status])).toEqual([
      ['incoming/2.txt', 'awaiting-base'],
      ['incoming/0.txt', 'rejected'],
    ]);
  });
});
