/**
 * Time to publish: one release, uploaded into `incoming/` of the local stack, until every
 * language is published — with an engine that answers after a fixed latency, against the same run
 * with an instant engine (local I/O) and against translating every language's requests one after
 * another.
 */
import { DEFAULT_TARGET_LANGUAGES } from '../functions/core/languages';
import { parseRelease } from '../functions/core/parse/index';
import { paths } from '../functions/core/render/paths';
import { EMPTY_GLOSSARY, InMemoryTranslationMemory, translateVariant } from '../functions/core/translation/index';
import { DEFAULT_PRICES } from '../functions/adapters/engines/registry';
import type { TranslationEngine, TranslationMemory } from '../functions/ports';
import { generateCorpus, type CorpusDocument } from './corpus';
import { LatencyEngine } from './engines';
import { median, round, timed, type Benchmark, type Figure, type Goal } from './harness';
import { describeFailures, missingOutputs, publishThroughStack, stageRows, startBenchStack, watchFailures } from './pipeline';

const LATENCY_MS = Number(process.env.BENCH_ENGINE_LATENCY_MS ?? 200);

/** The engine and memory the translate handler uses for the next run; swapped between runs. */
const current: { engine: TranslationEngine; memory: TranslationMemory } = {
  engine: new LatencyEngine(0),
  memory: new InMemoryTranslationMemory(),
};

/**
 * The real translate stage (built by the local stack's composition root) with the benchmark's
 * engine and a per-run memory, swapped between runs through `current`.
 */
const TRANSLATE_OVERRIDES = {
  engine: async () => current.engine,
  memory: { lookup: (keys: Parameters<TranslationMemory['lookup']>[0]) => current.memory.lookup(keys), store: (entries: Parameters<TranslationMemory['store']>[0]) => current.memory.store(entries) },
  prices: DEFAULT_PRICES,
};

/** The same text under a new file name: a new release id, identical requests. */
function renamed(document: CorpusDocument, suffix: string): CorpusDocument {
  const id = `${document.id}-${suffix}`;
  return { ...document, id, name: `${id}.txt` };
}

interface Case {
  label: string;
  document: CorpusDocument;
}

export const run: Benchmark = async ({ quick, log }) => {
  const languages = DEFAULT_TARGET_LANGUAGES;
  const targets = languages.filter((l) => l !== 'en');
  const typical = generateCorpus({ releases: 1, correctedShare: 0, seed: 21 })[0]!;
  const long = generateCorpus({ releases: 1, correctedShare: 0, seed: 22, paddingParagraphs: 260 })[0]!;
  // Quick mode: the typical release once, no warm-up (the first run then includes loading the handlers).
  const cases: Case[] = quick
    ? [{ label: 'typical', document: typical }]
    : [
        { label: 'typical', document: typical },
        { label: 'long', document: long },
      ];
  const samples = quick ? 1 : 3;

  // The stand-in engine returns the source text tagged with the language, which the translation QA
  // rightly holds for review (a held language is not published). The checks still run; here they
  // flag instead of hold, so the benchmark times publishing rather than a review queue.
  const stack = await startBenchStack({ engine: 'pseudo', languages, overrides: { translate: TRANSLATE_OVERRIDES }, environment: { QA_POLICY: 'errors=flag' } });
  const failures = watchFailures(stack);
  const goals: Goal[] = [];
  const figures: Figure[] = [];
  const table: string[][] = [
    ['Release', 'Characters', 'Requests per language', `Pipeline, ${LATENCY_MS} ms engine`, 'Pipeline, 0 ms engine (local I/O)', 'Sequential translation', 'Goal ≤ 3 RTT + I/O', 'Speed-up vs sequential'],
  ];
  const published: string[] = [];
  /** Per release: the speed-up a pipeline whose engine time were zero would reach (baseline ÷ local I/O). */
  const ceilings = new Map<string, number>();
  try {
    if (!quick) await publishThroughStack(stack, [renamed(typical, 'warm-up')]);
    for (const { label, document } of cases) {
      const once = async (latency: number, suffix: string) => {
        const engine = new LatencyEngine(latency);
        current.engine = engine;
        current.memory = new InMemoryTranslationMemory();
        const upload = renamed(document, suffix);
        published.push(upload.id);
        const watcher = watchFailures(stack);
        const { ms } = await timed(() => publishThroughStack(stack, [upload]));
        watcher.stop();
        const translate = watcher.outcome().stages.get('polywire-translate');
        // The translate stage alone: its invocations' mean duration, free of the other stages' noise.
        return { ms, engine, translateMs: translate ? translate.busyMs / translate.invocations : Number.NaN };
      };
      const localRuns: number[] = [];
      const engineRuns: number[] = [];
      const translateLocal: number[] = [];
      const translateEngine: number[] = [];
      let requests = 0;
      let peak = 0;
      for (let i = 0; i < samples; i++) {
        const local = await once(0, `${label}-io-${i}`);
        localRuns.push(local.ms);
        translateLocal.push(local.translateMs);
        const measured = await once(LATENCY_MS, `${label}-rtt-${i}`);
        engineRuns.push(measured.ms);
        translateEngine.push(measured.translateMs);
        requests = measured.engine.requests;
        peak = measured.engine.peakInFlight;
      }
      const localMs = median(localRuns);
      const engineMs = median(engineRuns);

      // The baseline: the same release, every language and every request one after another.
      const release = await parseRelease({ name: document.name, bytes: new TextEncoder().encode(document.text) });
      const sequentialEngine = new LatencyEngine(LATENCY_MS);
      const memory = new InMemoryTranslationMemory();
      const sequential = await timed(async () => {
        for (const target of targets) {
          await translateVariant(release, target, { engine: sequentialEngine, memory, glossary: EMPTY_GLOSSARY, prices: DEFAULT_PRICES, concurrency: 1 });
        }
      });
      const baselineMs = sequential.ms + localMs;
      const budgetMs = 3 * LATENCY_MS + localMs;
      const speedUp = baselineMs / engineMs;
      ceilings.set(label, baselineMs / localMs);
      log(`${label}: ${round(engineMs)} ms with the engine, ${round(localMs)} ms local I/O, ${round(sequential.ms)} ms sequential`);

      goals.push({ text: `${label} release: ≤ 3 × ${LATENCY_MS} ms + local I/O`, met: engineMs <= budgetMs, measured: `${round(engineMs)} ms (budget ${round(budgetMs)} ms)` });
      goals.push({ text: `${label} release: ≥ 10 × faster than sequential`, met: speedUp >= 10, measured: `${round(speedUp, 1)} ×` });
      table.push([
        label,
        document.text.length.toLocaleString('en-US'),
        `${round(sequentialEngine.requests / targets.length, 1)} (${requests} in the pipeline run, at most ${peak} at once)`,
        `${round(engineMs)} ms`,
        `${round(localMs)} ms`,
        `${round(sequential.ms)} ms (+ I/O = ${round(baselineMs)} ms)`,
        `${round(budgetMs)} ms`,
        `${round(speedUp, 1)} ×`,
      ]);
      figures.push({ name: `${label}: end-to-end time the engine adds, in round trips`, value: round((engineMs - localMs) / LATENCY_MS, 2), unit: 'RTT' });
      figures.push({
        name: `${label}: time the engine adds to one translate invocation (up to 5 languages), in round trips`,
        value: round((median(translateEngine) - median(translateLocal)) / LATENCY_MS, 2),
        unit: 'RTT',
        display: `${round((median(translateEngine) - median(translateLocal)) / LATENCY_MS, 2)} RTT (${round(median(translateEngine))} ms vs ${round(median(translateLocal))} ms)`,
      });
    }
    const missing = await missingOutputs(
      stack,
      published.flatMap((id) => languages.map((lang) => paths.page(lang, id))),
    );
    const outcome = failures.outcome();
    const problem = describeFailures(outcome, missing);
    const stages = stageRows(outcome);
    const notes = [
      `Through the local stack (\`infra/local\`: s3rver, dynalite, the local SQS service and the queue runner with the cloud's batch sizes), the real ingest and publish handlers, and the real translate handler (\`makeHandler\` with the real S3/DynamoDB/SQS adapters) whose engine is a stub that answers after ${LATENCY_MS} ms with Amazon Translate's 10,000-byte request limit. A fresh in-memory translation memory per run, so each run pays for every segment. ${languages.length} languages (English original + ${targets.length} translations). Timed from upload to the pipeline going idle; median of ${samples} run(s) each, the 0 ms and ${LATENCY_MS} ms runs alternating in the same process.`,
      `Sequential baseline: \`translateVariant\` for the ${targets.length} languages one after another with concurrency 1 and the same stub, plus the same local I/O.`,
      'End-to-end differences of a few hundred milliseconds are within the noise of a loaded machine (the 0 ms run can even come out slower); the translate-invocation figure isolates what the engine adds.',
      'The typical release fits one request per language, so its speed-up can never exceed the number of languages (14) and falls as local I/O grows; the long release (several requests per language) shows what parallel requests buy.',
    ];
    notes.push(
      `Where the time goes (all runs of this benchmark): ${stages
        .slice(1)
        .map((r) => `${r[0]} ${r[3]} per invocation (${r[2]} records in ${r[1]} invocations)`)
        .join('; ')}.`,
    );
    if (problem) notes.push(`Not every language was published: ${problem}.`);
    for (const goal of goals) {
      if (goal.met === false && goal.text.includes('3 ×'))
        notes.push(
          `${goal.text} missed: requests are not all in flight at once. The translate stage takes up to 5 languages per batch and the local runner runs 4 batches at once; each language translates with 4 requests in parallel. Processing a batch's records in parallel and raising the per-language request concurrency (within the engine's rate limit) would close it.`,
        );
      if (goal.met === false && goal.text.includes('10 ×'))
        notes.push(
          `${goal.text} missed: the pipeline's fixed local I/O (S3 and DynamoDB on the emulators, rendering ${languages.length} languages' pages and feeds) outweighs the engine time that parallelism saves for a release this size. The baseline adds the same local I/O to the sequential translation, so even a pipeline whose engine time were zero would reach only ${round(ceilings.get(goal.text.split(' ')[0]!) ?? Number.NaN, 1)} × here; the goal needs the local I/O below a tenth of the sequential translation time.`,
        );
    }
    return {
      id: 'publish-time',
      title: 'Time to publish',
      method: `One release published in ${languages.length} languages end to end through the local stack, engine round trip ${LATENCY_MS} ms.`,
      goals: problem ? goals.map((g) => ({ ...g, met: false })) : goals,
      figures,
      table,
      notes,
    };
  } finally {
    failures.stop();
    await stack.close(1000);
  }
};
