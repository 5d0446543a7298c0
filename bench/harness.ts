/**
 * The shared harness of the benchmarks: a timer, medians, the machine description and the shape
 * every benchmark returns. Benchmarks report ratios measured in the same run, because absolute
 * times on a shared 2-core machine say more about the neighbours than about polywire.
 */
import { cpus, freemem, loadavg, totalmem, type as osType, release as osRelease, arch } from 'node:os';
import { performance } from 'node:perf_hooks';

/** One figure of a benchmark, with its unit, as it appears in the report. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Rendered as is in the report when set (e.g. `1 : 4.2`). */
  display?: string;
}

/** A goal and whether this run met it. `met` is null when the benchmark could not run. */
export interface Goal {
  text: string;
  met: boolean | null;
  /** The measured value the goal is judged on, rendered. */
  measured: string;
}

export interface BenchmarkResult {
  id: string;
  title: string;
  /** What is measured and how, in one or two sentences. */
  method: string;
  goals: Goal[];
  figures: Figure[];
  /** Optional table (e.g. per-handler rows); the first row is the header. */
  table?: string[][];
  /** Explanations: why a goal is missed and what would close it, caveats, what was substituted. */
  notes: string[];
  /** Set when the benchmark could not run at all (a missing module, a failed stack). */
  skipped?: string;
  durationMs: number;
}

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  freeMemoryGiB: number;
  os: string;
  node: string;
  /** 1-minute load average at start and end of the run: other processes competing for the cores. */
  loadAverageStart: number;
  loadAverageEnd?: number;
}

export interface BenchRun {
  date: string;
  quick: boolean;
  machine: MachineDescription;
  durationMs: number;
  results: BenchmarkResult[];
}

export interface BenchContext {
  quick: boolean;
  /** Scratch folder (gitignored). */
  workDir: string;
  log(message: string): void;
}

export type Benchmark = (context: BenchContext) => Promise<Omit<BenchmarkResult, 'durationMs'>>;

/** Describes this machine from `node:os`, for the report header. */
export function describeMachine(): MachineDescription {
  const cpu = cpus();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    freeMemoryGiB: round(freemem() / 2 ** 30, 1),
    os: `${osType()} ${osRelease()} ${arch()}`,
    node: process.version,
    loadAverageStart: round(loadavg()[0] ?? 0, 2),
  };
}

export function currentLoad(): number {
  return round(loadavg()[0] ?? 0, 2);
}

/** Milliseconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** Median of a non-empty list (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `fn` `count` times one after another and returns the median time in ms. */
export async function medianOf(count: number, fn: () => Promise<unknown>): Promise<{ medianMs: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) samples.push((await timed(fn)).ms);
  return { medianMs: median(samples), samples };
}

/**
 * Samples the resident set size every `intervalMs` until stopped; returns the peak in bytes.
 * `maxRSS` of `process.resourceUsage()` would be the process's lifetime peak, which a benchmark
 * that runs after another one cannot use.
 */
export function sampleRss(intervalMs = 25): { stop(): number } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage.rss());
    },
  };
}

export function round(value: number, digits = 0): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function mib(bytes: number): number {
  return round(bytes / 2 ** 20, 1);
}

/** Formats an integer with thousands separators (`12,345`). */
export function formatInteger(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A result for a benchmark that could not run: the report says why instead of a figure. */
export function skippedResult(id: string, title: string, method: string, goals: string[], reason: string): Omit<BenchmarkResult, 'durationMs'> {
  return {
    id,
    title,
    method,
    goals: goals.map((text) => ({ text, met: null, measured: 'not measured' })),
    figures: [],
    notes: [],
    skipped: reason,
  };
}

/** Imports a module another part of the project provides; undefined (with the reason) when it is not there yet. */
export async function optionalImport<T>(specifier: string): Promise<{ module?: T; error?: string }> {
  try {
    return { module: (await import(specifier)) as T };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}
