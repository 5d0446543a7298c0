/**
 * How a Lambda handler becomes its asset: one esbuild build shared by the function construct
 * (`polywire-function.ts`, at synth), the cold-start benchmark and the bundled-handler tests, so
 * that what is measured and tested is what is deployed.
 *
 * ESM with code splitting: `index.mjs` holds what a cold start needs, and every dynamic `import()`
 * in the code (language detection, .docx, Markdown, HTML sanitizing, the DeepL or LibreTranslate
 * client, sharp) becomes a chunk under `chunks/` that Node loads on first use. A single-file
 * bundle would inline those imports and compile them on every cold start.
 *
 * Native modules (sharp with libvips) cannot be bundled: they stay external and are copied into
 * the asset's `node_modules`, built for the platform the function runs on (Lambda arm64), not the
 * one that synthesizes.
 */
import { build, buildSync, type BuildOptions, type BuildResult, type Metafile } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: entries, the lock file and node_modules are resolved from here. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * ESM bundles that pull a CommonJS dependency (aws-xray-sdk-core through the Powertools tracer)
 * need a real `require`, or the first invocation fails with `Dynamic require of "util"`. esbuild
 * puts the banner on every chunk: each is its own module scope.
 */
export const ESM_REQUIRE_BANNER = "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** Packages with a native binary: never bundled, shipped built for the function's platform. */
export const NATIVE_PACKAGES = ['sharp'] as const;

/**
 * Packages replaced in every function asset. `postcss`: sanitize-html requires it at load for
 * `style` attributes, which polywire never allows; the stand-in refuses to parse, so a style
 * attribute would be dropped, never kept (functions/shared/no-postcss.ts).
 */
export const BUNDLE_ALIASES: Readonly<Record<string, string>> = {
  postcss: resolve(ROOT, 'functions/shared/no-postcss.ts'),
};

/** A platform as npm names it (`--os`, `--cpu`, `--libc`). */
export interface NativePlatform {
  readonly os: 'linux';
  readonly cpu: 'arm64' | 'x64';
  readonly libc: 'glibc';
}

/** Lambda's arm64 runtime (Amazon Linux 2023, glibc). */
export const LAMBDA_ARM64: NativePlatform = { os: 'linux', cpu: 'arm64', libc: 'glibc' };

/** This machine's platform, for bundles that run here (tests, benchmark). */
export function hostPlatform(): NativePlatform {
  if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64')) {
    throw new Error(`native packages are prepared for linux x64/arm64 only, not ${process.platform}-${process.arch}`);
  }
  return { os: 'linux', cpu: process.arch, libc: 'glibc' };
}

export interface FunctionBundleOptions {
  /** Write `index.mjs.map` (and one map per chunk), linked from the code; sources left out. */
  readonly sourceMap: boolean;
  /** The platform native packages are copied for; `undefined` leaves them out of the asset. */
  readonly platform?: NativePlatform;
}

/** The esbuild options of a function asset: `outdir/index.mjs` plus `outdir/chunks/*.mjs`. */
export function esbuildOptions(entry: string, outdir: string, options: Pick<FunctionBundleOptions, 'sourceMap'>): BuildOptions & { metafile: true } {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: resolve(ROOT, entry) },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    mainFields: ['module', 'main'],
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    minify: true,
    treeShaking: true,
    banner: { js: ESM_REQUIRE_BANNER },
    // The AWS SDK is bundled (tree-shaken, pinned by the lock file) rather than the runtime's copy.
    external: [...NATIVE_PACKAGES],
    alias: BUNDLE_ALIASES,
    sourcemap: options.sourceMap ? 'linked' : false,
    sourcesContent: false,
    metafile: true,
    logLevel: 'error',
  };
}

export interface FunctionBundle {
  /** The entry module Lambda loads (`index.mjs`). */
  readonly file: string;
  readonly metafile: Metafile;
  /** Native packages the code imports, copied into `node_modules` when a platform was given. */
  readonly nativePackages: string[];
}

/** Synchronous build, for the CDK's local bundling (which cannot await). */
export function bundleFunctionSync(entry: string, outdir: string, options: FunctionBundleOptions): FunctionBundle {
  mkdirSync(outdir, { recursive: true });
  return finish(buildSync(esbuildOptions(entry, outdir, options)), outdir, options);
}

export async function bundleFunction(entry: string, outdir: string, options: FunctionBundleOptions): Promise<FunctionBundle> {
  mkdirSync(outdir, { recursive: true });
  return finish(await build(esbuildOptions(entry, outdir, options)), outdir, options);
}

function finish(result: BuildResult<{ metafile: true }>, outdir: string, options: FunctionBundleOptions): FunctionBundle {
  const nativePackages = importedNativePackages(result.metafile);
  if (options.platform) for (const name of nativePackages) copyNativePackage(name, options.platform, outdir);
  return { file: join(outdir, 'index.mjs'), metafile: result.metafile, nativePackages };
}

/** Native packages some output imports (they are external, so they appear as imports). */
export function importedNativePackages(metafile: Metafile): string[] {
  const imported = new Set(Object.values(metafile.outputs).flatMap((output) => output.imports.filter((i) => i.external).map((i) => i.path)));
  return NATIVE_PACKAGES.filter((name) => imported.has(name));
}

/** Where the packages of one native package for one platform are installed (once, then reused). */
export function nativePackagesDir(name: string, platform: NativePlatform): string {
  const version = installedVersion(name);
  return join(ROOT, 'node_modules', '.cache', `native-${name}-${version}-${platform.os}-${platform.cpu}-${platform.libc}`, 'node_modules');
}

function installedVersion(name: string): string {
  const manifest = join(ROOT, 'node_modules', name, 'package.json');
  if (!existsSync(manifest)) throw new Error(`${name} is not installed (run npm ci): a function imports it`);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * Copies `name` and its dependencies, installed for `platform`, into `outdir/node_modules`.
 *
 * npm installs the optional packages of another platform when told its os/cpu/libc (sharp's
 * `@img/sharp-linux-arm64` and `@img/sharp-libvips-linux-arm64` for Lambda). The version is the
 * one the lock file installed here; the install goes into node_modules/.cache once and is reused
 * (offline afterwards), without scripts: sharp's install script only matters for source builds.
 */
export function copyNativePackage(name: string, platform: NativePlatform, outdir: string): void {
  const modules = nativePackagesDir(name, platform);
  if (!existsSync(join(modules, name, 'package.json'))) {
    const prefix = resolve(modules, '..');
    mkdirSync(prefix, { recursive: true });
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          '--prefer-offline',
          `--os=${platform.os}`,
          `--cpu=${platform.cpu}`,
          `--libc=${platform.libc}`,
          '--prefix',
          prefix,
          `${name}@${installedVersion(name)}`,
        ],
        { stdio: ['ignore', 'ignore', 'pipe'], timeout: 300_000 },
      );
    } catch (cause) {
      throw new Error(
        `could not install ${name} for ${platform.os}-${platform.cpu}-${platform.libc} into ${prefix} (needs the npm registry or its cache once): ${String((cause as { stderr?: Buffer }).stderr ?? cause).slice(0, 500)}`,
        { cause },
      );
    }
  }
  for (const entry of readdirSync(modules)) {
    if (entry.startsWith('.')) continue; // npm's .package-lock.json
    cpSync(join(modules, entry), join(outdir, 'node_modules', entry), { recursive: true, dereference: true });
  }
}

/** The ELF machine of a native binary: 'arm64' (EM_AARCH64), 'x64' (EM_X86_64) or the raw number. */
export function elfMachine(file: string): string {
  const header = readFileSync(file).subarray(0, 20);
  if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${file} is not an ELF file`);
  const machine = header.readUInt16LE(18);
  return machine === 183 ? 'arm64' : machine === 62 ? 'x64' : String(machine);
}

/**
 * Whether functions run with `--enable-source-maps` unless the app's context says otherwise. Off:
 * measured by `npm run bench -- --only cold-start` (docs/benchmarks.md), applying the maps costs
 * every cold start, for stack traces that only matter when something fails.
 */
export const ENABLE_SOURCE_MAPS_BY_DEFAULT = false;

/**
 * Whether a deployed function loads the Powertools tracer (`POWERTOOLS_TRACE_ENABLED=true`). Off:
 * measured by `npm run bench -- --only cold-start` ("tracing on" beside the deployed import),
 * the tracer's aws-xray-sdk-core costs every cold start for SDK subsegments; Lambda's active
 * tracing stays on. `cdk deploy -c enableTracing=true` loads it.
 */
export const TRACING_BY_DEFAULT = false;

/** The NODE_OPTIONS a function runs with. */
export function nodeOptions(enableSourceMaps: boolean): string[] {
  return enableSourceMaps ? ['--enable-source-maps'] : [];
}
