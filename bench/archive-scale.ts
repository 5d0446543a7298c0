/**
 * Archive scale: publishing one more release must not get slower as the archive grows, because
 * feeds, indexes and sitemaps are rendered from the "latest N" feed index, never from a listing.
 * The archive is pre-seeded directly (feed-index items and RFC 5005 archive slots in DynamoDB,
 * article pages and the newest archive page in the distribution bucket) rather than published
 * release by release. Appending to the RFC 5005 archive (numbering an entry, writing a page that
 * became complete) must stay independent of the archive's size as well.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { DynamoDbFeedArchive } from '../functions/adapters/dynamodb/feed-archive';
import { itemKeys } from '../functions/adapters/dynamodb/keys';
import { archivePaths, closedPages } from '../functions/core/render/feed-archive';
import { feedName } from '../functions/core/pipeline/feed-names';
import { categorySlug, paths } from '../functions/core/render/paths';
import type { FeedEntry } from '../functions/core/variant';
import type { LocalStack } from '../infra/local/stack';
import { CATEGORIES, generateCorpus, seededRandom } from './corpus';
import { median, round, timed, type Benchmark } from './harness';
import { describeFailures, missingOutputs, publishThroughStack, startBenchStack, watchFailures } from './pipeline';

const MAX_RATIO = 1.2;
const LANGUAGES = ['en', 'de'] as const;
const SAMPLES = 3;
const QUICK_SAMPLES = 1;

/**
 * Feed-index items exactly as `DynamoDbFeedIndex.upsert` writes them, and archive slots and
 * pointers as `DynamoDbFeedArchive.append` writes them (numbered after `sizes`, which it
 * advances), for archived releases `from`..`to`-1.
 */
function archiveItems(from: number, to: number, sizes: Map<string, number>): Record<string, unknown>[] {
  const random = seededRandom(from + 1);
  const items: Record<string, unknown>[] = [];
  for (let i = from; i < to; i++) {
    const releaseId = `archived-release-${String(i).padStart(6, '0')}`;
    // Older than anything the benchmark publishes: one hour apart, ending 2026-01-01.
    const publishedAt = new Date(Date.UTC(2026, 0, 1) - (to - i) * 3_600_000).toISOString();
    const categories = [CATEGORIES[Math.floor(random() * CATEGORIES.length)]!, CATEGORIES[Math.floor(random() * CATEGORIES.length)]!];
    for (const language of LANGUAGES) {
      const entry: FeedEntry = {
        releaseId,
        version: 1,
        language,
        headline: `Archived release ${i} in ${language}`,
        summary: 'An older release of the archive, seeded directly for the archive-scale benchmark.',
        categories,
        publishedAt,
        updatedAt: publishedAt,
        provenance: language === 'en' ? { kind: 'original', engine: 'none' } : { kind: 'pseudo', engine: 'pseudo' },
      };
      for (const feed of [feedName(language), ...new Set(categories.map((c) => feedName(language, categorySlug(c))))]) {
        items.push({ ...itemKeys.feedEntry(feed, publishedAt, releaseId), type: 'feed-entry', version: 1, entry });
        const number = (sizes.get(feed) ?? 0) + 1;
        sizes.set(feed, number);
        items.push({ ...itemKeys.archiveSlot(feed, number), type: 'archive-slot', number, releaseId, entry });
        items.push({ ...itemKeys.archivePointer(feed, releaseId), type: 'archive-pointer', number });
      }
    }
  }
  return items;
}

/** Grows the archive from `from` to `to` releases: feed-index items in batches of 25, one page per language. */
async function seedArchive(stack: LocalStack, from: number, to: number): Promise<void> {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient(stack.emulators.dynamoClientConfig()));
  const limit = pLimit(8);
  // Every feed the seeded releases can be in, with its archive's size before seeding.
  const archive = new DynamoDbFeedArchive({ client, tableName: stack.emulators.tableName });
  const feeds = LANGUAGES.flatMap((language) => [
    { language, feed: feedName(language), category: undefined as string | undefined },
    ...CATEGORIES.map((category) => ({ language, feed: feedName(language, categorySlug(category)), category })),
  ]);
  const sizes = new Map<string, number>(await Promise.all(feeds.map(async ({ feed }) => [feed, await archive.size(feed)] as const)));
  const items = archiveItems(from, to, sizes);
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        let pending: Record<string, unknown>[] = batch;
        while (pending.length > 0) {
          const result = await client.send(new BatchWriteCommand({ RequestItems: { [stack.emulators.tableName]: pending.map((Item) => ({ PutRequest: { Item } })) } }));
          pending = (result.UnprocessedItems?.[stack.emulators.tableName] ?? []).map((r) => r.PutRequest!.Item!);
        }
      }),
    ),
  );
  client.destroy();
  // An archive grown release by release has its complete pages written; the publish stage looks
  // for the newest one (and stops at the first it finds), so that one stands for all of them.
  await Promise.all(
    feeds.map(({ language, feed, category }) => {
      const page = closedPages(sizes.get(feed) ?? 0);
      if (page === 0) return undefined;
      return limit(() =>
        stack.s3.send(
          new PutObjectCommand({
            Bucket: stack.emulators.buckets.distribution,
            Key: archivePaths.rss(language, page, category),
            Body: '<?xml version="1.0"?><rss version="2.0"><channel><title>seeded archive page</title></channel></rss>',
            ContentType: 'application/rss+xml; charset=utf-8',
          }),
        ),
      );
    }),
  );
  const page = '<!doctype html><title>archived</title><p>An archived release.</p>';
  await Promise.all(
    Array.from({ length: to - from }, (_, k) => from + k).flatMap((i) =>
      LANGUAGES.map((language) =>
        limit(() =>
          stack.s3.send(
            new PutObjectCommand({
              Bucket: stack.emulators.buckets.distribution,
              Key: paths.page(language, `archived-release-${String(i).padStart(6, '0')}`),
              Body: page,
              ContentType: 'text/html; charset=utf-8',
            }),
          ),
        ),
      ),
    ),
  );
}

export const run: Benchmark = async ({ quick, log }) => {
  const large = quick ? 1_000 : 10_000;
  const small = 10;
  const samples = quick ? QUICK_SAMPLES : SAMPLES;
  const corpus = generateCorpus({ releases: 1 + 2 * samples, correctedShare: 0, seed: 11 });
  const [warmUp, ...fresh] = corpus;
  const stack = await startBenchStack({ engine: 'pseudo', languages: LANGUAGES });
  const failures = watchFailures(stack);
  try {
    await seedArchive(stack, 0, small);
    await publishThroughStack(stack, [warmUp!]);
    const publishOne = async (document: (typeof corpus)[number]) => (await timed(() => publishThroughStack(stack, [document]))).ms;

    const smallSamples: number[] = [];
    for (const document of fresh.slice(0, samples)) smallSamples.push(await publishOne(document));
    log(`seeding the archive up to ${large} releases`);
    const seeding = await timed(() => seedArchive(stack, small, large));
    const largeSamples: number[] = [];
    for (const document of fresh.slice(samples)) largeSamples.push(await publishOne(document));

    const missing = await missingOutputs(stack, fresh.flatMap((d) => LANGUAGES.map((lang) => paths.page(lang, d.id))));
    const problem = describeFailures(failures.outcome(), missing);
    const smallMs = median(smallSamples);
    const largeMs = median(largeSamples);
    const ratio = largeMs / smallMs;
    const notes = [
      `One release published through the local stack (real handlers, pseudo engine) in ${LANGUAGES.length} languages (${LANGUAGES.join(', ')}), timed from upload to idle; median of ${samples} release(s) per archive size, measured in the same process one after the other.`,
      `The archive is seeded directly: feed-index items as the DynamoDB feed-index adapter writes them and RFC 5005 archive slots and pointers as the feed-archive adapter writes them (language feed and category feeds, ${LANGUAGES.length} languages), one article page per release and language and each feed's newest archive page in the distribution bucket. Growing it from ${small} to ${large} releases took ${round(seeding.ms / 1000, 1)} s.`,
    ];
    if (problem) notes.push(`Not every release went through: ${problem}.`);
    if (ratio > MAX_RATIO) notes.push('Slower with a large archive: some step reads more than the newest entries (a listing of the bucket, a feed query without a limit, a sitemap built from every release). Render feeds and sitemaps from the feed index\'s newest N only. Before changing code, repeat the run: with 3 samples per size on a loaded machine the ratio scatters, and the emulator (dynalite, LevelDB in memory) may read more of a large partition for a descending Query with a Limit than DynamoDB does.');
    return {
      id: 'archive-scale',
      title: 'Archive scale',
      method: `Time to publish one release into an archive of ${small} and of ${large.toLocaleString('en-US')} releases per language.`,
      goals: [{ text: `time(${large.toLocaleString('en-US')}) / time(${small}) ≤ ${MAX_RATIO}`, met: !problem && ratio <= MAX_RATIO, measured: round(ratio, 2).toString() }],
      figures: [
        { name: `Publish into ${small} releases (median)`, value: round(smallMs), unit: 'ms' },
        { name: `Publish into ${large.toLocaleString('en-US')} releases (median)`, value: round(largeMs), unit: 'ms' },
        { name: 'Ratio', value: round(ratio, 2), unit: '' },
      ],
      notes,
    };
  } finally {
    failures.stop();
    await stack.close(1000);
  }
};
