/**
 * `npm run bench [-- --quick] [-- --only cost,cold-start]`: runs the benchmarks one after another
 * in this process (children where a fresh process is the point) and writes the report.
 *
 * A full run writes `bench/REPORT.md` and `bench/report.json`; a quick or partial run writes
 * `bench/.work/REPORT.quick.md` / `report.quick.json` so that it never replaces the committed
 * full report (pass `--write` to force the committed paths).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { currentLoad, describeMachine, type Benchmark, type BenchmarkResult, type BenchRun } from './harness';
import { renderJson, renderReport, summaryRows } from './report';

/**
 * `isolated`: runs in a child process of its own. The handlers build their SDK clients at module
 * scope from the environment of the local stack that loaded them first, so every benchmark that
 * starts a stack needs a fresh module cache; a fresh process also keeps one benchmark's memory
 * out of the next one's figures.
 */
const BENCHMARKS: { id: string; title: string; isolated: boolean; load: () => Promise<{ run: Benchmark }> }[] = [
  { id: 'cost', title: 'Translation cost', isolated: false, load: () => import('./cost') },
  { id: 'qa', title: 'Translation QA', isolated: false, load: () => import('./qa') },
  { id: 'publish-time', title: 'Time to publish', isolated: true, load: () => import('./publish-time') },
  { id: 'archive-scale', title: 'Archive scale', isolated: true, load: () => import('./archive-scale') },
  { id: 'lift', title: 'Lift lag', isolated: true, load: () => import('./lift') },
  { id: 'feed-archive', title: 'Feed archive append', isolated: false, load: () => import('./feed-archive') },
  { id: 'cold-start', title: 'Cold start proxy', isolated: false, load: () => import('./cold-start') },
  { id: 'requests', title: 'Requests per release', isolated: true, load: () => import('./requests') },
  { id: 'throughput', title: 'Throughput', isolated: true, load: () => import('./throughput') },
  { id: 'memory', title: 'Memory', isolated: true, load: () => import('./memory') },
  { id: 'scaling', title: 'Scaling with release size and shape', isolated: false, load: () => import('./scaling') },
  { id: 'cli', title: 'CLI start-up', isolated: true, load: () => import('./cli') },
  // Not isolated itself: it starts a child process per trial.
  { id: 'isolation', title: 'Isolation overhead in the local stack', isolated: false, load: () => import('./isolation') },
];

const benchDir = dirname(fileURLToPath(import.meta.url));

/** Runs one benchmark in a child process (`--child <id> <result file>`) and reads its result. */
function runIsolated(id: string, quick: boolean, workDir: string): Promise<Omit<BenchmarkResult, 'durationMs'>> {
  const resultFile = join(workDir, `${id}.result.json`);
  rmSync(resultFile, { force: true });
  const runner = join(benchDir, '..', 'bin', 'run-ts.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, fileURLToPath(import.meta.url), '--child', id, resultFile, ...(quick ? ['--quick'] : [])], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as Omit<BenchmarkResult, 'durationMs'>);
      } catch {
        reject(new Error(`the ${id} benchmark process exited with ${code} without a result`));
      }
    });
  });
}

async function runInProcess(benchmark: (typeof BENCHMARKS)[number], quick: boolean, workDir: string): Promise<Omit<BenchmarkResult, 'durationMs'>> {
  const log = (message: string) => console.log(`  [${benchmark.id}] ${message}`);
  try {
    const module = await benchmark.load();
    return await module.run({ quick, workDir, log });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    if (process.env.BENCH_DEBUG && error instanceof Error) console.error(error.stack);
    return { id: benchmark.id, title: benchmark.title, method: '', goals: [], figures: [], notes: [], skipped: `failed: ${message}` };
  }
}

function parseArgs(argv: string[]): { quick: boolean; only?: Set<string>; write: boolean } {
  const quick = argv.includes('--quick');
  const write = argv.includes('--write');
  const onlyIndex = argv.findIndex((a) => a === '--only' || a.startsWith('--only='));
  let only: Set<string> | undefined;
  if (onlyIndex >= 0) {
    const arg = argv[onlyIndex]!;
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[onlyIndex + 1];
    only = new Set((value ?? '').split(',').filter(Boolean));
    const unknown = [...only].filter((id) => !BENCHMARKS.some((b) => b.id === id));
    if (unknown.length > 0) {
      throw new Error(`unknown benchmark ${unknown.join(', ')}: choose from ${BENCHMARKS.map((b) => b.id).join(', ')}`);
    }
  }
  return { quick, write, ...(only ? { only } : {}) };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const workDir = join(benchDir, '.work');
  mkdirSync(workDir, { recursive: true });
  const childIndex = argv.indexOf('--child');
  if (childIndex >= 0) {
    const benchmark = BENCHMARKS.find((b) => b.id === argv[childIndex + 1]);
    if (!benchmark) throw new Error(`unknown benchmark ${argv[childIndex + 1]}`);
    writeFileSync(argv[childIndex + 2]!, JSON.stringify(await runInProcess(benchmark, argv.includes('--quick'), workDir)));
    return;
  }
  const args = parseArgs(argv);
  const machine = describeMachine();
  const started = performance.now();
  const date = new Date().toISOString();
  const results: BenchmarkResult[] = [];
  console.log(`polywire benchmarks${args.quick ? ' (quick)' : ''}: ${machine.cores} × ${machine.cpuModel}, Node.js ${machine.node}, load ${machine.loadAverageStart}`);

  const runOne = async (benchmark: (typeof BENCHMARKS)[number]): Promise<BenchmarkResult> => {
    const log = (message: string) => console.log(`  [${benchmark.id}] ${message}`);
    log('running…');
    const start = performance.now();
    const result = benchmark.isolated
      ? await runIsolated(benchmark.id, args.quick, workDir).catch((error: Error) => ({ id: benchmark.id, title: benchmark.title, method: '', goals: [], figures: [], notes: [], skipped: `failed: ${error.message}` }))
      : await runInProcess(benchmark, args.quick, workDir);
    const durationMs = performance.now() - start;
    log(`${result.skipped ? `not run (${result.skipped})` : 'done'} in ${(durationMs / 1000).toFixed(1)} s`);
    return { ...result, durationMs };
  };
  const selected = BENCHMARKS.filter((b) => !args.only || args.only.has(b.id));
  // One after another, in quick mode too: benchmarks run side by side on a 2-core machine would
  // measure each other, and a goal judged on such a run says nothing.
  for (const benchmark of selected) results.push(await runOne(benchmark));

  const run: BenchRun = {
    date,
    quick: args.quick,
    machine: { ...machine, loadAverageEnd: currentLoad() },
    durationMs: performance.now() - started,
    results,
  };
  const committed = args.write || (!args.quick && !args.only);
  const [mdPath, jsonPath] = committed ? [join(benchDir, 'REPORT.md'), join(benchDir, 'report.json')] : [join(workDir, 'REPORT.quick.md'), join(workDir, 'report.quick.json')];
  writeFileSync(mdPath, renderReport(run));
  writeFileSync(jsonPath, renderJson(run));

  console.log('');
  for (const [title, goal, measured, mark] of summaryRows(run)) console.log(`${mark}  ${title}: ${goal} — ${measured}`);
  console.log(`\nwrote ${mdPath} and ${jsonPath} (${(run.durationMs / 1000).toFixed(1)} s)`);
}

main().then(
  // Emulators and SDK sockets may keep handles open; the report is written, so leave.
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
