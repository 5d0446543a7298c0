/**
 * RFC 5005 feed archive: the cost of appending one release to a feed's archive (numbering it, and
 * writing the archive page it completes, as the publish stage does) must not grow with the archive.
 * Measured on the emulators (dynalite, s3rver) through the real adapters and the publish stage's
 * own archive functions, for a feed of 100 and of 10,000 archived entries, in one run.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbFeedArchive } from '../functions/adapters/dynamodb/feed-archive';
import { itemKeys } from '../functions/adapters/dynamodb/keys';
import { S3ObjectStore } from '../functions/adapters/s3/object-store';
import { writeArchivePages } from '../functions/core/pipeline/feed-archive';
import { ARCHIVE_PAGE_SIZE, closedPages, pageRange, renderArchivePage } from '../functions/core/render/feed-archive';
import { loadFeedRenderer } from '../functions/core/render/feeds';
import { writeOutputs } from '../functions/core/publish/write-outputs';
import type { FeedEntry } from '../functions/core/variant';
import { startEmulators } from '../infra/local/emulators';
import { median, round, timed, type Benchmark } from './harness';

const MAX_RATIO = 1.2;
const site = { baseUrl: 'https://news.example.com', title: 'polywire newsroom' };

function entryOf(language: string, n: number): FeedEntry {
  const at = new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString();
  return {
    releaseId: `bench-${String(n).padStart(6, '0')}`,
    version: 1,
    language,
    headline: `Release ${n} of the archive benchmark`,
    summary: 'A release appended to the archive by the feed-archive benchmark.',
    categories: [],
    publishedAt: at,
    updatedAt: at,
    provenance: { kind: 'original', engine: 'none' },
  };
}

export const run: Benchmark = async ({ quick, log }) => {
  const sizes = [100, quick ? 2_000 : 10_000] as const;
  const small0 = sizes[0];
  // One page's worth of appends per size: the timed window includes exactly one page being written.
  const appends = ARCHIVE_PAGE_SIZE;
  const emulators = await startEmulators();
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(emulators.dynamoClientConfig()));
  const s3 = new S3Client(emulators.s3ClientConfig());
  const archive = new DynamoDbFeedArchive({ client: dynamo, tableName: emulators.tableName });
  const distribution = new S3ObjectStore({ client: s3, bucket: emulators.buckets.distribution });
  const deps = { archive, distribution, site };
  try {
    const perAppend = new Map<number, number[]>();
    for (const size of sizes) {
      const language = size === small0 ? 'en' : 'de';
      log(`seeding an archive of ${size.toLocaleString('en-US')} entries`);
      const items = Array.from({ length: size }, (_, i) => {
        const entry = entryOf(language, i + 1);
        return [
          { ...itemKeys.archiveSlot(language, i + 1), type: 'archive-slot', number: i + 1, releaseId: entry.releaseId, entry },
          { ...itemKeys.archivePointer(language, entry.releaseId), type: 'archive-pointer', number: i + 1 },
        ];
      }).flat();
      for (let i = 0; i < items.length; i += 25) {
        let pending = items.slice(i, i + 25);
        while (pending.length > 0) {
          const result = await dynamo.send(new BatchWriteCommand({ RequestItems: { [emulators.tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
          pending = (result.UnprocessedItems?.[emulators.tableName] ?? []).map((r) => r.PutRequest!.Item!) as typeof pending;
        }
      }
      // The pages an archive of this size has already written (the stage checks the newest).
      const newest = closedPages(size);
      await loadFeedRenderer();
      if (newest > 0) await writeOutputs(distribution, renderArchivePage({ site, language, page: newest, entries: await archive.range(language, pageRange(newest).from, pageRange(newest).to) }));
      const samples: number[] = [];
      for (let k = 1; k <= appends; k++) {
        const entry = entryOf(language, size + k);
        samples.push(
          (
            await timed(async () => {
              await archive.append(language, entry);
              await writeArchivePages(deps, language);
            })
          ).ms,
        );
      }
      if ((await archive.size(language)) !== size + appends) throw new Error(`archive ${language} has ${await archive.size(language)} entries, expected ${size + appends}`);
      perAppend.set(size, samples);
    }
    const [small, large] = sizes;
    const smallMs = median(perAppend.get(small)!);
    const largeMs = median(perAppend.get(large)!);
    const smallTotal = perAppend.get(small)!.reduce((a, b) => a + b, 0);
    const largeTotal = perAppend.get(large)!.reduce((a, b) => a + b, 0);
    const ratio = largeTotal / smallTotal;
    return {
      id: 'feed-archive',
      title: 'Feed archive append',
      method: `${appends} releases appended one after another to a feed's RFC 5005 archive of ${small} and of ${large.toLocaleString('en-US')} entries (number claimed, pointer written, the completed archive page rendered and written), on dynalite and s3rver through the real adapters; both sizes in the same process, one after the other.`,
      goals: [{ text: `time(${large.toLocaleString('en-US')}) / time(${small}) for ${appends} appends ≤ ${MAX_RATIO}`, met: ratio <= MAX_RATIO, measured: round(ratio, 2).toString() }],
      figures: [
        { name: `${appends} appends into ${small} entries (total)`, value: round(smallTotal), unit: 'ms' },
        { name: `${appends} appends into ${large.toLocaleString('en-US')} entries (total)`, value: round(largeTotal), unit: 'ms' },
        { name: `Median append into ${small}`, value: round(smallMs, 1), unit: 'ms' },
        { name: `Median append into ${large.toLocaleString('en-US')}`, value: round(largeMs, 1), unit: 'ms' },
        { name: 'Ratio (totals)', value: round(ratio, 2), unit: '' },
      ],
      notes: [
        `Each timed append is what the publish stage's feed render does per feed and new entry: \`FeedArchive.append\` (one pointer read, a descending Query of at most 50 slots, a conditional put of the slot and one of the pointer) and \`writeArchivePages\` (one size Query, one HEAD, and when a page completes, a range Query of ${ARCHIVE_PAGE_SIZE} slots and three PUTs). ${appends} appends complete exactly one page at each size.`,
      ],
    };
  } finally {
    dynamo.destroy();
    s3.destroy();
    await emulators.close();
  }
};
