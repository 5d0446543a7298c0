/**
 * What the feed render relies on, in the DynamoDB adapters on dynalite and in the in-memory fakes
 * the use-case tests use alike: the root rebuild counters of the feed index (the coalescing in
 * core/pipeline/publish.ts), and the archive's one-read tail and hinted append.
 */
import { describe, expect, it } from 'vitest';
import { DynamoDbFeedArchive } from '../../../functions/adapters/dynamodb/feed-archive';
import { DynamoDbFeedIndex } from '../../../functions/adapters/dynamodb/feed-index';
import type { FeedEntry } from '../../../functions/core/variant';
import type { FeedArchive, FeedIndex } from '../../../functions/ports';
import { InMemoryFeedArchive, InMemoryFeedIndex } from '../../support/fakes';
import { useDynaliteTables } from '../../support/dynalite-tables';

const newTable = useDynaliteTables('feed-store');

const implementations: [string, () => Promise<FeedIndex>][] = [
  ['InMemoryFeedIndex', async () => new InMemoryFeedIndex()],
  [
    'DynamoDbFeedIndex (dynalite)',
    async () => {
      return new DynamoDbFeedIndex(await newTable());
    },
  ],
];

describe.each(implementations)('root rebuild counters: %s', (_name, create) => {
  it('start at 0, number concurrent starts distinctly, and never lower completed or requested', async () => {
    const feeds = await create();
    expect(await feeds.rootBuilds()).toEqual({ started: 0, completed: 0, requested: 0 });
    const numbers = await Promise.all([feeds.startRootBuild(), feeds.startRootBuild(), feeds.startRootBuild()]);
    expect([...numbers].sort()).toEqual([1, 2, 3]);
    await feeds.completeRootBuild(3);
    await feeds.completeRootBuild(2); // a late finish of an older rebuild
    await feeds.markRootRequested(4);
    await feeds.markRootRequested(1);
    expect(await feeds.rootBuilds()).toEqual({ started: 3, completed: 3, requested: 4 });
    expect(await feeds.startRootBuild()).toBe(4);
    expect(await feeds.rootBuilds()).toEqual({ started: 4, completed: 3, requested: 4 });
  });
});

const archives: [string, () => Promise<FeedArchive>][] = [
  ['InMemoryFeedArchive', async () => new InMemoryFeedArchive()],
  [
    'DynamoDbFeedArchive (dynalite)',
    async () => {
      return new DynamoDbFeedArchive(await newTable());
    },
  ],
];

const entry = (id: string, minute: number): FeedEntry => ({
  releaseId: id,
  version: 1,
  language: 'en',
  headline: id,
  summary: id,
  categories: [],
  publishedAt: new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 11, 1, 9, minute)).toISOString(),
  provenance: { kind: 'pseudo', engine: 'pseudo' },
});

describe.each(archives)('feed archive tail and hinted append: %s', (_name, create) => {
  it('reads the size and the newest numbers at once; a right hint numbers next, a stale one still the next free number, a repeat keeps the first', async () => {
    const archive = await create();
    expect(await archive.recent('en', 100)).toEqual({ size: 0, from: 1, entries: [] });
    for (let i = 1; i <= 5; i++) expect(await archive.append('en', entry(`r-${i}`, i), i)).toBe(i);
    // A stale hint (another writer took 6 and 7 meanwhile): the claim fails and the tail decides.
    await archive.append('en', entry('r-6', 6));
    await archive.append('en', entry('r-7', 7));
    expect(await archive.append('en', entry('r-8', 8), 6)).toBe(8);
    expect(await archive.append('en', entry('r-3', 3), 9)).toBe(3);
    const recent = await archive.recent('en', 3);
    expect(recent.size).toBe(8);
    expect(recent.from).toBe(6);
    expect(recent.entries.map((e) => [e.number, e.entry.releaseId])).toEqual([
      [6, 'r-6'],
      [7, 'r-7'],
      [8, 'r-8'],
    ]);
    expect((await archive.range('en', 1, 8)).map((e) => e.releaseId)).toEqual(['r-1', 'r-2', 'r-3', 'r-4', 'r-5', 'r-6', 'r-7', 'r-8']);
  });
});
