/**
 * Cold start proxy: bundles every Lambda handler the way the CDK function construct does
 * (`infra/constructs/polywire-function.ts`: ESM, minified, tree-shaken, platform node, target
 * node22, createRequire banner, AWS SDK bundled, linked source map) and measures bundle size and
 * the time a fresh Node.js process needs to import it in the deployed configuration (source maps
 * on, tracing as the template leaves it), against a reference: a bundle, built the same way, that
 * only creates the AWS SDK clients the handler's bundle contains — the floor no handler code can
 * go below. The goal is a ratio measured in the same interleaved rounds.
 */
import { build, type Metafile } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { median, round, type Benchmark, type Goal } from './harness';

/** Goals: within 1 MiB, and an import at most 1.5 × the SDK-only reference's. */
const MAX_BUNDLE_BYTES = 1024 * 1024;
const MAX_IMPORT_RATIO = 1.5;

/** The Lambda entry points: one folder per function (`functions/<name>/handler.ts`). */
const HANDLERS = ['ingest', 'translate', 'publish', 'deliver'] as const;

/** Fallback when the construct cannot be loaded; must stay equal to its `ESM_REQUIRE_BANNER`. */
const FALLBACK_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

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

/** The construct's banner, read from the construct itself so that the two cannot drift. */
async function constructBanner(): Promise<{ banner: string; fromConstruct: boolean }> {
  try {
    const construct = (await import('../infra/constructs/polywire-function')) as { ESM_REQUIRE_BANNER?: string };
    if (construct.ESM_REQUIRE_BANNER) return { banner: construct.ESM_REQUIRE_BANNER, fromConstruct: true };
  } catch {
    // The CDK library is heavy and optional for this measurement.
  }
  return { banner: FALLBACK_BANNER, fromConstruct: false };
}

/** Bytes in the output by package (`@aws-sdk/client-s3`, `zod`) or project folder (`functions/core`). */
export function contributors(metafile: Metafile, top = 5): { name: string; bytes: number }[] {
  const output = Object.values(metafile.outputs)[0];
  if (!output) return [];
  const byName = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
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
 * itself. `--enable-source-maps` as the construct sets NODE_OPTIONS for every function.
 */
function importInFreshProcess(file: string, env: NodeJS.ProcessEnv): { wallMs: number; importMs: number; error?: string } {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(String(performance.now() - t));`;
  const start = performance.now();
  const child = spawnSync(process.execPath, ['--enable-source-maps', '--input-type=module', '-e', script], { env, encoding: 'utf8' });
  const wallMs = performance.now() - start;
  if (child.status !== 0) return { wallMs, importMs: Number.NaN, error: (child.stderr || `exit ${child.status}`).trim().split('\n').slice(0, 3).join(' ') };
  return { wallMs, importMs: Number(child.stdout) };
}

let bannerOnce: Promise<{ banner: string; fromConstruct: boolean }> | undefined;

/**
 * Bundles `functions/<name>/handler.ts` into `<outDir>/<name>.mjs` with the CDK construct's
 * esbuild settings: ESM, platform node, target node22, mainFields module/main, minified,
 * tree-shaken, the createRequire banner, nothing external (the AWS SDK is bundled).
 */
export async function bundleHandler(name: string, outDir: string, entry = join('functions', name, 'handler.ts')): Promise<{ file: string; metafile: Metafile; bannerFromConstruct: boolean }> {
  const { banner, fromConstruct } = await (bannerOnce ??= constructBanner());
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.mjs`);
  const result = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    minify: true,
    treeShaking: true,
    banner: { js: banner },
    // bundleAwsSDK: true in the construct: nothing external, the SDK is inside the bundle.
    external: [],
    // As the construct: a linked source map without sources, loaded by --enable-source-maps.
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    logLevel: 'error',
  });
  return { file, metafile: result.metafile, bannerFromConstruct: fromConstruct };
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

export function sdkClientsIn(metafile: Metafile): string[] {
  const packages = new Set(Object.keys(metafile.inputs).flatMap((path) => {
    const match = /node_modules\/(@aws-sdk\/client-[\w-]+)\//.exec(path);
    return match ? [match[1]!] : [];
  }));
  return Object.keys(SDK_CLIENTS).filter((name) => packages.has(name));
}

/** Source of the reference module: it creates each SDK client once at module scope, as a handler does. */
export function referenceSource(packages: readonly string[]): string {
  const imports = packages.map((name, i) => `import { ${SDK_CLIENTS[name]} as C${i} } from '${name}';`);
  const clients = packages.map((_, i) => `new C${i}({})`);
  return `${imports.join('\n')}\nexport const clients = [${clients.join(', ')}];\n`;
}

/** What would shrink a package's share of a bundle, for the report's "what would close it". */
const REMEDIES: Readonly<Record<string, string>> = {
  eld: 'eld ships its n-gram tables in the code, and the parser\'s lazy `await import(\'eld/small\')` is inlined by a single-file bundle, so every cold start still parses them: mark eld external and ship it beside the bundle (NodejsFunction `bundling.nodeModules: [\'eld\']`), then the tables load only when an upload does not declare its language',
  zod: 'zod 4 classic pulls in every locale and check: validate with `zod/mini` in the handlers (same schemas, tree-shakable functions) or validate at the edges only',
  undici: 'undici is bundled whole: Node 22 has fetch built in (undici inside), so an Agent-level dispatcher could use `node:https` with a checked `lookup` instead',
  'mime-db': 'mime-db is a full MIME table: a map of the dozen content types polywire writes is enough',
  entities: 'entities (htmlparser2, sanitize-html) carries full HTML entity tables: keep the sanitizer out of stages that do not parse HTML',
  'aws-xray-sdk-core': 'the X-Ray SDK (Powertools tracer) and its CommonJS dependencies: drop the tracer where tracing adds nothing, or rely on Lambda\'s own active tracing. Its cls-hooked context enables an async hook with destroy tracking at import',
  'chrono-node': 'chrono-node parses dates in many locales: import only the locales the parser needs (`chrono-node/en`, `chrono-node/de`)',
};

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

export const run: Benchmark = async ({ quick, workDir, log }) => {
  const outDir = join(workDir, 'cold-start');
  mkdirSync(outDir, { recursive: true });
  const { fromConstruct } = await (bannerOnce ??= constructBanner());
  const samples = quick ? 3 : 15;
  const emptyModule = join(outDir, 'empty.mjs');
  writeFileSync(emptyModule, 'export {};\n');
  // The handlers' environment without this process's endpoints, so nothing reaches an emulator.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...HANDLER_ENVIRONMENT };

  interface Bundle { name: string; file: string; bytes: number; gzipBytes: number; top: { name: string; bytes: number }[]; reference: { file: string; bytes: number; clients: string[] } }
  const bundles: Bundle[] = [];
  const missing: string[] = [];
  for (const name of HANDLERS) {
    const entry = join('functions', name, 'handler.ts');
    if (!existsSync(entry)) {
      missing.push(entry);
      continue;
    }
    const { file, metafile } = await bundleHandler(name, outDir);
    const clients = sdkClientsIn(metafile);
    const referenceEntry = join(outDir, `${name}-reference-entry.mjs`);
    writeFileSync(referenceEntry, referenceSource(clients));
    const reference = await bundleHandler(`${name}-reference`, outDir, referenceEntry);
    const code = readFileSync(file);
    bundles.push({
      name,
      file,
      bytes: code.length,
      gzipBytes: gzipSync(code).length,
      top: contributors(metafile),
      reference: { file: reference.file, bytes: readFileSync(reference.file).length, clients },
    });
  }
  log(`${bundles.length} handlers and their SDK-only references bundled; importing each ${samples} times in fresh processes`);

  // Interleaved rounds, so that a burst of load from other processes hits every candidate alike.
  const candidates = ['empty', ...bundles.flatMap((b) => [b.name, `${b.name}-reference`])];
  const fileOf = new Map<string, string>([['empty', emptyModule], ...bundles.flatMap((b): [string, string][] => [[b.name, b.file], [`${b.name}-reference`, b.reference.file]])]);
  const wall = new Map<string, number[]>(candidates.map((c) => [c, []]));
  const errors = new Map<string, string>();
  for (let round = 0; round < samples; round++) {
    for (const candidate of candidates) {
      const measured = importInFreshProcess(fileOf.get(candidate)!, env);
      if (measured.error) errors.set(candidate, measured.error);
      else wall.get(candidate)!.push(measured.wallMs);
    }
  }
  const emptyMs = median(wall.get('empty')!);
  const netMedian = (candidate: string) => (wall.get(candidate)!.length > 0 ? median(wall.get(candidate)!) - emptyMs : Number.NaN);

  const goals: Goal[] = [];
  const table: string[][] = [['Handler', 'Bundle', 'gzip', 'SDK-only reference (clients)', 'Import − empty', 'Reference import − empty', 'Ratio (per-round range)', 'Largest contributors']];
  const notes: string[] = [];
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
    const perRound = handlerWalls.map((w, i) => (w - emptyMs) / ((referenceWalls[i] ?? Number.NaN) - emptyMs)).filter(Number.isFinite).sort((a, b) => a - b);
    const low = perRound[Math.floor(perRound.length / 4)] ?? Number.NaN;
    const high = perRound[Math.ceil((perRound.length * 3) / 4) - 1] ?? Number.NaN;
    goals.push({ text: `${bundle.name}: bundle ≤ 1 MiB`, met: bundle.bytes <= MAX_BUNDLE_BYTES, measured: kib(bundle.bytes) });
    const withinNoise = Number.isFinite(low) && low <= MAX_IMPORT_RATIO && MAX_IMPORT_RATIO <= high;
    goals.push({
      text: `${bundle.name}: import ≤ ${MAX_IMPORT_RATIO} × the SDK-only reference`,
      met: Number.isFinite(ratio) ? (withinNoise ? null : ratio <= MAX_IMPORT_RATIO) : false,
      measured: Number.isFinite(ratio)
        ? `${ratio.toFixed(2)} × (${round(importMs)} ms vs ${round(referenceMs)} ms)${withinNoise ? `; the goal lies within this run's per-round spread ${low.toFixed(2)}–${high.toFixed(2)}, so it is not decided` : ''}`
        : `import failed: ${error}`,
    });
    table.push([
      bundle.name,
      kib(bundle.bytes),
      kib(bundle.gzipBytes),
      `${kib(bundle.reference.bytes)} (${bundle.reference.clients.map((c) => c.replace('@aws-sdk/client-', '')).join(', ') || 'none'})`,
      Number.isNaN(importMs) ? 'failed' : `${round(importMs)} ms`,
      Number.isNaN(referenceMs) ? 'failed' : `${round(referenceMs)} ms`,
      Number.isFinite(ratio) ? `${ratio.toFixed(2)} × (${low.toFixed(2)}–${high.toFixed(2)})` : 'failed',
      bundle.top.map((t) => `${t.name} ${kib(t.bytes)}`).join(', '),
    ]);
    if (Number.isFinite(ratio) && ratio > MAX_IMPORT_RATIO) {
      const remedies = bundle.top.map((t) => REMEDIES[t.name]).filter((r): r is string => r !== undefined);
      notes.push(`${bundle.name} imports in ${ratio.toFixed(2)} × its reference (largest: ${bundle.top.slice(0, 3).map((t) => `${t.name} ${kib(t.bytes)}`).join(', ')}). What would close it: ${remedies.length > 0 ? remedies.join('; ') : 'load rarely used paths on first use, in separate chunks'}.`);
    }
    if (error) notes.push(`${bundle.name} failed to import in a fresh process: ${error}`);
  }
  for (const entry of missing) goals.push({ text: `${entry}: bundle ≤ 1 MiB and import ≤ ${MAX_IMPORT_RATIO} × reference`, met: null, measured: 'handler not present' });
  notes.push(
    `Bundled with esbuild ${fromConstruct ? "using the construct's own createRequire banner" : 'with a copy of the construct\'s banner (the construct could not be loaded)'} and the construct's settings: format esm, platform node, target node22, mainFields module,main, minify, tree shaking, nothing external (bundleAwsSDK), a linked source map without sources. Each import runs with --enable-source-maps (the construct's NODE_OPTIONS) and with tracing as the template leaves it (enabled).`,
    `Import time: median of ${samples} fresh \`node\` processes per bundle (spawn to exit) minus the median for an empty module measured in the same interleaved rounds (${round(emptyMs)} ms: Node's own start). The reference of a handler is a bundle, built the same way, that only creates the AWS SDK clients found in the handler's bundle.`,
  );
  return {
    id: 'cold-start',
    title: 'Cold start proxy',
    method: 'Each Lambda handler bundled as the CDK construct bundles it; size and time to import in a fresh Node.js process, as a ratio to an SDK-only reference bundle measured in the same rounds.',
    goals,
    figures: [{ name: 'Empty module in a fresh process (subtracted)', value: round(emptyMs), unit: 'ms' }],
    table,
    notes,
  };
};
