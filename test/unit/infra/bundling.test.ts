import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { elfMachine } from '../../../infra/constructs/function-bundle';
import { ENABLE_SOURCE_MAPS_CONTEXT, ENABLE_TRACING_CONTEXT, ESM_REQUIRE_BANNER, PolywireFunction } from '../../../infra/constructs/polywire-function';
import { defaultEntry } from '../../../infra/stacks/pipeline-stack';

// One real esbuild bundle of one handler, ingest (it processes pictures, so its asset carries
// sharp): the other infra tests skip bundling.
let bundle: string;
let files: string[];
let chunks: string[];
let chunkCode: string;
let deliverFiles: string[];
let native: { packages: string[]; imgPackages: string[]; binaries: { file: string; machine: string }[] };

function functionIn(app: App, entry: string, stack = new Stack(app, 'Bundle'), id = 'Ingest'): Stack {
  new PolywireFunction(stack, id, {
    entry,
    description: 'bundling check',
    timeout: Duration.seconds(60),
    memorySize: 512,
    environment: {},
    retainData: false,
  });
  return stack;
}

/** Every file under `dir` whose name ends with `suffix`, as paths relative to `dir`. */
function filesEndingWith(dir: string, suffix: RegExp): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).filter((name) => suffix.test(name));
}

beforeAll(() => {
  const outdir = mkdtempSync(join(tmpdir(), 'polywire-bundle-'));
  const app = new App({ outdir });
  const stack = functionIn(app, defaultEntry('ingest'));
  functionIn(app, defaultEntry('deliver'), stack, 'Deliver');
  app.synth();
  // Each function's asset, by the S3 key its template names.
  const template = Template.fromStack(stack).findResources('AWS::Lambda::Function');
  const assetOf = (id: string) => {
    const fn = Object.entries(template).find(([logicalId]) => logicalId.startsWith(id))![1];
    return join(outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  };
  const assetDir = assetOf('Ingest');
  deliverFiles = readdirSync(assetOf('Deliver')).sort();
  files = readdirSync(assetDir).sort();
  chunks = readdirSync(join(assetDir, 'chunks'));
  bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
  chunkCode = chunks
    .filter((name) => name.endsWith('.mjs'))
    .map((name) => readFileSync(join(assetDir, 'chunks', name), 'utf8'))
    .join('\n');
  const modules = join(assetDir, 'node_modules');
  native = {
    packages: existsSync(modules) ? readdirSync(modules).sort() : [],
    imgPackages: existsSync(join(modules, '@img')) ? readdirSync(join(modules, '@img')).sort() : [],
    binaries: existsSync(modules) ? filesEndingWith(modules, /\.node$|\.so(\.\d+)*$/).map((file) => ({ file, machine: elfMachine(join(modules, file)) })) : [],
  };
  rmSync(outdir, { recursive: true, force: true });
}, 300_000);

describe('PolywireFunction bundling (local esbuild, no Docker)', () => {
  it('emits an ESM entry with its source map, and lazy chunks beside it', () => {
    expect(files).toEqual(['chunks', 'index.mjs', 'index.mjs.map', 'node_modules']);
    expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
    // The parser's lazy imports are chunks of their own, not inlined in index.mjs.
    expect(
      chunks.some((name) => /^docx-.*\.mjs$/.test(name)),
      chunks.join(' '),
    ).toBe(true);
    expect(
      chunks.some((name) => /^static\.extrasmall-.*\.mjs$/.test(name)),
      chunks.join(' '),
    ).toBe(true);
    expect(bundle).not.toContain('mammoth');
  });

  it('gives each function its own asset: deliver imports no native package', () => {
    expect(deliverFiles).toEqual(['chunks', 'index.mjs', 'index.mjs.map']);
  });

  it('starts with the createRequire banner that CommonJS dependencies need', () => {
    expect(bundle.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
  });

  it('bundles the AWS SDK instead of importing the runtime copy', () => {
    const code = `${bundle}\n${chunkCode}`;
    expect(code).toContain('SendMessageBatch');
    expect(code).not.toMatch(/from\s*["']@aws-sdk\//);
    expect(code).not.toMatch(/import\(["']@aws-sdk\//);
  });

  it('is minified', () => {
    // Minified code is a few very long lines (template literals keep their own line breaks).
    const averageLineLength = bundle.length / bundle.split('\n').length;
    expect(averageLineLength).toBeGreaterThan(1000);
  });

  it('ships sharp with its Linux arm64 binaries (Lambda runs arm64), and no other platform', () => {
    expect(native.packages).toEqual(expect.arrayContaining(['@img', 'sharp', 'detect-libc', 'semver']));
    expect(native.imgPackages).toEqual(['colour', 'sharp-libvips-linux-arm64', 'sharp-linux-arm64']);
    expect(native.binaries.map((b) => b.file).some((f) => /sharp-linux-arm64[^/]*\.node$/.test(f))).toBe(true);
    expect(native.binaries.map((b) => b.file).some((f) => /libvips-cpp\.so/.test(f))).toBe(true);
    for (const binary of native.binaries) expect(binary.machine, binary.file).toBe('arm64');
  });
});

describe('PolywireFunction runtime options', () => {
  const environment = (context: Record<string, unknown>) => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
    const template = Template.fromStack(functionIn(app, defaultEntry('deliver')));
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0]!;
    return fn.Properties.Environment?.Variables ?? {};
  };

  it('applies source maps only when the app asks for it', () => {
    expect(environment({}).NODE_OPTIONS).toBeUndefined();
    expect(environment({ [ENABLE_SOURCE_MAPS_CONTEXT]: 'true' }).NODE_OPTIONS).toBe('--enable-source-maps');
    expect(() => environment({ [ENABLE_SOURCE_MAPS_CONTEXT]: 'yes' })).toThrow(/enableSourceMaps must be true or false/);
  });

  it('loads the Powertools tracer only when the app asks for it (functions read POWERTOOLS_TRACE_ENABLED)', () => {
    expect(environment({}).POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(environment({ [ENABLE_TRACING_CONTEXT]: 'true' }).POWERTOOLS_TRACE_ENABLED).toBe('true');
    expect(() => environment({ [ENABLE_TRACING_CONTEXT]: 'on' })).toThrow(/enableTracing must be true or false/);
  });
});
