/**
 * Isolation overhead: what running each handler invocation in a worker thread (the local stack's
 * default, infra/local/isolation) costs against running the handlers in the stack's own thread.
 *
 * Two measures, both from this run:
 * - the pipeline: the same releases through a fresh local stack in each mode, each trial in a
 *   child process of its own (the in-process handlers keep module-scope clients, so one stack per
 *   process), trials interleaved (worker, in-process, in-process, worker …) so that a change in
 *   the machine's load hits both modes alike; wall time from the first upload to idle, and the
 *   process's peak RSS (worker threads included);
 * - one invocation: a worker's cold start (tsx loader and handler module built in the thread) and
 *   a warm round trip of an empty batch, against a direct call of the same handler in-process;
 * - the real publish handler's cold start in a worker, from the stack's plain-JavaScript build
 *   and from its TypeScript through tsx.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { prepareWorkerBundle } from '../infra/local/isolation/bundle';
import { HandlerWorkerPool } from '../infra/local/isolation/pool';
import { median, round, sampleRss, type Benchmark, type Figure } from './harness';
import { startBenchStack } from './pipeline';

type Mode = 'worker' | 'in-process';

interface TrialResult {
  mode: Mode;
  releases: number;
  wallMs: number;
  peakRssMiB: number;
  failures: number;
  /** What failed, one line per failed invocation: function and error. */
  failed: string[];
}

const LANGUAGES = ['en', 'de', 'fr', 'ja'];
const benchFile = fileURLToPath(import.meta.url);
const runner = join(benchFile, '..', '..', 'bin', 'run-ts.mjs');
/** A test double handler module (`ok` bodies succeed), loaded as the real ones are. */
const FIXTURE = pathToFileURL(join(benchFile, '..', '..', 'test', 'fixtures', 'isolation', 'handler.ts')).href;

function releaseText(i: number): string {
  const sentence = `Acme Robotics said on Tuesday that plant number ${i} in Rotterdam will employ ${400 + i} people by 2027.`;
  return [
    `Acme opens plant number ${i} in Rotterdam`,
    '',
    `(SeaPRwire) – ROTTERDAM, 26 November 2026 – ${sentence}`,
    '',
    `${sentence} ${sentence}`,
    '',
    `“We are proud of plant ${i},” said Jane Doe, chief executive officer.`,
    '',
    'Category: Technology, Robotics',
    '',
  ].join('\n');
}

/** One trial, in this (child) process: a fresh stack in `mode`, the releases through it. */
async function trial(mode: Mode, releases: number): Promise<TrialResult> {
  const stack = await startBenchStack({ isolation: mode, languages: LANGUAGES });
  let failures = 0;
  const failed: string[] = [];
  stack.runner.on('result', (r: { functionName: string; error?: Error; failedMessageIds: string[]; records: { body: string }[] }) => {
    if (!r.error && r.failedMessageIds.length === 0) return;
    failures += 1;
    // A failure must say what failed: the function, the error or the reported messages' bodies.
    const what = r.error ? r.error.message : `reported ${r.failedMessageIds.length} of ${r.records.length} message(s) failed`;
    failed.push(`${r.functionName}: ${what.slice(0, 300)}`);
  });
  try {
    const rss = sampleRss();
    const started = performance.now();
    for (let i = 0; i < releases; i++) {
      await stack.s3.send(new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: `incoming/plant-${i}.txt`, Body: releaseText(i) }));
    }
    await stack.whenIdle();
    const wallMs = performance.now() - started;
    return { mode, releases, wallMs, peakRssMiB: round(rss.stop() / 2 ** 20, 0), failures, failed };
  } finally {
    await stack.close(1_000);
  }
}

function runTrial(mode: Mode, releases: number, workDir: string, index: number): Promise<TrialResult> {
  const resultFile = join(workDir, `isolation-${index}.json`);
  rmSync(resultFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, benchFile, '--trial', mode, String(releases), resultFile], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as TrialResult);
      } catch {
        reject(new Error(`the ${mode} trial exited with ${code} without a result`));
      }
    });
  });
}

/** Cold start and warm round trip of one worker, against direct in-process calls of the same handler. */
async function invocationOverhead(calls: number): Promise<{ coldMs: number; warmMs: number; directMs: number }> {
  const event: SQSEvent = { Records: [] };
  const pool = new HandlerWorkerPool({ init: { functionName: 'bench-isolation', moduleUrl: FIXTURE, environment: {}, memoryMb: 256 } });
  try {
    const never = new AbortController().signal;
    let start = performance.now();
    await pool.invoke(event, Date.now() + 60_000, never);
    const coldMs = performance.now() - start;
    const warm: number[] = [];
    for (let i = 0; i < calls; i++) {
      start = performance.now();
      await pool.invoke(event, Date.now() + 60_000, never);
      warm.push(performance.now() - start);
    }
    const { handler } = (await import(FIXTURE)) as { handler: (event: SQSEvent) => Promise<SQSBatchResponse> };
    const direct: number[] = [];
    for (let i = 0; i < calls; i++) {
      start = performance.now();
      await handler(event);
      direct.push(performance.now() - start);
    }
    return { coldMs, warmMs: median(warm), directMs: median(direct) };
  } finally {
    await pool.close();
  }
}

/**
 * A worker's cold start with the real publish handler (the largest: SDK clients, renderers),
 * from the plain-JavaScript build the stack uses (bundle.ts) and from its TypeScript through tsx
 * (what each worker did before), alternated; with the process's RSS growth while the worker lives.
 */
async function handlerColdStarts(rounds: number): Promise<Record<'bundle' | 'tsx', { ms: number[]; rssMiB: number[] }>> {
  const bundle = await prepareWorkerBundle({ publish: 'functions/publish/handler.ts' });
  const url = 'http://127.0.0.1:9/unused';
  // Enough configuration for the module scope to build its clients; an empty batch calls nothing.
  const environment = {
    TABLE_NAME: 'bench',
    UPLOADS_BUCKET: 'bench-uploads',
    DISTRIBUTION_BUCKET: 'bench-site',
    INGEST_QUEUE_URL: url,
    TRANSLATE_QUEUE_URL: url,
    PUBLISH_QUEUE_URL: url,
    WEBHOOK_QUEUE_URL: url,
    LIFECYCLE_QUEUE_URL: url,
    PUBLIC_BASE_URL: 'http://127.0.0.1:9',
    TARGET_LANGUAGES: LANGUAGES.join(','),
    TRANSLATION_ENGINE: 'pseudo',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
  const source = pathToFileURL(join(benchFile, '..', '..', 'functions', 'publish', 'handler.ts')).href;
  const out = { bundle: { ms: [] as number[], rssMiB: [] as number[] }, tsx: { ms: [] as number[], rssMiB: [] as number[] } };
  for (let i = 0; i < rounds; i++) {
    for (const mode of ['bundle', 'tsx'] as const) {
      const pool = new HandlerWorkerPool({
        ...(mode === 'bundle' ? { entry: bundle.workerEntry } : {}),
        init: { functionName: 'bench-publish', moduleUrl: mode === 'bundle' ? bundle.handlers.publish! : source, environment, memoryMb: 1024 },
      });
      const rssBefore = process.memoryUsage().rss;
      const start = performance.now();
      await pool.invoke({ Records: [] }, Date.now() + 120_000, new AbortController().signal);
      out[mode].ms.push(performance.now() - start);
      out[mode].rssMiB.push((process.memoryUsage().rss - rssBefore) / 2 ** 20);
      await pool.close();
    }
  }
  return out;
}

export const run: Benchmark = async ({ quick, workDir, log }) => {
  const releases = quick ? 6 : 12;
  // Interleaved: ABBA (quick) or ABBAAB, so a drift in the machine's load falls on both modes.
  const order: Mode[] = quick ? ['worker', 'in-process', 'in-process', 'worker'] : ['worker', 'in-process', 'in-process', 'worker', 'worker', 'in-process'];
  const trials: TrialResult[] = [];
  for (const [index, mode] of order.entries()) {
    const result = await runTrial(mode, releases, workDir, index);
    log(
      `${mode}: ${releases} releases × ${LANGUAGES.length} languages in ${round(result.wallMs)} ms, peak RSS ${result.peakRssMiB} MiB, ${result.failures} failed invocations${result.failed.map((line) => `\n    failed: ${line}`).join('')}`,
    );
    trials.push(result);
  }
  const of = (mode: Mode) => trials.filter((t) => t.mode === mode);
  const wall = (mode: Mode) => median(of(mode).map((t) => t.wallMs));
  const rss = (mode: Mode) => median(of(mode).map((t) => t.peakRssMiB));
  const ratio = wall('worker') / wall('in-process');
  const overhead = await invocationOverhead(quick ? 200 : 1_000);
  log(`one worker: cold start ${round(overhead.coldMs)} ms, warm round trip ${round(overhead.warmMs, 3)} ms (direct call ${round(overhead.directMs, 3)} ms)`);
  const cold = await handlerColdStarts(quick ? 3 : 5);
  const coldLine = (mode: 'bundle' | 'tsx') => `${round(median(cold[mode].ms))} ms, +${round(median(cold[mode].rssMiB), 0)} MiB RSS`;
  log(`publish handler worker cold start: bundled ${coldLine('bundle')}; TypeScript through tsx ${coldLine('tsx')} (medians of ${cold.bundle.ms.length}, alternated)`);

  const figures: Figure[] = [
    { name: 'pipeline wall time, worker threads ÷ in-process', value: round(ratio, 2), unit: '×', display: `${round(wall('worker') / 1000, 1)} s ÷ ${round(wall('in-process') / 1000, 1)} s = ${round(ratio, 2)}×` },
    { name: 'peak RSS, worker threads', value: rss('worker'), unit: 'MiB' },
    { name: 'peak RSS, in-process', value: rss('in-process'), unit: 'MiB' },
    { name: 'worker cold start (tsx + a small test handler module, no AWS SDK)', value: round(overhead.coldMs), unit: 'ms' },
    { name: 'publish handler worker cold start, bundled (what the stack runs)', value: round(median(cold.bundle.ms)), unit: 'ms', display: coldLine('bundle') },
    { name: 'publish handler worker cold start, TypeScript through tsx', value: round(median(cold.tsx.ms)), unit: 'ms', display: coldLine('tsx') },
    { name: 'warm invocation round trip (empty batch)', value: round(overhead.warmMs, 3), unit: 'ms', display: `${round(overhead.warmMs, 3)} ms (direct call ${round(overhead.directMs, 3)} ms)` },
  ];
  return {
    id: 'isolation',
    title: 'Isolation overhead in the local stack',
    method: `The same ${releases} plain-text releases × ${LANGUAGES.length} languages (pseudo engine) through a fresh local stack with each handler invocation in a worker thread, and with the handlers in the stack's thread; each trial in its own process, interleaved ${order.map((m) => (m === 'worker' ? 'W' : 'P')).join('')}, medians per mode. Then one worker's cold start and warm round trip against a direct call.`,
    goals: [{ text: 'every trial finishes with no failed invocation', met: trials.every((t) => t.failures === 0), measured: `${trials.reduce((n, t) => n + t.failures, 0)} failed invocations` }],
    figures,
    table: [['trial', 'mode', 'wall s', 'peak RSS MiB', 'failed invocations'], ...trials.map((t, i) => [String(i + 1), t.mode, String(round(t.wallMs / 1000, 1)), String(t.peakRssMiB), String(t.failures)])],
    notes: [
      'Cold starts dominate the difference on a small run: each stage starts up to its concurrency in workers (publish 8, translate 4), each loading its handler with the AWS SDK, on 2 cores. The stack gives the workers a plain-JavaScript build of the handlers (infra/local/isolation/bundle.ts, made once and reused while its inputs are unchanged), so a cold start compiles no TypeScript. Warm workers cost a message round trip per batch.',
      'The in-process mode is what the stack did before; it cannot stop a stuck handler, and a heavy one blocks the emulators, the site and every other stage.',
      ...trials.flatMap((t, i) => t.failed.map((line) => `Trial ${i + 1} (${t.mode}) failed invocation: ${line}`)),
    ],
  };
};

const trialIndex = process.argv.indexOf('--trial');
if (trialIndex >= 0 && process.argv[1] === benchFile) {
  const [mode, releases, resultFile] = process.argv.slice(trialIndex + 1) as [Mode, string, string];
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  writeFileSync(resultFile, JSON.stringify(await trial(mode, Number(releases))));
  process.exit(0);
}
