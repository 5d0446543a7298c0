/**
 * The handlers as plain JavaScript for the worker threads: one esbuild build of the five Lambda
 * entry points and the worker itself, made once and reused by every later stack start while its
 * inputs are unchanged. Without it each worker's cold start registers tsx, compiles the handler's
 * TypeScript and resolves hundreds of AWS SDK modules one file at a time (measured by
 * `npm run bench -- --only isolation`, docs/local.md).
 *
 * The build uses the deployed functions' esbuild options (infra/constructs/function-bundle.ts:
 * ESM, code splitting, the SDK bundled, sharp external) with three local changes: all entries in
 * one build so they share chunks, this Node's version as the target, and no minifying, so a
 * handler's stack trace keeps its function names.
 *
 * The cache lives in node_modules/.cache (beside function-bundle.ts's native packages), one
 * folder per build named by a hash of everything it was built from: the esbuild version and
 * options and the content of every input file the build read (sources and packages). A start
 * hashes the inputs of the latest build; when they are unchanged it reuses that folder (tens of
 * milliseconds), otherwise it builds again. A build is written to a temporary folder and renamed
 * into place, so stacks starting at the same time (tests) never see half a build. Bundled code
 * still resolves `sharp` from the repository's node_modules, which is an ancestor of the cache.
 */
import type { BuildOptions } from 'esbuild';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Where builds are kept unless told otherwise. */
export const DEFAULT_WORKER_BUNDLE_CACHE = join(ROOT, 'node_modules', '.cache', 'polywire-local-workers');

/** The worker thread's own code (it imports a bundled handler). */
const WORKER_SOURCE = 'infra/local/isolation/worker.ts';

/** Builds older than this, beyond the newest few, are removed when a new build is made. */
const KEEP_BUILDS = 4;
const PRUNE_AFTER_MS = 24 * 3600_000;

export interface WorkerBundle {
  /** file: URL of the bundled worker entry (give it to `HandlerWorkerPool` as `entry`). */
  workerEntry: URL;
  /** file: URL of each bundled handler module, by the name it was given. */
  handlers: Record<string, string>;
  /** The cache folder of this build. */
  dir: string;
  /** Whether this start built it (false: reused an earlier build). */
  built: boolean;
  durationMs: number;
}

interface Manifest {
  key: string;
  /** Input files the build read, relative to the repository root. */
  inputs: string[];
}

/**
 * Returns a build of `entries` (name → source path relative to the repository root) plus the
 * worker, reusing the latest one in `cacheDir` when none of its inputs changed.
 */
export async function prepareWorkerBundle(entries: Record<string, string>, cacheDir = DEFAULT_WORKER_BUNDLE_CACHE): Promise<WorkerBundle> {
  const started = Date.now();
  const names = Object.keys(entries).sort();
  if (names.includes('worker')) throw new Error('"worker" is the worker entry\'s own name');
  // Loaded here, not at module scope: commands that only import the stack's names (`polywire dlq`,
  // from the prebuilt CLI) must not need esbuild, a development dependency.
  const [{ build, version: esbuildVersion }, { esbuildOptions }] = await Promise.all([import('esbuild'), import('../../constructs/function-bundle')]);
  const buildOptions = (outdir: string): BuildOptions & { metafile: true } => ({
    ...esbuildOptions(WORKER_SOURCE, outdir, { sourceMap: false }),
    entryPoints: Object.fromEntries([['worker', resolve(ROOT, WORKER_SOURCE)], ...Object.entries(entries).map(([name, source]) => [name, resolve(ROOT, source)])]),
    target: `node${process.versions.node}`,
    minify: false,
  });
  const options = buildOptions('<outdir>');
  // What the output depends on besides its input files.
  const settings = JSON.stringify({ esbuildVersion, options, names });
  const result = (dir: string, built: boolean): WorkerBundle => ({
    workerEntry: pathToFileURL(join(dir, 'worker.mjs')),
    handlers: Object.fromEntries(names.map((name) => [name, pathToFileURL(join(dir, `${name}.mjs`)).href])),
    dir,
    built,
    durationMs: Date.now() - started,
  });

  // One "latest" per set of entries and options: stacks isolating different stages do not replace each other's.
  const latestFile = join(cacheDir, `latest-${createHash('sha256').update(settings).digest('hex').slice(0, 16)}.json`);
  const latest = readManifest(latestFile);
  if (latest) {
    const key = keyOf(settings, latest.inputs);
    if (key !== undefined && existsSync(join(cacheDir, key, 'manifest.json'))) return result(join(cacheDir, key), false);
  }

  mkdirSync(cacheDir, { recursive: true });
  const scratch = join(cacheDir, `.build-${process.pid}-${randomUUID()}`);
  try {
    const output = await build(buildOptions(scratch));
    const inputs = Object.keys(output.metafile.inputs).sort();
    const key = keyOf(settings, inputs);
    if (key === undefined) throw new Error('an input of the worker bundle vanished during the build');
    const manifest: Manifest = { key, inputs };
    writeFileSync(join(scratch, 'manifest.json'), `${JSON.stringify(manifest)}\n`);
    const dir = join(cacheDir, key);
    try {
      renameSync(scratch, dir);
    } catch (error) {
      // Another stack made the same build meanwhile: the same inputs give the same output.
      if (!existsSync(join(dir, 'manifest.json'))) throw error;
    }
    writeAtomically(latestFile, `${JSON.stringify(manifest)}\n`);
    prune(cacheDir, key);
    return result(dir, true);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The hash of the settings and of every input's content; undefined when an input is gone. */
function keyOf(settings: string, inputs: readonly string[]): string | undefined {
  const hash = createHash('sha256').update(settings);
  for (const input of inputs) {
    let content: Buffer;
    try {
      content = readFileSync(resolve(ROOT, input));
    } catch {
      return undefined;
    }
    hash.update(`\0${input}\0`).update(createHash('sha256').update(content).digest());
  }
  return hash.digest('hex').slice(0, 24);
}

function readManifest(file: string): Manifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(file, 'utf8')) as Manifest;
    return typeof manifest.key === 'string' && Array.isArray(manifest.inputs) ? manifest : undefined;
  } catch {
    return undefined;
  }
}

function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}-${randomUUID()}`;
  writeFileSync(temporary, content);
  renameSync(temporary, file);
}

/**
 * Removes old builds: beyond the newest few, and only those untouched for a day, since a stack
 * still running an older build spawns its workers from it.
 */
function prune(cacheDir: string, keep: string): void {
  const builds = readdirSync(cacheDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name !== keep && !entry.name.startsWith('.'))
    .map((entry) => ({ dir: join(cacheDir, entry.name), mtimeMs: statSync(join(cacheDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const old of builds.slice(KEEP_BUILDS - 1)) {
    if (Date.now() - old.mtimeMs > PRUNE_AFTER_MS) rmSync(old.dir, { recursive: true, force: true });
  }
}
