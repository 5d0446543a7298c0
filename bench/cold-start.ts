/**
 * Cold start proxy: bundles every Lambda handler the way the CDK function construct does
 * (`infra/constructs/polywire-function.ts`: ESM, minified, tree-shaken, platform node, target
 * node22, createRequire banner, AWS SDK bundled, linked source map) and measures bundle size and
 * the time a fresh Node.js process needs to import it in the deployed configuration (source maps
 * on, tracing as the template leaves it), against a reference: a bundle, built the same way, that
 * only creates the AWS SDK clients the handler's bundle contains — the floor no handler code can
 * go below. The goal is a ratio measured in the same interleaved rounds.
 */
import type { Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { median, round, type Benchmark, type Figure, type Goal } from './harness';
import { lambdaNodeBinary, LAMBDA_NODE_VERSION } from '../test/support/node-runtime';
import { bundleFunction, ENABLE_SOURCE_MAPS_BY_DEFAULT, hostPlatform, nodeOptions, TRACING_BY_DEFAULT, type FunctionBundle, type NativePlatform } from '../infra/constructs/function-bundle';

/** Goals: within 1 MiB, and an import at most 1.5 × the SDK-only reference's. */
const MAX_BUNDLE_BYTES = 1024 * 1024;
const MAX_IMPORT_RATIO = 1.5;

/** The Lambda entry points: one folder per function (`functions/<name>/handler.ts`). */
const HANDLERS = ['ingest', 'translate', 'publish', 'deliver'] as const;

/**
 * Configuration a handler reads at module scope (it fails fast without). Values only need to be
 * well-formed: the import creates clients but sends nothing.
 */
export const HANDLER_ENVIRONMENT: Readonly<Record<string, string>> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  TABLE_NAME: 'polywire',
  UPLOADS_BUCKET: 'polywire-uploads',
  DISTRIBUTION_BUCKET: 'polywire-distribution',
  TRANSLATE_QUEUE_URL: 'http://127.0.0.1:9/000000000000/polywire-translate',
  PUBLISH_QUEUE_URL: 'http://127.0.0.1:9/000000000000/polywire-publish.fifo',
  WEBHOOK_QUEUE_URL: 'http://127.0.0.1:9/000000000000/polywire-webhook',
  INGEST_QUEUE_URL: 'http://127.0.0.1:9/000000000000/polywire-ingest',
  PUBLIC_BASE_URL: 'https://news.example.com',
  ENGINE: 'pseudo',
  TRANSLATION_ENGINE: 'pseudo',
  TARGET_LANGUAGES: 'en,ko,ja,ar,zh-Hans,zh-Hant,vi,th,id,ms,de,ru,fr,es,pt',
  POWERTOOLS_SERVICE_NAME: 'polywire',
  POWERTOOLS_METRICS_NAMESPACE: 'polywire',
  POWERTOOLS_DEV: 'false',
};

/** Bytes in the output by package (`@aws-sdk/client-s3`, `zod`) or project folder (`functions/core`). */
export function contributors(metafile: Metafile, top = 5, outputs: readonly string[] = Object.keys(metafile.outputs).slice(0, 1)): { name: string; bytes: number }[] {
  const byName = new Map<string, number>();
  for (const [path, input] of outputs.flatMap((file) => Object.entries(metafile.outputs[file]?.inputs ?? {}))) {
    const modules = path.lastIndexOf('node_modules/');
    let name: string;
    if (modules >= 0) {
      const parts = path.slice(modules + 'node_modules/'.length).split('/');
      name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    } else {
      name = path.split('/').slice(0, 2).join('/');
    }
    byName.set(name, (byName.get(name) ?? 0) + input.bytesInOutput);
  }
  return [...byName]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/**
 * Wall time of a fresh `node` that imports `file` (spawn to exit), and the import time it reports
 * itself. `nodeOptions` as the construct sets NODE_OPTIONS (`--enable-source-maps` or nothing).
 */
function importInFreshProcess(file: string, env: NodeJS.ProcessEnv, nodeOptions: readonly string[], after = ''): { wallMs: number; importMs: number; cpuMs: number; afterMs?: number; error?: string } {
  // CPU time of the import itself (all threads: compiling, GC): far less sensitive than wall time
  // to other processes competing for the cores.
  const script = `const t = performance.now(); const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const u = process.cpuUsage(c); process.stdout.write(String(performance.now() - t) + ' ' + String((u.user + u.system) / 1000));${after}`;
  const start = performance.now();
  const child = spawnSync(process.execPath, [...nodeOptions, '--input-type=module', '-e', script], { env, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (child.status !== 0) return { wallMs, importMs: Number.NaN, cpuMs: Number.NaN, error: (child.stderr || `exit ${child.status}`).trim().split('\n').slice(0, 3).join(' ') };
  const [first = '', after_] = child.stdout.split('\n');
  const [importMs, cpuMs] = first.split(' ').map(Number);
  const afterMs = after_ === undefined ? undefined : Number(after_);
  return { wallMs, importMs: importMs!, cpuMs: cpuMs!, ...(afterMs !== undefined ? { afterMs } : {}) };
}

/** valgrind, when installed: its cachegrind tool counts the instructions a process executes. */
export function hasValgrind(): boolean {
  return spawnSync('valgrind', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Instructions a fresh `node` executes to start, import `file` and exit, counted by cachegrind
 * (no cache simulation). The count does not depend on the other processes on the machine, so
 * unlike a time it decides a ratio on a loaded 2-core machine. What varies is V8's random seeds
 * (hash tables, the heap's layout: a few million instructions), which each round fixes with its
 * own `--random-seed` and `--hash-seed`, and the scheduling of V8's compiler and GC threads, which
 * still moves a count by a few million between runs: the spread over rounds shows both.
 * `--smc-check=all-non-file`: V8 writes and rewrites machine code
 * (regular expressions, baseline code), which valgrind must not run stale.
 */
export function instructionsInFreshProcess(file: string, env: NodeJS.ProcessEnv, nodeOptions: readonly string[], seed: number, node = process.execPath): { instructions: number; error?: string } {
  const child = spawnSync(
    'valgrind',
    [
      '--tool=cachegrind',
      '--cache-sim=no',
      '--cachegrind-out-file=/dev/null',
      '--smc-check=all-non-file',
      node,
      `--random-seed=${seed}`,
      `--hash-seed=${seed}`,
      ...nodeOptions,
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(pathToFileURL(file).href)});`,
    ],
    { env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  const counted = /I\s+refs:\s+([\d,]+)/.exec(child.stderr ?? '');
  if (child.status !== 0 || !counted) return { instructions: Number.NaN, error: (child.stderr || `exit ${child.status}`).trim().split('\n').slice(-3).join(' ') };
  return { instructions: Number(counted[1]!.replaceAll(',', '')) };
}

/**
 * A ratio goal judged on the ratios of paired samples (one per round, handler and reference
 * measured one after the other): the median decides, unless the goal lies within the spread of
 * the rounds (lowest to highest), which is this run's noise; then it is not decided (`met: null`),
 * never met.
 */
export function judgeRatio(perRound: readonly number[], goal: number): { ratio: number; low: number; high: number; met: boolean | null } {
  const ratios = perRound.filter(Number.isFinite).sort((a, b) => a - b);
  if (ratios.length === 0) return { ratio: Number.NaN, low: Number.NaN, high: Number.NaN, met: false };
  const ratio = median(ratios);
  const low = ratios[0]!;
  const high = ratios[ratios.length - 1]!;
  return { ratio, low, high, met: low <= goal && goal <= high && low !== high ? null : ratio <= goal };
}

/**
 * Bundles `functions/<name>/handler.ts` into `<outDir>/<name>/` exactly as the CDK construct does
 * (`infra/constructs/function-bundle.ts`: ESM with code splitting, `index.mjs` plus lazy chunks,
 * the createRequire banner, AWS SDK bundled, a linked source map), with native packages (sharp)
 * built for this machine so that the bundle runs here.
 */
export async function bundleHandler(name: string, outDir: string, entry = join('functions', name, 'handler.ts'), platform: NativePlatform | undefined = hostPlatform()): Promise<FunctionBundle> {
  return bundleFunction(entry, join(outDir, name), { sourceMap: true, platform });
}

/** The outputs a cold start loads: the entry and the chunks it imports statically, transitively. */
export function startupOutputs(metafile: Metafile): string[] {
  // Lazy chunks are entry points too (of their dynamic import): the function's entry is index.mjs.
  const entry = Object.keys(metafile.outputs).find((file) => file === 'index.mjs' || file.endsWith('/index.mjs'));
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file) || !metafile.outputs[file]) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]!.imports) if (imported.kind === 'import-statement' && !imported.external) visit(imported.path);
  };
  if (entry) visit(entry);
  return [...seen];
}

/** The AWS SDK client classes a handler bundle contains, by package (read from its metafile). */
const SDK_CLIENTS: Readonly<Record<string, string>> = {
  '@aws-sdk/client-s3': 'S3Client',
  '@aws-sdk/client-dynamodb': 'DynamoDBClient',
  '@aws-sdk/client-sqs': 'SQSClient',
  '@aws-sdk/client-translate': 'TranslateClient',
  '@aws-sdk/client-secrets-manager': 'SecretsManagerClient',
  '@aws-sdk/client-scheduler': 'SchedulerClient',
  '@aws-sdk/client-cloudfront': 'CloudFrontClient',
};

/** Clients in the code a cold start loads: one imported only by a lazy chunk is not in the floor. */
export function sdkClientsIn(metafile: Metafile): string[] {
  const packages = sdkPackagesAtStartup(metafile);
  return Object.keys(SDK_CLIENTS).filter((name) => packages.has(name));
}

/** The `@aws-sdk/*` packages in the code a cold start loads. */
function sdkPackagesAtStartup(metafile: Metafile): Set<string> {
  const startup = startupOutputs(metafile);
  const inputs = startup.length > 0 ? startup.flatMap((file) => Object.keys(metafile.outputs[file]!.inputs)) : Object.keys(metafile.inputs);
  return new Set(
    inputs.flatMap((path) => {
      const match = /node_modules\/(@aws-sdk\/[\w-]+)\//.exec(path);
      return match ? [match[1]!] : [];
    }),
  );
}

/**
 * Whether the handler wraps its DynamoDB client in the SDK's document client (`@aws-sdk/lib-dynamodb`,
 * `DynamoDBDocumentClient.from`): an AWS SDK client too, so the reference creates it the same way.
 */
export function usesDocumentClient(metafile: Metafile): boolean {
  return sdkPackagesAtStartup(metafile).has('@aws-sdk/lib-dynamodb');
}

/**
 * Source of the reference module: it creates each SDK client once at module scope, as a handler
 * does, and the DynamoDB document client over the DynamoDB client when the handler has one.
 */
export function referenceSource(packages: readonly string[], documentClient = false): string {
  const imports = packages.map((name, i) => `import { ${SDK_CLIENTS[name]} as C${i} } from '${name}';`);
  const clients = packages.map((name, i) => (documentClient && name === '@aws-sdk/client-dynamodb' ? `D.from(new C${i}({}))` : `new C${i}({})`));
  if (documentClient && packages.includes('@aws-sdk/client-dynamodb')) imports.push(`import { DynamoDBDocumentClient as D } from '@aws-sdk/lib-dynamodb';`);
  return `${imports.join('\n')}\nexport const clients = [${clients.join(', ')}];\n`;
}

/** What would shrink a package's share of a bundle, for the report's "what would close it". */
const REMEDIES: Readonly<Record<string, string>> = {
  eld: "eld ships its n-gram tables in the code, and the parser's lazy `await import('eld/extrasmall')` is inlined by a single-file bundle, so every cold start still parses them: mark eld external and ship it beside the bundle (NodejsFunction `bundling.nodeModules: ['eld']`), then the tables load only when an upload does not declare its language",
  zod: "zod/mini's own module and every schema built at module scope run at each import: build the schemas only some invocations validate on first use (`builtOnFirstUse`, functions/core/first-use.ts)",
  entities: 'entities (htmlparser2, sanitize-html) builds its decode tables when it loads: keep the sanitizer out of stages that do not render or parse HTML',
  undici: 'undici is bundled whole: Node 22 has fetch built in (undici inside), so an Agent-level dispatcher could use `node:https` with a checked `lookup` instead',
  'mime-db': 'mime-db is a full MIME table: a map of the dozen content types polywire writes is enough',
  'aws-xray-sdk-core':
    "the X-Ray SDK (Powertools tracer) and its CommonJS dependencies: drop the tracer where tracing adds nothing, or rely on Lambda's own active tracing. Its cls-hooked context enables an async hook with destroy tracking at import",
  'chrono-node': 'chrono-node parses dates in many locales: import only the locales the parser needs (`chrono-node/en`, `chrono-node/de`)',
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/**
 * What the Lambda runtime sets and the code reacts to at import: with AWS_EXECUTION_ENV a loaded
 * Powertools tracer records (it patches http/https and loads the X-Ray context). Whether it is
 * loaded at all is POWERTOOLS_TRACE_ENABLED, set per candidate as the construct sets it.
 */
function lambdaEnvironment(file: string): Record<string, string> {
  return {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: 'polywire-bench',
    LAMBDA_TASK_ROOT: dirname(file),
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
  };
}

/**
 * The first picture after a cold start: load sharp from the asset (what the picture processor's
 * lazy `import('sharp')` resolves to) and make the renditions the pipeline makes (1200 and 600
 * px wide, JPEG and WebP) of a 1600 × 1000 photo. Printed on its own line after the import time.
 */
function picturePathScript(file: string, photo: string): string {
  return `const { createRequire } = await import('node:module'); const { readFileSync } = await import('node:fs');
const bytes = readFileSync(${JSON.stringify(photo)}); const p = performance.now();
const sharp = createRequire(${JSON.stringify(pathToFileURL(file).href)})('sharp');
for (const width of [1200, 600]) { const base = sharp(bytes, { limitInputPixels: 40e6, failOn: 'warning' }).rotate().resize({ width, withoutEnlargement: true }); await base.clone().jpeg({ quality: 82 }).toBuffer(); await base.clone().webp({ quality: 80 }).toBuffer(); }
process.stdout.write('\\n' + String(performance.now() - p));`;
}

/**
 * The first ICU-backed Intl object after a cold start: the functions build none while they are
 * imported (the first one loads ICU's data), so the first event that formats a date (publish),
 * segments text (translate) or checks a declared language (ingest) pays it instead. Measured in the
 * same process right after the import, printed on its own line, so the report shows the cost that
 * moved out of the import rather than hiding it.
 */
const FIRST_ICU_OBJECT_SCRIPT = `const p = performance.now(); new Intl.DateTimeFormat('de', { dateStyle: 'long', timeZone: 'UTC' }).format(0); process.stdout.write('\\n' + String(performance.now() - p));`;

export const run: Benchmark = async ({ quick, workDir, log }) => {
  const outDir = join(workDir, 'cold-start');
  mkdirSync(outDir, { recursive: true });
  const samples = quick ? 3 : 15;
  const emptyModule = join(outDir, 'empty.mjs');
  writeFileSync(emptyModule, 'export {};\n');
  // The handlers' environment without this process's endpoints, so nothing reaches an emulator.
  const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...HANDLER_ENVIRONMENT };
  const deployedOptions = nodeOptions(ENABLE_SOURCE_MAPS_BY_DEFAULT);
  const photo = join(outDir, 'photo.jpg');
  const sharp = (await import('sharp')).default;
  writeFileSync(
    photo,
    await sharp({ create: { width: 1600, height: 1000, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .jpeg()
      .toBuffer(),
  );

  interface Bundle {
    name: string;
    file: string;
    /** JavaScript a cold start loads: the entry and its static chunks. */
    startupBytes: number;
    startupGzipBytes: number;
    /** All JavaScript in the asset, lazy chunks included. */
    totalBytes: number;
    lazyChunks: number;
    nativePackages: string[];
    top: { name: string; bytes: number }[];
    reference: { file: string; bytes: number; clients: string[]; documentClient: boolean };
  }
  const bundles: Bundle[] = [];
  const missing: string[] = [];
  const jsBytes = (metafile: Metafile, files: readonly string[]) => files.filter((f) => f.endsWith('.mjs')).reduce((sum, f) => sum + metafile.outputs[f]!.bytes, 0);
  for (const name of HANDLERS) {
    const entry = join('functions', name, 'handler.ts');
    if (!existsSync(entry)) {
      missing.push(entry);
      continue;
    }
    const { file, metafile, nativePackages } = await bundleHandler(name, outDir);
    const clients = sdkClientsIn(metafile);
    const referenceEntry = join(outDir, `${name}-reference-entry.mjs`);
    const documentClient = usesDocumentClient(metafile);
    writeFileSync(referenceEntry, referenceSource(clients, documentClient));
    const reference = await bundleHandler(`${name}-reference`, outDir, referenceEntry);
    const startup = startupOutputs(metafile);
    const all = Object.keys(metafile.outputs).filter((f) => f.endsWith('.mjs'));
    bundles.push({
      name,
      file,
      startupBytes: jsBytes(metafile, startup),
      startupGzipBytes: startup.reduce((sum, f) => sum + gzipSync(readFileSync(join(process.cwd(), f))).length, 0),
      totalBytes: jsBytes(metafile, all),
      lazyChunks: all.length - startup.length,
      nativePackages,
      top: contributors(metafile, 5, startup),
      reference: { file: reference.file, bytes: jsBytes(reference.metafile, startupOutputs(reference.metafile)), clients, documentClient },
    });
  }
  log(`${bundles.length} handlers and their SDK-only references bundled; importing each ${samples} times in fresh processes`);

  // Each candidate: a file, its NODE_OPTIONS and environment. The deployed configuration is the
  // construct's defaults; the others change one setting each, to show what it costs.
  interface Candidate {
    file: string;
    options: readonly string[];
    env: NodeJS.ProcessEnv;
    after?: string;
  }
  const candidates = new Map<string, Candidate>([['empty', { file: emptyModule, options: deployedOptions, env: baseEnv }]]);
  const otherMaps = nodeOptions(!ENABLE_SOURCE_MAPS_BY_DEFAULT);
  for (const b of bundles) {
    // As the construct sets it: the functions load the tracer only with POWERTOOLS_TRACE_ENABLED=true.
    const deployedEnv = { ...baseEnv, ...lambdaEnvironment(b.file), POWERTOOLS_TRACE_ENABLED: String(TRACING_BY_DEFAULT) };
    const otherTracingEnv = { ...baseEnv, ...lambdaEnvironment(b.file), POWERTOOLS_TRACE_ENABLED: String(!TRACING_BY_DEFAULT) };
    candidates.set(b.name, { file: b.file, options: deployedOptions, env: deployedEnv });
    candidates.set(`${b.name}-reference`, { file: b.reference.file, options: deployedOptions, env: { ...baseEnv, ...lambdaEnvironment(b.reference.file) } });
    candidates.set(`${b.name}/source maps ${ENABLE_SOURCE_MAPS_BY_DEFAULT ? 'off' : 'on'}`, { file: b.file, options: otherMaps, env: deployedEnv });
    candidates.set(`${b.name}/tracing ${TRACING_BY_DEFAULT ? 'off' : 'on'}`, { file: b.file, options: deployedOptions, env: otherTracingEnv });
    candidates.set(`${b.name}/first ICU object`, { file: b.file, options: deployedOptions, env: deployedEnv, after: FIRST_ICU_OBJECT_SCRIPT });
    if (b.nativePackages.includes('sharp')) candidates.set(`${b.name}/first picture`, { file: b.file, options: deployedOptions, env: deployedEnv, after: picturePathScript(b.file, photo) });
  }

  // Interleaved rounds, so that a burst of load from other processes hits every candidate alike.
  const wall = new Map<string, number[]>([...candidates.keys()].map((c) => [c, []]));
  const afterMs = new Map<string, number[]>([...candidates.keys()].map((c) => [c, []]));
  const cpu = new Map<string, number[]>([...candidates.keys()].map((c) => [c, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round < samples; round++) {
    for (const [name, candidate] of candidates) {
      const measured = importInFreshProcess(candidate.file, candidate.env, candidate.options, candidate.after);
      if (measured.error) errors.set(name, measured.error);
      else {
        wall.get(name)!.push(measured.wallMs);
        cpu.get(name)!.push(measured.cpuMs);
        if (measured.afterMs !== undefined) afterMs.get(name)!.push(measured.afterMs);
      }
    }
  }
  // Instructions, when valgrind is here: the same deployed candidates (the empty module, each
  // handler and its reference), one round per seed, interleaved as the timed rounds are.
  // Counted on Lambda's runtime (Node.js 24, from the npm registry's node binaries) and on this
  // machine's Node.js, since what a builtin costs to load differs between them.
  const counting = hasValgrind();
  const seeds = counting ? Array.from({ length: quick ? 1 : 3 }, (_, i) => i + 1) : [];
  const runtimes: { label: string; node: string }[] = [];
  const runtimeNotes: string[] = [];
  if (counting) {
    try {
      runtimes.push({ label: `Node.js ${LAMBDA_NODE_VERSION}`, node: lambdaNodeBinary() });
    } catch (error) {
      runtimeNotes.push(`Lambda's Node.js ${LAMBDA_NODE_VERSION} could not be installed (${(error as Error).message}): instructions were counted on this machine's Node.js only.`);
    }
    runtimes.push({ label: `Node.js ${process.versions.node}`, node: process.execPath });
  }
  const counted = ['empty', ...bundles.flatMap((b) => [b.name, `${b.name}-reference`])];
  const countKey = (runtime: string, name: string) => `${runtime}|${name}`;
  const instructions = new Map<string, number[]>(runtimes.flatMap((r) => counted.map((c) => [countKey(r.label, c), []] as const)));
  if (counting) log(`counting instructions with valgrind: ${counted.length} imports × ${runtimes.length} runtimes × ${seeds.length} seeds`);
  for (const seed of seeds) {
    for (const runtime of runtimes) {
      for (const name of counted) {
        const candidate = candidates.get(name)!;
        const measured = instructionsInFreshProcess(candidate.file, candidate.env, candidate.options, seed, runtime.node);
        if (measured.error) errors.set(`${countKey(runtime.label, name)}/instructions`, measured.error);
        instructions.get(countKey(runtime.label, name))!.push(measured.instructions);
      }
    }
  }
  const emptyMs = median(wall.get('empty')!);
  const netMedian = (candidate: string) => (wall.get(candidate)!.length > 0 ? median(wall.get(candidate)!) - emptyMs : Number.NaN);

  const goals: Goal[] = [];
  const table: string[][] = [
    ['Handler', 'Start-up code (gzip)', 'All code (lazy chunks)', 'SDK-only reference (clients)', 'Import − empty', 'Reference import − empty', 'Ratio (per-round range)', 'Largest contributors at start-up'],
  ];
  const notes: string[] = [...runtimeNotes];
  if (!counting) notes.push('valgrind is not installed: the import goal is judged on wall time, whose per-round spread on a loaded machine often leaves it not decided (`apt-get install valgrind`).');
  const figures: Figure[] = [{ name: 'Empty module in a fresh process (subtracted)', value: round(emptyMs), unit: 'ms' }];
  for (const bundle of bundles) {
    const referenceName = `${bundle.name}-reference`;
    const error = errors.get(bundle.name) ?? errors.get(referenceName);
    const importMs = netMedian(bundle.name);
    const referenceMs = netMedian(referenceName);
    const ratio = importMs / referenceMs;
    // Each round measured both one after the other: the spread of the per-round ratios is this
    // run's noise. A goal inside that spread is reported as not decided, never as met.
    const handlerWalls = wall.get(bundle.name)!;
    const referenceWalls = wall.get(referenceName)!;
    const perRound = handlerWalls
      .map((w, i) => (w - emptyMs) / ((referenceWalls[i] ?? Number.NaN) - emptyMs))
      .filter(Number.isFinite)
      .sort((a, b) => a - b);
    const low = perRound[Math.floor(perRound.length / 4)] ?? Number.NaN;
    const high = perRound[Math.ceil((perRound.length * 3) / 4) - 1] ?? Number.NaN;
    goals.push({
      text: `${bundle.name}: start-up code ≤ 1 MiB`,
      met: bundle.startupBytes <= MAX_BUNDLE_BYTES,
      measured: `${kib(bundle.startupBytes)} (${kib(bundle.startupBytes - bundle.reference.bytes)} more than its reference)`,
    });
    const withinNoise = Number.isFinite(low) && low <= MAX_IMPORT_RATIO && MAX_IMPORT_RATIO <= high;
    const wallMeasured = Number.isFinite(ratio)
      ? `${ratio.toFixed(2)} × (${round(importMs)} ms vs ${round(referenceMs)} ms)${withinNoise ? `; the goal lies within this run's per-round spread ${low.toFixed(2)}–${high.toFixed(2)}, so it is not decided` : ''}`
      : `import failed: ${error}`;
    for (const runtime of runtimes) {
      // Instructions decide: the same count whatever else the machine runs. Net of the empty
      // module's count in the same round, as the times are net of its time.
      const emptyCounts = instructions.get(countKey(runtime.label, 'empty'))!;
      const net = (name: string) => instructions.get(countKey(runtime.label, name))!.map((count, i) => count - emptyCounts[i]!);
      const handlerNet = net(bundle.name);
      const referenceNet = net(referenceName);
      const judged = judgeRatio(
        handlerNet.map((count, i) => count / referenceNet[i]!),
        MAX_IMPORT_RATIO,
      );
      const failed = errors.get(`${countKey(runtime.label, bundle.name)}/instructions`) ?? errors.get(`${countKey(runtime.label, referenceName)}/instructions`);
      const millions = (counts: number[]) => `${(median(counts) / 1e6).toFixed(1)} M`;
      goals.push({
        text: `${bundle.name}: import ≤ ${MAX_IMPORT_RATIO} × the SDK-only reference (instructions, ${runtime.label})`,
        met: failed ? false : judged.met,
        measured: failed
          ? `import failed under valgrind: ${failed}`
          : `${judged.ratio.toFixed(3)} × (${millions(handlerNet)} vs ${millions(referenceNet)} instructions${seeds.length > 1 ? `; seeds ${seeds.join(', ')}: ${judged.low.toFixed(3)}–${judged.high.toFixed(3)}` : ''})${judged.met === null ? '; the goal lies within the spread over seeds, so it is not decided' : ''}`,
      });
    }
    if (counting) {
      figures.push({
        name: `${bundle.name}: import wall time, ratio to its reference (Node.js ${process.versions.node}, net of the empty module; median of ${samples} interleaved rounds)`,
        value: round(ratio, 2),
        unit: '×',
        display: wallMeasured,
      });
    } else {
      goals.push({
        text: `${bundle.name}: import ≤ ${MAX_IMPORT_RATIO} × the SDK-only reference`,
        met: Number.isFinite(ratio) ? (withinNoise ? null : ratio <= MAX_IMPORT_RATIO) : false,
        measured: wallMeasured,
      });
    }
    table.push([
      bundle.name,
      `${kib(bundle.startupBytes)} (${kib(bundle.startupGzipBytes)})`,
      `${kib(bundle.totalBytes)} (${bundle.lazyChunks})${bundle.nativePackages.length > 0 ? ` + ${bundle.nativePackages.join(', ')} native` : ''}`,
      `${kib(bundle.reference.bytes)} (${bundle.reference.clients.map((c) => c.replace('@aws-sdk/client-', '') + (bundle.reference.documentClient && c === '@aws-sdk/client-dynamodb' ? ' with the document client' : '')).join(', ') || 'none'})`,
      Number.isNaN(importMs) ? 'failed' : `${round(importMs)} ms`,
      Number.isNaN(referenceMs) ? 'failed' : `${round(referenceMs)} ms`,
      Number.isFinite(ratio) ? `${ratio.toFixed(2)} × (${low.toFixed(2)}–${high.toFixed(2)})` : 'failed',
      bundle.top.map((t) => `${t.name} ${kib(t.bytes)}`).join(', '),
    ]);
    const handlerCpu = cpu.get(bundle.name)!;
    const referenceCpu = cpu.get(referenceName)!;
    if (handlerCpu.length > 0 && referenceCpu.length > 0) {
      const cpuRatio = median(handlerCpu) / median(referenceCpu);
      figures.push({
        name: `${bundle.name}: CPU time of the import, ratio to its reference (medians, same processes; less sensitive to load than wall time)`,
        value: round(cpuRatio, 2),
        unit: '×',
        display: `${cpuRatio.toFixed(2)} × (${round(median(handlerCpu))} ms vs ${round(median(referenceCpu))} ms)`,
      });
    }
    // One setting changed at a time, against the deployed configuration (same rounds).
    for (const suffix of [`source maps ${ENABLE_SOURCE_MAPS_BY_DEFAULT ? 'off' : 'on'}`, `tracing ${TRACING_BY_DEFAULT ? 'off' : 'on'}`]) {
      const ms = netMedian(`${bundle.name}/${suffix}`);
      if (!Number.isFinite(ms) || !Number.isFinite(importMs)) {
        notes.push(`${bundle.name} with ${suffix} failed to import: ${errors.get(`${bundle.name}/${suffix}`) ?? 'no sample'}`);
        continue;
      }
      figures.push({
        name: `${bundle.name}: import − empty with ${suffix} (deployed: ${round(importMs)} ms)`,
        value: round(ms),
        unit: 'ms',
        display: `${round(ms)} ms (${ms >= importMs ? '+' : ''}${round(((ms - importMs) / importMs) * 100)}%)`,
      });
    }
    const icu = afterMs.get(`${bundle.name}/first ICU object`);
    if (icu && icu.length > 0)
      figures.push({
        name: `${bundle.name}: first ICU-backed Intl object after the import, in process (a date format; none is built at import, so the first event that needs one pays this)`,
        value: round(median(icu)),
        unit: 'ms',
      });
    else notes.push(`${bundle.name}: the first ICU object after the import failed: ${errors.get(`${bundle.name}/first ICU object`) ?? 'no sample'}`);
    const picture = afterMs.get(`${bundle.name}/first picture`);
    if (picture && picture.length > 0)
      figures.push({ name: `${bundle.name}: first picture after a cold start, in process (load sharp from the asset, 2 widths × JPEG + WebP of a 1600 × 1000 photo)`, value: round(median(picture)), unit: 'ms' });
    else if (picture) notes.push(`${bundle.name}: the first picture failed: ${errors.get(`${bundle.name}/first picture`)}`);
    if (Number.isFinite(ratio) && ratio > MAX_IMPORT_RATIO) {
      const remedies = bundle.top.map((t) => REMEDIES[t.name]).filter((r): r is string => r !== undefined);
      notes.push(
        `${bundle.name} imports in ${ratio.toFixed(2)} × its reference (largest at start-up: ${bundle.top
          .slice(0, 3)
          .map((t) => `${t.name} ${kib(t.bytes)}`)
          .join(', ')}). What would close it: ${remedies.length > 0 ? remedies.join('; ') : 'load rarely used paths on first use, in separate chunks'}.`,
      );
    }
    if (error) notes.push(`${bundle.name} failed to import in a fresh process: ${error}`);
  }
  for (const entry of missing) goals.push({ text: `${entry}: bundle ≤ 1 MiB and import ≤ ${MAX_IMPORT_RATIO} × reference`, met: null, measured: 'handler not present' });
  notes.push(
    `Bundled by infra/constructs/function-bundle.ts, the function construct's own build: ESM with code splitting (index.mjs and its static chunks load at start; every dynamic import() is a lazy chunk), platform node, target node22, minified, the createRequire banner, the AWS SDK bundled, sharp external and copied into the asset's node_modules (for this machine here; for linux-arm64 in the deployed asset), linked source maps without sources.`,
    `Deployed configuration, as the construct sets it: NODE_OPTIONS ${deployedOptions.length > 0 ? deployedOptions.join(' ') : 'empty (source maps in the asset, not applied)'}; Lambda's environment (AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT), and POWERTOOLS_TRACE_ENABLED=${TRACING_BY_DEFAULT}, so the Powertools tracer is ${TRACING_BY_DEFAULT ? 'loaded and on' : 'not loaded'}. The figures change one of them at a time: "tracing ${TRACING_BY_DEFAULT ? 'off' : 'on'}" sets POWERTOOLS_TRACE_ENABLED=${!TRACING_BY_DEFAULT} (${TRACING_BY_DEFAULT ? 'the tracer is then not loaded' : 'the tracer and aws-xray-sdk-core load at start-up and record'}).`,
    ...(counting
      ? [
          `Instructions (the goal): a fresh \`node\` per candidate under valgrind's cachegrind (\`--cache-sim=no --smc-check=all-non-file\`), in the deployed configuration, on ${runtimes.map((r) => r.label).join(" (Lambda's runtime) and ")} (this machine's), one round per seed (${seeds.join(', ')}: V8's \`--random-seed\` and \`--hash-seed\`; the scheduling of V8's compiler and GC threads still moves a count by a few million between runs), net of the empty module's count in the same round (${runtimes.map((r) => `${(median(instructions.get(countKey(r.label, 'empty'))!) / 1e6).toFixed(1)} M on ${r.label}`).join(', ')}: Node's own start). The ratio is the median over seeds; when ${MAX_IMPORT_RATIO} lies within the seeds' spread the goal is not decided. Instructions are not time (a cache miss or a page fault costs more than an instruction), but they are what the code makes the CPU do, counted the same whatever else the machine runs.`,
        ]
      : []),
    `Import time: median of ${samples} fresh \`node\` processes per candidate (spawn to exit) minus the median for an empty module measured in the same interleaved rounds (${round(emptyMs)} ms: Node's own start). The reference of a handler is a bundle, built the same way, that only creates the AWS SDK clients found in the code the handler loads at start-up, the DynamoDB client wrapped in the SDK's document client (\`@aws-sdk/lib-dynamodb\`) as the handler wraps it. Node ${process.version} on ${process.arch}.`,
  );
  return {
    id: 'cold-start',
    title: 'Cold start proxy',
    method:
      'Each Lambda handler bundled as the CDK construct bundles it; size of the code a cold start loads, and the instructions (valgrind) and time a fresh Node.js process needs to import it, as ratios to an SDK-only reference bundle measured in the same interleaved rounds; the cost of source maps and tracing; the first ICU object and the first picture after a cold start.',
    goals,
    figures,
    table,
    notes,
  };
};
