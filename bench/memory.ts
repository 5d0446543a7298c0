/**
 * Memory: peak resident memory of each Lambda handler on the largest release the parser accepts.
 * Each stage runs in a fresh Node.js process, from the same bundle Lambda runs (see
 * cold-start.ts), on the very SQS events the previous stage produced: the local stack runs with
 * recording handlers that only capture what arrives on each queue.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_TEXT_CHARS } from '../functions/core/parse/index';
import { bundleHandler } from './cold-start';
import { generateCorpus, type CorpusDocument } from './corpus';
import { formatInteger, round, type Benchmark, type Goal } from './harness';
import { publishThroughStack, startBenchStack } from './pipeline';
import type { Stage } from '../infra/local/stack';

const MAX_RSS_MB = 200;
/** Quick mode: a long release rather than the largest, to stay within a minute. */
const QUICK_RELEASE_CHARS = 8_000;

/** The stages in pipeline order and the handler folder that serves each. */
const STAGES: readonly { stage: Stage; handler: string }[] = [
  { stage: 'ingest', handler: 'ingest' },
  { stage: 'translate', handler: 'translate' },
  { stage: 'publish', handler: 'publish' },
  { stage: 'deliver', handler: 'deliver' },
];

/**
 * The largest plain-text release under the parser's text limit: the generator's release with as
 * many body paragraphs as fit.
 */
export function largestRelease(maxChars: number = MAX_TEXT_CHARS): CorpusDocument {
  const base = generateCorpus({ releases: 1, correctedShare: 0, seed: 99 })[0]!;
  const perParagraph = 160;
  let padding = Math.floor((maxChars - base.text.length) / perParagraph);
  for (;;) {
    const document = generateCorpus({ releases: 1, correctedShare: 0, seed: 99, paddingParagraphs: padding })[0]!;
    if (document.text.length <= maxChars) {
      if (maxChars - document.text.length < 2 * perParagraph || padding === 0) return { ...document, name: `largest-${document.name}` };
      padding += Math.max(1, Math.floor((maxChars - document.text.length) / perParagraph / 2));
    } else {
      padding = Math.max(0, padding - Math.max(1, Math.ceil((document.text.length - maxChars) / perParagraph)));
    }
  }
}

/** Runs a stage's bundle on recorded events in a fresh process; its own peak RSS, read at exit. */
const CHILD_SCRIPT = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [bundle, eventsFile] = process.argv.slice(2);
const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
const { handler } = await import(pathToFileURL(bundle).href);
let failed = 0;
for (const event of events) {
  const deadline = Date.now() + 900000;
  const context = {
    functionName: 'bench', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:bench',
    memoryLimitInMB: '1024', awsRequestId: String(Math.random()).slice(2), logGroupName: 'bench', logStreamName: 'bench',
    callbackWaitsForEmptyEventLoop: false, getRemainingTimeInMillis: () => deadline - Date.now(),
    done() {}, fail() {}, succeed() {},
  };
  try {
    const result = await handler(event, context);
    failed += result?.batchItemFailures?.length ?? 0;
  } catch (error) {
    failed += event.Records.length;
    process.stderr.write(String(error?.stack ?? error) + '\\n');
  }
}
process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS, failed, events: events.length }));
process.exit(0);
`;

interface ChildResult {
  maxRssKiB: number;
  failed: number;
  events: number;
  stderr: string;
  /** Set when the child was stopped at the time limit; `maxRssKiB` is then its peak until then. */
  timedOutAfterMs?: number;
}

/** Peak resident set of a running process so far (Linux `VmHWM`), in KiB. */
function peakRssOf(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function runChild(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    // Asynchronous on purpose: the child talks to the emulators served by this process.
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const started = Date.now();
    const watch = setInterval(() => {
      peak = Math.max(peak, (child.pid && peakRssOf(child.pid)) || 0);
      if (Date.now() - started > timeoutMs) {
        clearInterval(watch);
        child.kill('SIGKILL');
        resolvePromise({ maxRssKiB: peak, failed: 0, events: 0, stderr, timedOutAfterMs: Date.now() - started });
      }
    }, 250);
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => {
      clearInterval(watch);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(watch);
      if (Date.now() - started > timeoutMs) return;
      try {
        resolvePromise({ ...(JSON.parse(stdout) as { maxRssKiB: number; failed: number; events: number }), stderr });
      } catch {
        reject(new Error(`child exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      }
    });
  });
}

export const run: Benchmark = async ({ quick, workDir, log }) => {
  // The stage's own Lambda timeout would stop it in the cloud; here a generous bound per stage.
  const timeoutMs = Number(process.env.BENCH_MEMORY_TIMEOUT_S ?? (quick ? 30 : 180)) * 1000;
  const outDir = join(workDir, 'memory');
  mkdirSync(outDir, { recursive: true });
  const childScript = join(outDir, 'run-handler.mjs');
  writeFileSync(childScript, CHILD_SCRIPT);
  const release = largestRelease(quick ? QUICK_RELEASE_CHARS : MAX_TEXT_CHARS);

  // Recording handlers: every batch that reaches a queue is kept, and reported as processed.
  const recorded = new Map<Stage, SQSEvent[]>(STAGES.map((s) => [s.stage, []]));
  const recorder =
    (stage: Stage) =>
    async (event: SQSEvent, _context: Context): Promise<SQSBatchResponse> => {
      recorded.get(stage)!.push(event);
      return { batchItemFailures: [] };
    };
  const stack = await startBenchStack({
    engine: 'pseudo',
    handlers: Object.fromEntries(STAGES.map((s) => [s.stage, recorder(s.stage)])),
  });

  const table: string[][] = [['Handler', 'Events replayed', 'Records', 'Peak RSS', 'Failed records']];
  const goals: Goal[] = [];
  const notes: string[] = [];
  let baseline: { maxRssKiB: number } | undefined;
  try {
    await publishThroughStack(stack, [release]);
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...stack.environment };
    baseline = await runChild(childScript, [resolve(outDir, 'empty.mjs'), writeEvents(outDir, 'empty', [])], env, timeoutMs).catch(() => undefined);
    for (const { stage, handler } of STAGES) {
      const entry = join('functions', handler, 'handler.ts');
      if (!existsSync(entry)) {
        goals.push({ text: `${handler}: peak RSS ≤ ${MAX_RSS_MB} MB`, met: null, measured: 'handler not present' });
        continue;
      }
      const events = recorded.get(stage)!.splice(0);
      if (events.length === 0) {
        goals.push({ text: `${handler}: peak RSS ≤ ${MAX_RSS_MB} MB`, met: null, measured: 'no event reached this stage' });
        continue;
      }
      const bundle = (await bundleHandler(handler, join(workDir, 'cold-start'))).file;
      log(`${handler}: replaying ${events.length} batch(es) in a fresh process`);
      const result = await runChild(childScript, [bundle, writeEvents(outDir, stage, events)], env, timeoutMs);
      if (result.timedOutAfterMs !== undefined) {
        const mbSoFar = result.maxRssKiB / 1024;
        goals.push({ text: `${handler}: peak RSS ≤ ${MAX_RSS_MB} MB`, met: false, measured: `did not finish in ${round(result.timedOutAfterMs / 1000)} s (peak ${round(mbSoFar)} MB until stopped)` });
        table.push([handler, String(events.length), String(events.reduce((sum, e) => sum + e.Records.length, 0)), `≥ ${round(mbSoFar)} MB (stopped)`, 'unfinished']);
        notes.push(
          `${handler} did not finish the largest release within ${round(timeoutMs / 1000)} s (its CPU time grows faster than linearly with the release's length): profile it with \`node --cpu-prof ${join('bench', '.work', 'memory', 'run-handler.mjs')} ${join('bench', '.work', 'cold-start', handler, 'index.mjs')} ${join('bench', '.work', 'memory', `${stage}-events.json`)}\` against a running stack. Later stages got no events from it.`,
        );
        break;
      }
      // The next stage's events are recorded while this one runs; let them all arrive.
      await stack.whenIdle();
      const mb = result.maxRssKiB / 1024;
      const records = events.reduce((sum, e) => sum + e.Records.length, 0);
      goals.push({ text: `${handler}: peak RSS ≤ ${MAX_RSS_MB} MB`, met: result.failed === 0 && mb <= MAX_RSS_MB, measured: `${round(mb)} MB` });
      table.push([handler, String(result.events), String(records), `${round(mb)} MB`, String(result.failed)]);
      if (result.failed > 0) notes.push(`${handler}: ${result.failed} record(s) failed — ${result.stderr.trim().split('\n').slice(-2).join(' ')}`.slice(0, 400));
      if (mb > MAX_RSS_MB) {
        notes.push(
          `${handler} exceeds ${MAX_RSS_MB} MB. Its bundle's largest contributors are listed under Cold start: a dependency that builds big in-memory tables at import (a language detector's n-gram data, a full schema library with locales) costs its whole size in every invocation — load it lazily, pick a lighter variant, or move it out of this stage. Beyond that: stream large payloads rather than holding every language's rendering at once, and bound the concurrency within a batch.`,
        );
      }
    }
  } finally {
    await stack.close(1000);
  }
  notes.unshift(
    quick
      ? `Release (quick mode): the generated release padded to ${formatInteger(release.text.length)} characters; the full run uses the largest the parser accepts (${formatInteger(MAX_TEXT_CHARS)} characters). 15 languages, pseudo engine.`
      : `Release: the generated release padded with body paragraphs to ${formatInteger(release.text.length)} characters (${formatInteger(Buffer.byteLength(release.text))} bytes), just under the parser's text limit of ${formatInteger(MAX_TEXT_CHARS)} characters (uploads up to 5 MiB are accepted, but only .docx files carry more bytes than text). 15 languages, pseudo engine.`,
    `Each handler is the minified bundle (as Lambda runs it) imported in a fresh \`node\` process that replays every SQS batch its queue received for this release, one after another as one warm Lambda instance would; the figure is \`process.resourceUsage().maxRSS\` at exit.${baseline ? ` An empty Node.js process peaks at ${round(baseline.maxRssKiB / 1024)} MB on this machine.` : ''}`,
  );
  return {
    id: 'memory',
    title: 'Memory',
    method: 'Peak resident memory of each handler, each in a fresh process, on the largest release the parser accepts.',
    goals,
    figures: [{ name: 'Release size', value: release.text.length, unit: 'chars' }],
    table,
    notes,
  };
};

function writeEvents(outDir: string, name: string, events: SQSEvent[]): string {
  const file = join(outDir, `${name}-events.json`);
  writeFileSync(file, JSON.stringify(events));
  if (name === 'empty') writeFileSync(join(outDir, 'empty.mjs'), 'export const handler = async () => ({ batchItemFailures: [] });\n');
  return file;
}
