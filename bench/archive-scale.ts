/**
 * Archive scale: publishing one more release must not get slower as the archive grows, because
 * feeds, indexes and sitemaps are rendered from the "latest N" feed index, never from a listing.
 * The archive is pre-seeded directly (feed-index items and RFC 5005 archive slots in DynamoDB,
 * article pages and the newest archive page in the distribution bucket) rather than published
 * release by release. Appending to the RFC 5005 archive (numbering an entry, writing a page that
 * became complete) must stay independent of the archive's size as well.
 *
 * Two local stacks, one per archive size, each in a child process of its own (the handlers build
 * their clients from the environment of the first stack a process loads), both started and seeded
 * before the first sample; then the same releases are published into both, alternately (small,
 * large, large, small, …), so that a change of the machine's load falls on both sizes alike.
 * Besides the time, each publish counts the requests the emulators answer and the bytes they
 * send: work that does not depend on the machine, which shows independence exactly.
 */
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
import { countEmulatorRequests, describeCounts, totalOf, type OperationCounts } from './emulator-requests';

const MAX_RATIO = 1.2;
const LANGUAGES = ['en', 'de'] as const;
/** The same requests at both sizes, give or take a completed archive page (a HEAD and a few writes). */
const MAX_REQUEST_RATIO = 1.05;
const SAMPLES = 5;
const QUICK_SAMPLES = 2;
/**
 * The smaller archive: past every "latest 50" window (the language feeds and each of the 12
 * categories' feeds are full at both sizes), so the two sizes differ only in what lies beyond it.
 */
const SMALL = 500;

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

interface WorkerSample {
  ms: number;
  counts: OperationCounts;
}

type ToWorker = { publish: number } | { close: true };
type FromWorker = { ready: true; seedingMs: number } | { sample: WorkerSample } | { done: true; problem?: string } | { error: string };

/**
 * A child process with one stack and one archive size: seeds, publishes a warm-up release, then
 * publishes corpus document `n` on each `{ publish: n }` and answers with the time and the
 * emulator requests of that publish (upload to idle).
 */
async function worker(size: number, documents: number): Promise<void> {
  const send = (message: FromWorker) => process.send!(message);
  const corpus = generateCorpus({ releases: documents, correctedShare: 0, seed: 11 });
  const stack = await startBenchStack({ engine: 'pseudo', languages: LANGUAGES });
  const failures = watchFailures(stack);
  const counter = countEmulatorRequests(stack.emulators);
  const seeding = await timed(() => seedArchive(stack, 0, size));
  await publishThroughStack(stack, [corpus[0]!]);
  send({ ready: true, seedingMs: seeding.ms });
  process.on('message', (message: ToWorker) => {
    void (async () => {
      if ('close' in message) {
        const missing = await missingOutputs(
          stack,
          corpus.flatMap((d) => LANGUAGES.map((lang) => paths.page(lang, d.id))),
        );
        const problem = describeFailures(failures.outcome(), missing);
        counter.stop();
        failures.stop();
        await stack.close(1000);
        send({ done: true, ...(problem ? { problem } : {}) });
        // Emulators and SDK sockets may keep handles open; the answer is sent, so leave.
        setTimeout(() => process.exit(0), 100);
        return;
      }
      const document = corpus[message.publish]!;
      counter.take();
      const { ms } = await timed(() => publishThroughStack(stack, [document]));
      send({ sample: { ms, counts: counter.take() } });
    })().catch((error: unknown) => send({ error: error instanceof Error ? error.message : String(error) }));
  });
}

/** The parent's handle on a worker: `publish(n)` resolves with its sample. */
function startWorker(size: number, documents: number): { ready: Promise<number>; publish(n: number): Promise<WorkerSample>; close(): Promise<string | undefined> } {
  const child = fork(fileURLToPath(new URL('../bin/run-ts.mjs', import.meta.url)), [fileURLToPath(import.meta.url), '--archive-scale-worker', String(size), String(documents)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let waiting: { resolve(value: FromWorker): void; reject(error: Error): void } | undefined;
  const next = () => new Promise<FromWorker>((resolve, reject) => (waiting = { resolve, reject }));
  child.on('message', (message: FromWorker) => {
    const w = waiting;
    waiting = undefined;
    if ('error' in message) w?.reject(new Error(`archive of ${size}: ${message.error}`));
    else w?.resolve(message);
  });
  child.on('exit', (code) => waiting?.reject(new Error(`the archive-of-${size} worker exited with ${code}`)));
  const ready = next().then((m) => ('seedingMs' in m ? m.seedingMs : 0));
  return {
    ready,
    async publish(n) {
      const reply = next();
      child.send({ publish: n } satisfies ToWorker);
      const message = await reply;
      if (!('sample' in message)) throw new Error(`archive of ${size}: unexpected answer`);
      return message.sample;
    },
    async close() {
      if (child.exitCode !== null) return undefined;
      const reply = next().catch(() => undefined);
      child.send({ close: true } satisfies ToWorker);
      const message = await reply;
      return message && 'done' in message ? message.problem : undefined;
    },
  };
}

const requestsOf = (sample: WorkerSample) => totalOf(sample.counts.requests);
/** Bytes the emulators sent: object and listing reads, query and item reads (the answers to writes are a few bytes). */
const bytesOf = (sample: WorkerSample) => totalOf(sample.counts.bytes);

export const run: Benchmark = async ({ quick, log }) => {
  const large = quick ? 2_000 : 10_000;
  const samples = quick ? QUICK_SAMPLES : SAMPLES;
  const documents = 1 + samples;
  const small = startWorker(SMALL, documents);
  const big = startWorker(large, documents);
  try {
    log(`starting two stacks and seeding archives of ${SMALL} and ${large} releases`);
    const [smallSeedingMs, largeSeedingMs] = await Promise.all([small.ready, big.ready]);
    const smallSamples: WorkerSample[] = [];
    const largeSamples: WorkerSample[] = [];
    for (let i = 1; i <= samples; i++) {
      // ABBA: the first of a pair runs after the other's, so neither size always goes first.
      const order = i % 2 === 1 ? [small, big] : [big, small];
      for (const w of order) (w === small ? smallSamples : largeSamples).push(await w.publish(i));
      log(`pair ${i}: ${round(smallSamples.at(-1)!.ms)} ms / ${round(largeSamples.at(-1)!.ms)} ms, ${requestsOf(smallSamples.at(-1)!)} / ${requestsOf(largeSamples.at(-1)!)} requests`);
    }
    const problems = (await Promise.all([small.close(), big.close()])).filter((p): p is string => p !== undefined);
    const smallMs = median(smallSamples.map((s) => s.ms));
    const largeMs = median(largeSamples.map((s) => s.ms));
    const ratio = largeMs / smallMs;
    const pairRatios = smallSamples.map((s, i) => largeSamples[i]!.ms / s.ms);
    const smallRequests = median(smallSamples.map(requestsOf));
    const largeRequests = median(largeSamples.map(requestsOf));
    const requestRatio = largeRequests / smallRequests;
    const bytesRatio = median(largeSamples.map(bytesOf)) / median(smallSamples.map(bytesOf));
    const sum = (list: WorkerSample[]) => {
      const total: Record<string, number> = {};
      for (const sample of list) for (const [key, n] of Object.entries(sample.counts.requests)) total[key] = (total[key] ?? 0) + n / list.length;
      return total;
    };
    const notes = [
      `One release published through the local stack (real handlers, pseudo engine) in ${LANGUAGES.length} languages (${LANGUAGES.join(', ')}), timed from upload to idle. Two stacks, one per archive size, each in its own process, both started and seeded before the first sample; the same ${samples} releases are published into both, alternately (pairs in the order small–large, large–small, …). Per-pair time ratios: ${pairRatios.map((r) => round(r, 2)).join(', ')}; per-pair requests (${SMALL} / ${large.toLocaleString('en-US')}): ${smallSamples.map((s, i) => `${requestsOf(s)} / ${requestsOf(largeSamples[i]!)}`).join(', ')} (a pair can differ by a few: a root rebuild runs again when the index moved while it rendered, and a completed archive page is written when an append fills one).`,
      `The archive is seeded directly: feed-index items as the DynamoDB feed-index adapter writes them and RFC 5005 archive slots and pointers as the feed-archive adapter writes them (language feed and category feeds, ${LANGUAGES.length} languages), one article page per release and language and each feed's newest archive page in the distribution bucket. Seeding took ${round(smallSeedingMs / 1000, 1)} s (${SMALL}) and ${round(largeSeedingMs / 1000, 1)} s (${large.toLocaleString('en-US')}), side by side. At ${SMALL} releases every feed's "latest 50" window is already full, so the sizes differ only beyond it.`,
      `Requests per publish, mean by operation — ${SMALL}: ${describeCounts(sum(smallSamples))}; ${large.toLocaleString('en-US')}: ${describeCounts(sum(largeSamples))}. Bytes the emulators sent per publish (median): ${median(smallSamples.map(bytesOf)).toLocaleString('en-US')} and ${median(largeSamples.map(bytesOf)).toLocaleString('en-US')}.`,
      ...problems.map((p) => `Not every release went through: ${p}.`),
    ];
    if (ratio > MAX_RATIO && requestRatio <= MAX_REQUEST_RATIO)
      notes.push(
        'The time ratio is off while the requests are the same: the emulator (dynalite on an in-memory LevelDB) may take longer for a Query with a Limit in a large partition than DynamoDB does, or the load changed within a pair; the request count is the machine-independent figure.',
      );
    return {
      id: 'archive-scale',
      title: 'Archive scale',
      method: `Time, emulator requests and bytes to publish one release into an archive of ${SMALL} and of ${large.toLocaleString('en-US')} releases per language, the two sizes interleaved.`,
      goals: [
        {
          text: `time(${large.toLocaleString('en-US')}) / time(${SMALL}) ≤ ${MAX_RATIO} (medians of ${samples} interleaved pairs)`,
          met: problems.length === 0 && ratio <= MAX_RATIO,
          measured: round(ratio, 2).toString(),
        },
        { text: `requests(${large.toLocaleString('en-US')}) / requests(${SMALL}) ≤ ${MAX_REQUEST_RATIO}`, met: problems.length === 0 && requestRatio <= MAX_REQUEST_RATIO, measured: round(requestRatio, 3).toString() },
      ],
      figures: [
        { name: `Publish into ${SMALL} releases (median)`, value: round(smallMs), unit: 'ms' },
        { name: `Publish into ${large.toLocaleString('en-US')} releases (median)`, value: round(largeMs), unit: 'ms' },
        { name: 'Time ratio', value: round(ratio, 2), unit: '' },
        { name: `Emulator requests per publish, ${SMALL} (median)`, value: smallRequests, unit: '' },
        { name: `Emulator requests per publish, ${large.toLocaleString('en-US')} (median)`, value: largeRequests, unit: '' },
        { name: 'Request ratio', value: round(requestRatio, 3), unit: '' },
        { name: 'Bytes-sent ratio', value: round(bytesRatio, 3), unit: '' },
      ],
      notes,
    };
  } finally {
    await Promise.all([small.close(), big.close()]).catch(() => undefined);
  }
};

const workerIndex = process.argv.indexOf('--archive-scale-worker');
if (workerIndex >= 0) {
  worker(Number(process.argv[workerIndex + 1]), Number(process.argv[workerIndex + 2])).catch((error: unknown) => {
    process.send?.({ error: error instanceof Error ? error.message : String(error) } satisfies FromWorker);
    process.exit(1);
  });
}
