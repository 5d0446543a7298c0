/**
 * Requests per release: the SeaPRwire seed into 15 languages through the local stack (the real
 * handlers, the pseudo engine), counted where they arrive — at s3rver, dynalite and the local SQS
 * service (see emulator-requests.ts) — and compared with a stated minimum per release, then priced
 * at AWS list prices (an external reference, named below).
 *
 * Two releases in one stack: the first on a cold instance into an empty site, the second (the
 * same text under another name: a new release id, the same requests) on the warm instance with
 * every feed already present. The counts do not depend on the machine's speed, except for the
 * few requests the timing of batches decides (how many root rebuilds run, feed re-verifications):
 * the report shows both releases and flags a count that differs between them.
 */
import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { countRequests, total, type RequestCounts } from './emulator-requests';
import { formatInteger, round, type Benchmark, type Figure, type Goal } from './harness';
import { describeFailures, publishThroughStack, startBenchStack, watchFailures } from './pipeline';
import type { LocalStack } from '../infra/local/stack';

const SEED = 'seaprwire-de-2024-blinken.txt';

/**
 * AWS list prices, us-east-1, USD — an external reference, not measured by this run.
 * Sources: https://aws.amazon.com/s3/pricing/ (S3 Standard: PUT, COPY, POST, LIST USD 0.005 per
 * 1,000; GET, HEAD and other requests USD 0.0004 per 1,000), https://aws.amazon.com/dynamodb/pricing/on-demand/
 * (on-demand: USD 0.625 per million write request units, USD 0.125 per million read request
 * units), https://aws.amazon.com/sqs/pricing/ (FIFO USD 0.50, standard USD 0.40 per million
 * requests, each 64 KiB of payload one request).
 */
export const LIST_PRICES_USD = {
  s3WritePer1000: 0.005,
  s3ReadPer1000: 0.0004,
  dynamoWriteUnitPerMillion: 0.625,
  dynamoReadUnitPerMillion: 0.125,
  sqsFifoPerMillion: 0.5,
  sqsStandardPerMillion: 0.4,
} as const;

const READ_OPERATIONS = /^(Get|Query|Scan|BatchGet|TransactGet)/;

/** What one release measured. */
interface ReleaseCounts {
  counts: RequestCounts;
  engineRequests: number;
  billedCharacters: number;
  outputKeysWritten: number;
}

/** The minimum per release, derived from the work a release needs (see the notes of the result). */
function minimum(languages: number, outputKeysWritten: number, feedsWritten: number): Record<string, number> {
  const translated = languages; // one translate job per language, the source language's original included
  return {
    // The upload, the parsed release, one variant per language, every output file once.
    's3 PUT': 1 + 1 + translated + outputKeysWritten,
    // No object a release writes can exist before it (new keys), and every feed changes with it;
    // one HEAD tells the ingest whether the project has a glossary, so that the 15 translate jobs
    // need not each look for it (each a GET, a miss when there is none).
    's3 HEAD': 1,
    // Ingest reads the upload; each translate job the release (one invocation each); each
    // publish job the release and its variant. The glossary and human translations: 0 when
    // their absence is known once per release.
    's3 GET': 1 + translated + 2 * languages,
    // Ingest → translate (two SendMessageBatch of ≤ 10), one publish job per translated variant,
    // one webhook job per published variant, and one send per publishing invocation to the
    // language feed groups (the feeds and archives are written only there, one render at a time);
    // the root rebuild request rides in that send. Each variant's publish job comes when its own
    // translation is done, so each publishes in an invocation of its own: one per language.
    'sqs SendMessageBatch': Math.ceil(translated / 10) + translated + languages + languages,
    // Per feed render (each language's feed and category feeds): the archive's tail (its size and
    // newest numbers), the index's newest entries, and their re-read after the write that verifies
    // the feed; one root rebuild (the newest entries of every language's feed); the one variant
    // listing of each publish job; the subscriptions once per webhook job.
    'dynamodb Query': 3 * feedsWritten + languages + languages + languages,
  };
}

function priceOf(counts: RequestCounts): { s3: number; dynamo: number; sqs: number } {
  const ops = counts.byOperation;
  let s3Write = 0;
  let s3Read = 0;
  let sqs = 0;
  for (const [key, value] of ops) {
    const [service, operation] = key.split(' ');
    if (service === 's3') {
      if (operation === 'PUT' || operation === 'POST' || operation === 'LIST' || operation === 'COPY') s3Write += value;
      else s3Read += value;
    } else if (service === 'sqs') sqs += value;
  }
  let readUnits = 0;
  let writeUnits = 0;
  for (const [operation, units] of counts.capacity) {
    if (READ_OPERATIONS.test(operation)) readUnits += units;
    else writeUnits += units;
  }
  const p = LIST_PRICES_USD;
  return {
    s3: (s3Write / 1000) * p.s3WritePer1000 + (s3Read / 1000) * p.s3ReadPer1000,
    dynamo: (writeUnits / 1e6) * p.dynamoWriteUnitPerMillion + (readUnits / 1e6) * p.dynamoReadUnitPerMillion,
    // Publish jobs go to the FIFO queue, the rest to standard queues; priced at the FIFO rate (the higher).
    sqs: (sqs / 1e6) * p.sqsFifoPerMillion,
  };
}

function capacityTotals(counts: RequestCounts): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const [operation, units] of counts.capacity) {
    if (READ_OPERATIONS.test(operation)) read += units;
    else write += units;
  }
  return { read, write };
}

/** Engine requests and billed characters from the ledgers of the variants written since `before`. */
async function engineLedgers(stack: LocalStack, before: ReadonlySet<string>): Promise<{ keys: Set<string>; requests: number; characters: number }> {
  const keys = new Set<string>();
  let token: string | undefined;
  do {
    const page = await stack.s3.send(new ListObjectsV2Command({ Bucket: stack.emulators.buckets.uploads, Prefix: 'variants/', ...(token ? { ContinuationToken: token } : {}) }));
    for (const object of page.Contents ?? []) if (object.Key) keys.add(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  let requests = 0;
  let characters = 0;
  for (const key of keys) {
    if (before.has(key)) continue;
    const object = await stack.s3.send(new GetObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: key }));
    const variant = JSON.parse(await object.Body!.transformToString()) as { ledger: { requests: number; billedCharacters: number } };
    requests += variant.ledger.requests;
    characters += variant.ledger.billedCharacters;
  }
  return { keys, requests, characters };
}

export const run: Benchmark = async ({ log }) => {
  const languages = DEFAULT_TARGET_LANGUAGES;
  const text = readFileSync(fileURLToPath(new URL(`../seeds/${SEED}`, import.meta.url)), 'utf8');
  const stack = await startBenchStack({ engine: 'pseudo', languages });
  const ports = new Map([
    [Number(new URL(stack.emulators.s3Endpoint).port), 's3' as const],
    [Number(new URL(stack.emulators.dynamoEndpoint).port), 'dynamodb' as const],
    [Number(new URL(stack.sqs.endpoint).port), 'sqs' as const],
  ]);
  const counter = countRequests(ports);
  try {
    const failures = watchFailures(stack);
    const releases: ReleaseCounts[] = [];
    let variantKeys = new Set<string>();
    for (const [index, name] of [SEED, SEED.replace(/\.txt$/, '-again.txt')].entries()) {
      log(`release ${index + 1}: ${name} into ${languages.length} languages`);
      counter.reset();
      await publishThroughStack(stack, [{ name, text }]);
      const counts = counter.snapshot();
      const ledgers = await engineLedgers(stack, variantKeys);
      variantKeys = ledgers.keys;
      releases.push({ counts, engineRequests: ledgers.requests, billedCharacters: ledgers.characters, outputKeysWritten: counts.putKeys.get(stack.emulators.buckets.distribution)?.size ?? 0 });
    }
    failures.stop();
    const problem = describeFailures(failures.outcome());

    const operations = [...new Set(releases.flatMap((r) => [...r.counts.byOperation.keys()]))].sort();
    const [first, second] = releases as [ReleaseCounts, ReleaseCounts];
    // The feeds the release was rendered into: the language feeds and category feeds (RSS files written, archive pages apart).
    const feedsWritten = [...(second.counts.putKeys.get(stack.emulators.buckets.distribution) ?? [])].filter((key) => key.endsWith('/feed.xml') && !key.includes('/archive/')).length;
    const floor = minimum(languages.length, second.outputKeysWritten, feedsWritten);
    const table: string[][] = [
      ['Requests', 'Release 1 (cold, empty site)', 'Release 2 (warm)', 'Minimum per release'],
      ...operations.map((op) => [op, formatInteger(first.counts.byOperation.get(op) ?? 0), formatInteger(second.counts.byOperation.get(op) ?? 0), op in floor ? formatInteger(floor[op]!) : '']),
    ];
    for (const [label, r] of [
      ['Release 1', first],
      ['Release 2', second],
    ] as const) {
      const c = capacityTotals(r.counts);
      table.push([`${label}: DynamoDB capacity units read / write`, `${round(c.read, 1)} / ${round(c.write, 1)}`, '', '']);
    }
    // Where the sends, HEADs and Queries come from (by queue and job kind; by key; by caller).
    const sources = [...new Set(releases.flatMap((r) => [...r.counts.sources.keys()]))].sort();
    for (const source of sources) table.push([`↳ ${source}`, formatInteger(first.counts.sources.get(source) ?? 0), formatInteger(second.counts.sources.get(source) ?? 0), '']);
    table.push(['DynamoDB capacity by operation (release 2)', [...second.counts.capacity].map(([op, u]) => `${op} ${round(u, 1)}`).join(', '), '', '']);

    const cost = priceOf(second.counts);
    const costTotal = cost.s3 + cost.dynamo + cost.sqs;
    const minimumCost = priceOf({
      byOperation: new Map(Object.entries(floor)),
      capacity: second.counts.capacity,
      putKeys: second.counts.putKeys,
      bytes: second.counts.bytes,
      sources: second.counts.sources,
    });
    const s3Requests = (r: ReleaseCounts) => total(r.counts.byOperation, 's3');
    const figures: Figure[] = [
      { name: 'S3 requests per release (release 2)', value: s3Requests(second), unit: '' },
      { name: 'S3 HEAD per release (release 2)', value: total(second.counts.byOperation, 's3 HEAD'), unit: '' },
      { name: 'S3 GET misses (404) per release (release 2)', value: second.counts.byOperation.get('s3 GET 404') ?? 0, unit: '' },
      { name: 'DynamoDB requests per release (release 2)', value: total(second.counts.byOperation, 'dynamodb'), unit: '' },
      { name: 'DynamoDB Queries per release (release 2)', value: second.counts.byOperation.get('dynamodb Query') ?? 0, unit: '' },
      { name: 'SQS requests per release (release 2)', value: total(second.counts.byOperation, 'sqs'), unit: '' },
      { name: 'Engine requests per release (variant ledgers)', value: second.engineRequests, unit: '' },
      { name: 'Output files written per release (distinct keys)', value: second.outputKeysWritten, unit: '' },
      {
        name: 'Storage, queue and table requests per release at list prices (release 2)',
        value: round(costTotal * 1e6, 1),
        unit: 'µUSD',
        display: `USD ${costTotal.toFixed(6)} (S3 ${cost.s3.toFixed(6)}, DynamoDB ${cost.dynamo.toFixed(6)}, SQS ${cost.sqs.toFixed(6)})`,
      },
      {
        name: 'The same at the stated minimum',
        value: round((minimumCost.s3 + minimumCost.sqs + minimumCost.dynamo) * 1e6, 1),
        unit: 'µUSD',
        display: `USD ${(minimumCost.s3 + minimumCost.dynamo + minimumCost.sqs).toFixed(6)} (DynamoDB as measured)`,
      },
    ];
    const goals: Goal[] = (['s3 PUT', 's3 HEAD', 's3 GET', 'sqs SendMessageBatch', 'dynamodb Query'] as const).map((op) => {
      const measured = total(second.counts.byOperation, op);
      // Within 1.5× of the floor (HEAD: the floor itself); nothing the floor counts comes for free.
      const limit = op === 's3 HEAD' ? floor[op]! : Math.ceil(floor[op]! * 1.5);
      return {
        text: `${op} per release ≤ ${op === 's3 HEAD' ? `the minimum (${limit})` : `1.5 × the minimum (${floor[op]}) = ${limit}`}`,
        met: problem ? null : measured <= limit,
        measured: `${formatInteger(measured)}`,
      };
    });
    const varying = operations.filter((op) => (first.counts.byOperation.get(op) ?? 0) !== (second.counts.byOperation.get(op) ?? 0));
    const notes = [
      `The seed \`seeds/${SEED}\` (German) published in ${languages.length} languages with the pseudo engine, twice in one local stack: release 1 on cold handler instances into an empty site, release 2 (the same text under another file name: a new release id) on warm instances with every feed present. Counted at the emulators' HTTP servers from the upload until the pipeline was idle, the upload's own PUT included. S3 \`GET\` of a bucket without a key is a LIST; \`404\` marks a miss.`,
      `Not counted: the SQS receives and deletes of the Lambda event source (the local runner takes messages in-process; in the cloud the poller's requests are billed too), Lambda invocations and compute, CloudFront. DynamoDB capacity is dynalite's own computation for the table (1 write unit per KiB written, the larger of the old and new item; 1 read unit per 4 KiB, half for eventually consistent reads); AWS also bills writes to the global secondary indexes, which dynalite does not report, so the write units are a lower bound.`,
      `Minimum per release, derived from the work: S3 PUT = the upload + the parsed release + one variant per language (${languages.length}) + each output file once (the distinct keys this run wrote: ${second.outputKeysWritten}); S3 HEAD = 1: the ingest's check whether \`config/glossary.yaml\` exists, once per release instead of a look-up in each of the ${languages.length} translate jobs (every key a release writes is new, and every feed file it rewrites changes, so no other HEAD can save a PUT; the stylesheet, whose bytes come from the code, is checked once per process); S3 GET = the upload + the release once per translate job (${languages.length}, separate invocations) + the release and the variant once per publish job (${2 * languages.length}), and no look-up of a glossary or human translation known to be absent; SQS sends = ⌈${languages.length}/10⌉ translate batches + ${languages.length} publish jobs + ${languages.length} webhook jobs + ${languages.length} feed-render requests. The last term was 1 root rebuild request until this minimum was re-stated: a language's feeds and archives are numbered and written only by its \`render-feed\` job (one at a time in its message group), so every invocation that publishes must ask for one, and the ${languages.length} variants of a release are translated one by one, so their publish jobs come in ${languages.length} invocations; the root rebuild request travels in the same send (at most one per burst: see rebuildRoot), so it costs no request of its own. DynamoDB Queries = 3 per feed render (${feedsWritten} feeds: each language's feed and category feeds whose RSS file this release wrote): the archive's tail (size and newest numbers in one read), the index's newest entries, and their re-read that verifies the written feed; + ${languages.length} for one root rebuild (every language's newest entries) + ${languages.length} variant listings (one per publish job) + ${languages.length} subscription listings (one per webhook job). The other DynamoDB operations have no stated floor: they are listed as measured.`,
      `Prices (external reference, us-east-1 list prices, not measured): S3 Standard PUT/COPY/POST/LIST USD ${LIST_PRICES_USD.s3WritePer1000} per 1,000, GET/HEAD USD ${LIST_PRICES_USD.s3ReadPer1000} per 1,000 (aws.amazon.com/s3/pricing); DynamoDB on-demand USD ${LIST_PRICES_USD.dynamoWriteUnitPerMillion} per million write and USD ${LIST_PRICES_USD.dynamoReadUnitPerMillion} per million read request units (aws.amazon.com/dynamodb/pricing/on-demand); SQS USD ${LIST_PRICES_USD.sqsFifoPerMillion} per million FIFO requests, applied to every SQS request (aws.amazon.com/sqs/pricing). Free tiers ignored. Machine translation is priced apart (the Translation cost benchmark): this run's engine requests are the pseudo engine's.`,
    ];
    notes.push(
      'Rows marked ↳ break the counts down, as measured: SQS sends by queue and the kinds of job each carries (`rebuild-root+render-feed`: one SendMessageBatch with both), S3 HEADs by key (languages and ids generalized), DynamoDB Queries by the adapter method and the pipeline function that called it (taken from the call stack).',
    );
    if (varying.length > 0) notes.push(`Counts that differ between the two releases (cold versus warm instances, or batch timing): ${varying.join(', ')}.`);
    if (problem) notes.push(`Not every release went through: ${problem}.`);
    return {
      id: 'requests',
      title: 'Requests per release',
      method: `The SeaPRwire seed into ${languages.length} languages through the local stack, S3, DynamoDB and SQS requests counted at the emulators, against a stated minimum and priced at AWS list prices.`,
      goals,
      figures,
      table,
      notes,
    };
  } finally {
    counter.stop();
    await stack.close(1000);
  }
};
