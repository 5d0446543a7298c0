/**
 * Throughput at steady state: a continuous stream of releases through the whole local pipeline
 * (ingest → translate → publish) with the offline pseudo engine, so that the figure is polywire's
 * own work and the emulators', never an engine's latency. The stream keeps a constant backlog of
 * releases in the pipeline; after a warm-up, published variants are counted over a fixed window,
 * in slices whose spread is the run's noise. One process holds the emulators, the local SQS
 * service, the queue runner and every handler: this is the rate of this machine's local stack,
 * not of the cloud. A CPU profile of the window, summarized by component, says where it goes.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { performance } from 'node:perf_hooks';
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { paths } from '../functions/core/render/paths';
import { QUEUE_NAMES } from '../infra/local/stack';
import type { InvocationResult } from '../infra/local/runner';
import { generateCorpus } from './corpus';
import { startCpuProfile } from './cpu-profile';
import { median, mib, round, sampleRss, type Benchmark } from './harness';
import { describeFailures, missingOutputs, publishThroughStack, stageRows, startBenchStack, watchFailures } from './pipeline';

const GOAL_VARIANTS_PER_SECOND = 100;
/** Releases kept in the pipeline (uploaded, not yet fully published): enough that no stage idles. */
const BACKLOG = 8;

export const run: Benchmark = async ({ quick, log }) => {
  const languages = DEFAULT_TARGET_LANGUAGES;
  const warmUpS = Number(process.env.BENCH_THROUGHPUT_WARMUP_S ?? (quick ? 10 : 30));
  const windowS = Number(process.env.BENCH_THROUGHPUT_WINDOW_S ?? (quick ? 20 : 120));
  const sliceS = quick ? 5 : 10;
  const corpus = generateCorpus({ releases: 2000, correctedShare: 0, seed: 7 });
  const warmUp = generateCorpus({ releases: 1, correctedShare: 0, seed: 8 }).map((d) => ({ ...d, name: `warm-up-${d.name}` }));

  const stack = await startBenchStack({ engine: 'pseudo', languages });
  try {
    // Handlers load their modules and SDK clients on first use.
    await publishThroughStack(stack, warmUp);
    const failures = watchFailures(stack);
    // Published variants by time: each publish record of kind `variant` that did not fail.
    const publishedAt: number[] = [];
    const onResult = (result: InvocationResult) => {
      if (result.queue !== QUEUE_NAMES.publish || result.error) return;
      const failed = new Set(result.failedMessageIds);
      const now = performance.now();
      for (const record of result.records) {
        if (failed.has(record.messageId)) continue;
        if ((JSON.parse(record.body) as { kind?: string }).kind === 'variant') publishedAt.push(now);
      }
    };
    stack.runner.on('result', onResult);

    // The stream: upload the next release whenever fewer than BACKLOG are unfinished.
    let uploaded = 0;
    let stopping = false;
    const producer = (async () => {
      while (!stopping && uploaded < corpus.length) {
        const unfinished = uploaded - Math.floor(publishedAt.length / languages.length);
        if (unfinished >= BACKLOG) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        const document = corpus[uploaded++]!;
        await stack.s3.send(new PutObjectCommand({ Bucket: stack.emulators.buckets.uploads, Key: `incoming/${document.name}`, Body: document.text, ContentType: 'text/plain; charset=utf-8' }));
      }
    })();

    // Warm-up: at least `warmUpS` and until BACKLOG releases are published, so that every stage
    // has been busy before the window opens (bounded: a stalled pipeline still gets measured).
    log(`stream of releases in ${languages.length} languages: warm-up (≥ ${warmUpS} s and ${BACKLOG} releases published), then ${windowS} s measured`);
    const warmUpStart = performance.now();
    while ((performance.now() - warmUpStart < warmUpS * 1000 || publishedAt.length < BACKLOG * languages.length) && performance.now() - warmUpStart < Math.max(warmUpS * 1000, 300_000)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const warmedUpS = (performance.now() - warmUpStart) / 1000;
    const rss = sampleRss();
    const profile = await startCpuProfile();
    const cpuStart = process.cpuUsage();
    const windowStart = performance.now();
    const countAtStart = publishedAt.length;
    await new Promise((resolve) => setTimeout(resolve, windowS * 1000));
    const windowEnd = performance.now();
    const cpu = process.cpuUsage(cpuStart);
    const components = await profile.stop();
    const peakRss = rss.stop();
    const inWindow = publishedAt.length - countAtStart;
    stopping = true;
    await producer;
    log(`window done (${inWindow} variants); draining the pipeline`);
    await stack.whenIdle();
    stack.runner.off('result', onResult);
    failures.stop();

    const seconds = (windowEnd - windowStart) / 1000;
    const perSecond = inWindow / seconds;
    const slices: number[] = [];
    for (let start = windowStart; start + sliceS * 1000 <= windowEnd + 1; start += sliceS * 1000) {
      slices.push(publishedAt.filter((t) => t >= start && t < start + sliceS * 1000).length / sliceS);
    }
    const spread = slices.length > 0 ? Math.max(...slices) - Math.min(...slices) : 0;
    const sample = corpus.slice(0, uploaded).filter((_, i) => i % Math.max(1, Math.floor(uploaded / 5)) === 0);
    const missing = await missingOutputs(
      stack,
      sample.flatMap((d) => languages.map((lang) => paths.page(lang, d.id))),
    );
    const outcome = failures.outcome();
    const problem = describeFailures(outcome, missing);
    const margin = Math.abs(perSecond - GOAL_VARIANTS_PER_SECOND);
    const withinNoise = margin <= spread / 2;
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const profiledMs = components.reduce((sum, c) => sum + c.ms, 0);

    const notes = [
      `Steady state: generated releases uploaded into \`incoming/\` as a continuous stream that keeps ${BACKLOG} releases unfinished in the pipeline, after a warm-up release and ${round(warmedUpS, 1)} s of stream (${BACKLOG} releases published); published variants counted over ${round(seconds, 1)} s (${slices.length} slices of ${sliceS} s: ${slices.map((s) => round(s, 1)).join(', ')} variants/s). ${uploaded} releases uploaded in all, drained at the end.`,
      `What this is: one Node.js process on this machine holding s3rver, dynalite, the local SQS service, the queue runner and the real ingest, translate and publish handlers (pseudo engine), with the local stage concurrency (infra/local/stack.ts). It is the local stack's rate, not a cloud figure: in the cloud each stage runs in its own Lambdas against S3, DynamoDB and SQS.`,
      `CPU profile of the window (V8 sampling profiler in this process, self time by component): ${components
        .slice(0, 10)
        .map((c) => `${c.component} ${round((c.ms / Math.max(1, profiledMs)) * 100)} %`)
        .join(', ')}. Process CPU time in the window: ${round(cpuMs / 1000, 1)} s over ${round(seconds, 1)} s wall (${round(cpuMs / 10 / seconds)} % of one core).`,
      `Peak memory is the resident set of this one process; in the cloud each Lambda has its own (see Memory).`,
      `Outputs checked: the article page of ${sample.length} releases in every language.`,
    ];
    if (withinNoise) notes.push(`The margin to the goal (${round(margin, 1)} variants/s) is within the run's noise (slice spread ${round(spread, 1)} variants/s): this run cannot say whether the goal is met.`);
    if (problem) notes.push(`Not every release went through: ${problem}.`);
    return {
      id: 'throughput',
      title: 'Throughput (steady state, local stack)',
      method: `A continuous stream of releases × ${languages.length} languages through the local stack in one process with the pseudo engine, counted over a fixed window after warm-up, with a CPU profile of the window.`,
      goals: [
        {
          text: `≥ ${GOAL_VARIANTS_PER_SECOND} variants/s on ${(await import('node:os')).cpus().length} cores (local stack, one process)`,
          met: problem || withinNoise ? null : perSecond >= GOAL_VARIANTS_PER_SECOND,
          measured: `${round(perSecond, 1)} variants/s (slices ${round(Math.min(...slices), 1)}–${round(Math.max(...slices), 1)})${withinNoise ? ', margin within noise' : ''}`,
        },
      ],
      figures: [
        { name: 'Variants published in the window', value: inWindow, unit: '' },
        { name: 'Window', value: round(seconds, 1), unit: 's' },
        { name: 'Variants per second (steady state)', value: round(perSecond, 1), unit: '/s' },
        { name: 'Median slice rate', value: round(slices.length ? median(slices) : 0, 1), unit: '/s' },
        { name: 'Slice spread (max − min)', value: round(spread, 1), unit: '/s' },
        { name: 'Releases per minute', value: round((perSecond / languages.length) * 60, 1), unit: '/min' },
        { name: 'Peak RSS (whole local stack in one process)', value: mib(peakRss), unit: 'MiB' },
      ],
      table: [
        ['CPU profile component (window)', 'Self time', 'Share'],
        ...components.map((c) => [c.component, `${round(c.ms / 1000, 1)} s`, `${round((c.ms / Math.max(1, profiledMs)) * 100, 1)} %`]),
        ...stageRows(outcome).map((row) => row.slice(0, 3)),
      ],
      notes,
    };
  } finally {
    await stack.close(1000);
  }
};
