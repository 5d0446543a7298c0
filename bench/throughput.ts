/**
 * Throughput: many releases through the whole local pipeline (ingest → translate → publish) with
 * the offline pseudo engine, so that the figure is polywire's own work and the emulators', never
 * an engine's latency. Variants per second and the process's peak resident memory.
 */
import { performance } from 'node:perf_hooks';
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { paths } from '../functions/core/render/paths';
import { generateCorpus } from './corpus';
import { mib, round, sampleRss, timed, type Benchmark } from './harness';
import { describeFailures, missingOutputs, publishThroughStack, stageRows, startBenchStack, watchFailures } from './pipeline';

const GOAL_VARIANTS_PER_SECOND = 100;
/** Releases uploaded at once; the next wave starts when the pipeline is idle again. */
const WAVE = 10;

export const run: Benchmark = async ({ quick, log }) => {
  const planned = quick ? 2 : 1000;
  // A slow pipeline must not hold the whole benchmark run hostage: stop after the wave that
  // crosses the budget and report the rate over what was done.
  const budgetMs = Number(process.env.BENCH_THROUGHPUT_BUDGET_S ?? (quick ? 15 : 240)) * 1000;
  const languages = DEFAULT_TARGET_LANGUAGES;
  const corpus = generateCorpus({ releases: planned, correctedShare: 0, seed: 7 });
  const warmUp = generateCorpus({ releases: quick ? 1 : 2, correctedShare: 0, seed: 8 }).map((d) => ({ ...d, name: `warm-up-${d.name}` }));

  const stack = await startBenchStack({ engine: 'pseudo', languages });
  try {
    // Handlers load their modules and SDK clients on first use: keep that out of the rate
    // (quick mode skips it: a smoke test).
    if (!quick) await publishThroughStack(stack, warmUp);
    log(`publishing up to ${planned} releases in ${languages.length} languages (budget ${budgetMs / 1000} s)`);
    const failures = watchFailures(stack);
    const rss = sampleRss();
    let done = 0;
    const { ms } = await timed(async () => {
      const started = performance.now();
      while (done < corpus.length && performance.now() - started < budgetMs) {
        const wave = corpus.slice(done, done + WAVE);
        await publishThroughStack(stack, wave);
        done += wave.length;
      }
    });
    const peakRss = rss.stop();
    failures.stop();
    const releases = done;
    const published = corpus.slice(0, done);

    const sample = published.filter((_, i) => i % Math.max(1, Math.floor(releases / 5)) === 0);
    const missing = await missingOutputs(stack, sample.flatMap((d) => languages.map((lang) => paths.page(lang, d.id))));
    const outcome = failures.outcome();
    const problem = describeFailures(outcome, missing);
    const variants = releases * languages.length;
    const perSecond = variants / (ms / 1000);
    const notes = [
      ...(done < planned ? [`Stopped after ${done} of ${planned} planned releases: the ${budgetMs / 1000} s budget ran out (set BENCH_THROUGHPUT_BUDGET_S to change it). The rate is over the releases done.`] : []),
      `${releases} generated releases uploaded into \`incoming/\` of the local stack (s3rver, dynalite, local SQS, the queue runner invoking the real ingest, translate and publish handlers in this process) with the pseudo engine; ${languages.length} languages each (the English original counts as one variant; 14 are translated). Uploaded in waves of ${WAVE}; timed from the first upload to the pipeline going idle after the last wave${quick ? '. Quick mode: no warm-up, so handler loading is included.' : ', after a warm-up release.'}`,
      `Peak memory is the resident set of this one process, which holds the emulators, the queue service and every handler at once; in the cloud each Lambda has its own (see Memory).`,
      `Outputs checked: the article page of ${sample.length} releases in every language.`,
    ];
    if (problem) notes.push(`Not every release went through: ${problem}.`);
    if (perSecond < GOAL_VARIANTS_PER_SECOND) {
      notes.push(
        'Below the goal; the table shows where the handlers spend their time (publish dominates: every language message renders and writes the page, ninjs, the language and category feeds in three formats and their index pages, each write preceded by a HEAD to skip unchanged files). On 2 cores the emulators (s3rver writes every object to disk, dynalite runs LevelDB in memory) share the CPU with the handlers; the cloud runs each stage in its own Lambdas. What would close it locally: raise the translate and publish concurrency of the local runner, batch DynamoDB writes in the publish stage, and render each language\'s feeds once per batch instead of once per release.',
      );
    }
    return {
      id: 'throughput',
      title: 'Throughput',
      method: `${releases} releases × ${languages.length} languages through the local stack with the pseudo engine.`,
      goals: [
        { text: `≥ ${GOAL_VARIANTS_PER_SECOND} variants/s on ${(await import('node:os')).cpus().length} cores`, met: !problem && perSecond >= GOAL_VARIANTS_PER_SECOND, measured: `${round(perSecond, 1)} variants/s` },
      ],
      figures: [
        { name: 'Variants published', value: variants, unit: '' },
        { name: 'Elapsed', value: round(ms / 1000, 1), unit: 's' },
        { name: 'Variants per second', value: round(perSecond, 1), unit: '/s' },
        { name: 'Releases per minute', value: round((releases / ms) * 60_000), unit: '/min' },
        { name: 'Peak RSS (whole local stack in one process)', value: mib(peakRss), unit: 'MiB' },
      ],
      table: stageRows(outcome),
      notes,
    };
  } finally {
    await stack.close(1000);
  }
};
