/**
 * Lift lag: an embargoed release in 15 languages on the local stack (real handlers, pseudo
 * engine, in this process), translated ahead; from its embargo instant until the last of its 15
 * pages, the 15 language RSS feeds, the sitemap, the news sitemap and the root page is readable
 * in the distribution bucket with the release in it. Before the instant every key of the bucket
 * is checked for the release's id (nothing public early). Several runs, each a new release, one
 * after another; the emulator requests from the instant to the last output are counted too.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { DynamoDbReleaseRepository } from '../functions/adapters/dynamodb/release-repository';
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { paths } from '../functions/core/render/paths';
import { LOCAL_QUEUE_NAMES, QUEUE_NAMES, type LocalStack } from '../infra/local/stack';
import { median, round, type Benchmark } from './harness';
import { describeFailures, publishThroughStack, startBenchStack, watchFailures } from './pipeline';
import { countEmulatorRequests, describeCounts, totalOf } from './emulator-requests';

/** The goal for the local stack: public within 5 s after the instant. */
const GOAL_MS = 5_000;
const RUNS = 5;
const QUICK_RUNS = 2;
/** Embargo instant this far after the upload: the 15 pseudo translations are done well before. */
const LEAD_MS = 20_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function releaseText(id: string, instant: Date): string {
  return `---\nid: ${id}\nlanguage: en\nembargo: ${instant.toISOString()}\ncategories: [Energy]\n---\n# Kestrel opens battery campus ${id}\n\nKestrel opened a battery campus today in Pueblo, Colorado, to shift solar power into the evening. The campus stores four hours of output from the plant next door.\n\nThe company said the campus employs forty people.\n`;
}

async function readBody(stack: LocalStack, key: string): Promise<string | undefined> {
  try {
    const object = await stack.s3.send(new GetObjectCommand({ Bucket: stack.emulators.buckets.distribution, Key: key }));
    return await object.Body!.transformToString('utf8');
  } catch {
    return undefined;
  }
}

async function distributionKeys(stack: LocalStack): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.emulators.buckets.distribution, ContinuationToken: token }));
    for (const object of page.Contents ?? []) keys.push(object.Key!);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

interface LiftRun {
  lagMs: number;
  /** When the lifecycle function was last invoked for the lift, relative to the instant (negative: before it). */
  liftInvokedMs?: number;
  /** Last write after the instant of: the release's pages, any `feed.xml`, the root page or a sitemap (ms after the instant). */
  writes: { pages?: number; feeds?: number; root?: number };
  requests: Record<string, number>;
  bytes: Record<string, number>;
}

export const run: Benchmark = async ({ quick, log }) => {
  const runs = quick ? QUICK_RUNS : RUNS;
  const languages = DEFAULT_TARGET_LANGUAGES;
  const stack = await startBenchStack({ engine: 'pseudo', languages });
  const failures = watchFailures(stack);
  const counter = countEmulatorRequests(stack.emulators);
  const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient(stack.emulators.dynamoClientConfig()));
  const repository = new DynamoDbReleaseRepository({ client: dynamo, tableName: stack.emulators.tableName });
  const results: LiftRun[] = [];
  const problems: string[] = [];
  let lastInvoke: number | undefined;
  const onInvoke = (event: { queue: string }) => {
    if (event.queue === QUEUE_NAMES.lifecycle) lastInvoke = Date.now();
  };
  stack.runner.on('invoke', onInvoke);
  let writes: LiftRun['writes'] = {};
  let watching: { id: string; instant: number } | undefined;
  const onWrite = (event: { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] }) => {
    if (!watching) return;
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:') || record.s3.bucket.name !== stack.emulators.buckets.distribution) continue;
      const key = record.s3.object.key;
      const at = Date.now() - watching.instant;
      if (key.endsWith(`/releases/${watching.id}.html`)) writes.pages = at;
      else if (key.endsWith('/feed.xml')) writes.feeds = at;
      else if (key === paths.root() || key.endsWith('sitemap.xml')) writes.root = at;
    }
  };
  stack.emulators.s3.on('event', onWrite);
  try {
    // Something public first, so the feeds, root page and sitemaps exist.
    await publishThroughStack(stack, [
      { name: 'neighbour.md', text: '---\nid: open-neighbour\nlanguage: en\n---\n# Neighbour opens a depot\n\nThe neighbour opened a new depot today, with room for two hundred vans.\n' },
    ]);
    for (let i = 0; i < runs; i++) {
      const id = `kestrel-lift-${i + 1}`;
      const instant = new Date(Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000);
      await stack.s3.send(new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: `incoming/${id}.md`, Body: releaseText(id, instant), ContentType: 'text/markdown; charset=utf-8' }));
      // Ready: every language translated and nothing but the delayed lift left in the queues.
      const others = LOCAL_QUEUE_NAMES.filter((name) => name !== QUEUE_NAMES.lifecycle);
      for (;;) {
        const variants = await repository.listVariants(id, 1);
        const quiet = others.every((name) => stack.sqs.queue(name).size === 0);
        if (quiet && variants.length === languages.length && variants.every((v) => v.status === 'translated')) break;
        if (Date.now() > instant.getTime() - 3_000) break;
        await sleep(200);
      }
      const keys = await distributionKeys(stack);
      const leaks: string[] = [];
      const limit = pLimit(8);
      await Promise.all(
        keys.map((key) =>
          limit(async () => {
            if (`${key}\n${(await readBody(stack, key)) ?? ''}`.includes(id)) leaks.push(key);
          }),
        ),
      );
      const checkedAt = Date.now();
      if (checkedAt >= instant.getTime()) problems.push(`run ${i + 1}: not ready before the instant (checked ${checkedAt - instant.getTime()} ms after it)`);
      if (leaks.length > 0) problems.push(`run ${i + 1}: public before the instant: ${leaks.slice(0, 3).join(', ')}`);
      log(`run ${i + 1}: ${keys.length} objects checked, ${instant.getTime() - checkedAt} ms before the instant`);

      lastInvoke = undefined;
      await sleep(Math.max(0, instant.getTime() - Date.now()));
      counter.take();
      writes = {};
      watching = { id, instant: instant.getTime() };
      const remaining = new Set([...languages.map((l) => paths.page(l, id)), ...languages.map((l) => paths.rss(l)), paths.sitemap(), paths.newsSitemap(), paths.root()]);
      let doneAt = 0;
      while (remaining.size > 0) {
        if (Date.now() - instant.getTime() > 60_000) {
          problems.push(`run ${i + 1}: ${remaining.size} output(s) still missing a minute after the instant, e.g. ${[...remaining][0]}`);
          break;
        }
        await Promise.all(
          [...remaining].map((key) =>
            limit(async () => {
              if ((await readBody(stack, key))?.includes(id)) remaining.delete(key);
            }),
          ),
        );
        doneAt = Date.now();
        if (remaining.size > 0) await sleep(50);
      }
      const counts = counter.take();
      watching = undefined;
      const result: LiftRun = {
        writes,
        lagMs: doneAt - instant.getTime(),
        ...(lastInvoke !== undefined ? { liftInvokedMs: lastInvoke - instant.getTime() } : {}),
        requests: counts.requests,
        bytes: counts.bytes,
      };
      results.push(result);
      log(
        `run ${i + 1}: lag ${result.lagMs} ms (lift invoked at ${result.liftInvokedMs ?? '?'} ms; last page written at ${writes.pages ?? '?'} ms, feed ${writes.feeds ?? '?'} ms, root/sitemap ${writes.root ?? '?'} ms); ${describeCounts(counts.requests)}`,
      );
      await stack.whenIdle();
    }
    const problem = describeFailures(failures.outcome());
    if (problem) problems.push(problem);
    const lags = results.map((r) => r.lagMs);
    const lag = median(lags);
    const medianRequests = median(results.map((r) => totalOf(r.requests)));
    return {
      id: 'lift',
      title: 'Lift lag',
      method: `An embargoed release (translated ahead into ${languages.length} languages) on the local stack in this process; time from the embargo instant until the last of its ${languages.length} pages, ${languages.length} language RSS feeds, the sitemap, the news sitemap and the root page is readable with it; ${runs} runs, one release each.`,
      goals: [{ text: `median lag ≤ ${GOAL_MS} ms, every run ≤ ${GOAL_MS} ms`, met: problems.length === 0 && Math.max(...lags) <= GOAL_MS, measured: `${round(lag)} ms (max ${round(Math.max(...lags))} ms)` }],
      figures: [
        { name: 'Lag (median)', value: round(lag), unit: 'ms' },
        { name: 'Lag (min)', value: round(Math.min(...lags)), unit: 'ms' },
        { name: 'Lag (max)', value: round(Math.max(...lags)), unit: 'ms' },
        { name: 'Emulator requests from the instant to the last output (median)', value: medianRequests, unit: '' },
      ],
      table: [
        ['Run', 'Lag', 'Lift job invoked', 'Last page / feed / root written', 'Requests (instant → last output)'],
        ...results.map((r, index) => [
          String(index + 1),
          `${r.lagMs} ms`,
          r.liftInvokedMs === undefined ? '—' : `${r.liftInvokedMs} ms`,
          `${r.writes.pages ?? '—'} / ${r.writes.feeds ?? '—'} / ${r.writes.root ?? '—'} ms`,
          describeCounts(r.requests),
        ]),
      ],
      notes: [
        'The readiness check polls the bucket from the same process (every 50 ms, the outputs still missing), so it competes with the stack for the one thread, as a reader on a loaded host would.',
        "Requests counted at the emulators include the benchmark's own polling reads (s3 GET).",
        ...problems,
      ],
    };
  } finally {
    stack.runner.off('invoke', onInvoke);
    stack.emulators.s3.off('event', onWrite);
    counter.stop();
    failures.stop();
    dynamo.destroy();
    await stack.close(1000);
  }
};
