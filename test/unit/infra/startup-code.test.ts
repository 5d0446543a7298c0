/**
 * What each function loads at a cold start (the entry and its static chunks) and what it leaves
 * to lazy chunks, on the real esbuild build of its asset. Guards the cold-start work of issue 15:
 * a static import of the webhook client's old undici, a YAML parser, chrono-node, postcss or the
 * CloudFront client brings it back into every cold start, and so does an ICU-backed Intl object
 * (display names, segmenters, formats) built at module scope: the first one loads ICU's data.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import sanitizeHtml from 'sanitize-html';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_ENVIRONMENT, startupOutputs } from '../../../bench/cold-start';
import { bundleFunction, esbuildOptions } from '../../../infra/constructs/function-bundle';

const outdir = mkdtempSync(join(tmpdir(), 'polywire-startup-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Packages whose files are inputs of the given outputs. */
function packagesIn(metafile: Metafile, outputs: readonly string[]): Set<string> {
  const names = outputs.flatMap((file) =>
    Object.keys(metafile.outputs[file]!.inputs).flatMap((path) => {
      const at = path.lastIndexOf('node_modules/');
      if (at < 0) return [];
      const parts = path.slice(at + 'node_modules/'.length).split('/');
      return [parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!];
    }),
  );
  return new Set(names);
}

// The tracer's: loaded at start-up only with POWERTOOLS_TRACE_ENABLED=true, through a dynamic import.
const NEVER_AT_STARTUP = ['undici', 'yaml', 'chrono-node', 'postcss', 'source-map-js', '@aws-sdk/client-cloudfront', '@aws-sdk/client-scheduler', 'eld', 'mammoth', 'marked', 'aws-xray-sdk-core', 'cls-hooked'];

/**
 * Packages bundled from more than one installed copy of the same version (`a/node_modules/x` and
 * `b/node_modules/x`): npm nests identical copies when the hoisted one is another version, and each
 * copy is compiled (and its tables built) again at start-up.
 */
function identicalCopies(metafile: Metafile): string[] {
  const roots = new Map<string, Set<string>>();
  for (const path of Object.keys(metafile.inputs)) {
    const at = path.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const parts = path.slice(at + 'node_modules/'.length).split('/');
    const name = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    const root = `${path.slice(0, at)}node_modules/${name}`;
    if (!roots.has(name)) roots.set(name, new Set());
    roots.get(name)!.add(root);
  }
  return [...roots].flatMap(([name, copies]) => {
    const versions = [...copies].map((root) => (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version);
    return new Set(versions).size < versions.length ? [`${name}@${versions.join(',')} (${[...copies].join(', ')})`] : [];
  });
}

/** The Intl objects a fresh Node.js builds while importing `file` (test/fixtures/bundling/record-intl.mjs). */
function intlBuiltAtImport(file: string): string[] {
  const script = `await import(${JSON.stringify(pathToFileURL(file).href)}); process.stdout.write(JSON.stringify(globalThis.__intlBuilt));`;
  const child = spawnSync(process.execPath, ['--import', pathToFileURL(join('test', 'fixtures', 'bundling', 'record-intl.mjs')).href, '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...HANDLER_ENVIRONMENT },
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`importing ${file} failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as string[];
}

/**
 * Publish loads the feed libraries for the jobs that render feeds (`loadFeedRenderer`) and the
 * sitemap package (with sax) for root rebuilds (`loadSitemapRenderer`).
 */
const FEED_LIBRARIES = ['feed', 'xml-js', 'sanitize-html', 'htmlparser2', 'entities', 'domhandler', 'sitemap', 'sax'];

describe.each([
  // [function, packages its lazy chunks must carry (loaded on first use), of which these not at start-up either]
  ['ingest', ['chrono-node', 'yaml', '@aws-sdk/client-scheduler'], []],
  ['translate', ['yaml'], []],
  ['publish', ['@aws-sdk/client-cloudfront', '@aws-sdk/client-scheduler', ...FEED_LIBRARIES], FEED_LIBRARIES],
  ['deliver', [], []],
] as const)('the %s function', (name, lazy, notAtStartup) => {
  let startup: Set<string>;
  let all: Set<string>;
  let entry: string;
  let copies: string[];
  let startupCode: string;
  beforeAll(async () => {
    const { file, metafile } = await bundleFunction(join('functions', name, 'handler.ts'), join(outdir, name), { sourceMap: false });
    entry = file;
    copies = identicalCopies(metafile);
    startup = packagesIn(metafile, startupOutputs(metafile));
    startupCode = startupOutputs(metafile)
      .map((output) => readFileSync(join(process.cwd(), output), 'utf8'))
      .join('\n');
    all = packagesIn(metafile, Object.keys(metafile.outputs));
  }, 120_000);

  it('bundles one copy of each package version (entities, domelementtype were nested twice)', () => {
    expect(copies).toEqual([]);
  });

  it('builds no ICU-backed Intl object and normalizes no text while it is imported (both on first use)', () => {
    expect(intlBuiltAtImport(entry)).toEqual([]);
  });

  it('loads none of the packages only some invocations need at a cold start', () => {
    expect(NEVER_AT_STARTUP.filter((pkg) => startup.has(pkg))).toEqual([]);
    expect(notAtStartup.filter((pkg) => startup.has(pkg))).toEqual([]);
    expect(startup.has('@aws-sdk/client-dynamodb')).toBe(true);
  });

  it('imports node:http in no ES module import at start-up (on Node.js 24 the namespace loads Node’s own undici, http2 and worker_threads)', () => {
    // The offending import with a little context, not the whole start-up code.
    expect(/.{0,80}(?:from|import)\s*"(?:node:)?http"/.exec(startupCode)?.[0]).toBeUndefined();
  });

  it('keeps the ones it needs on first use in lazy chunks, and bundles neither undici nor postcss at all', () => {
    expect(lazy.filter((pkg) => !all.has(pkg))).toEqual([]);
    expect(['undici', 'postcss'].filter((pkg) => all.has(pkg))).toEqual([]);
  });
});

describe.each([
  ['deliver', 'functions/deliver/config.ts'],
  ['ingest', 'functions/base-config.ts'],
  ['lifecycle', 'functions/base-config.ts'],
])('the %s function asset', (name, reader) => {
  it(`carries neither the engine registry nor the QA policy nor the feed adapters (it never translates or writes feeds; it reads ${reader})`, async () => {
    const { metafile } = await bundleFunction(join('functions', name, 'handler.ts'), join(outdir, `${name}-config`), { sourceMap: false });
    const sources = Object.keys(metafile.inputs).filter((path) => !path.includes('node_modules/'));
    expect(sources).toContain(reader);
    expect(
      sources.filter((path) => path.startsWith('functions/adapters/engines/') || path.startsWith('functions/core/qa/') || path === 'functions/config.ts' || path.startsWith('functions/adapters/dynamodb/feed-')),
    ).toEqual([]);
  }, 120_000);
});

describe('sanitize-html in a function asset (postcss replaced by a stand-in)', () => {
  let bundled: (html: string, options: sanitizeHtml.IOptions) => string;
  beforeAll(async () => {
    const dir = join(outdir, 'sanitize');
    await build(esbuildOptions(join('test', 'fixtures', 'bundling', 'sanitize-entry.ts'), dir, { sourceMap: false }));
    ({ sanitize: bundled } = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as { sanitize: typeof bundled });
  }, 120_000);

  const hostile = '<p style="color:red" onclick="steal()">Acme<script>alert(1)</script> <a href="javascript:alert(2)">x</a></p>';

  it('sanitizes as the real one does under an allowlist without style (polywire’s)', () => {
    const options: sanitizeHtml.IOptions = { allowedTags: ['p', 'a'], allowedAttributes: { a: ['href'] }, allowedSchemes: ['https'] };
    expect(bundled(hostile, options)).toBe('<p>Acme <a>x</a></p>');
    expect(bundled(hostile, options)).toBe(sanitizeHtml(hostile, options));
  });

  it('drops a style attribute even where an allowlist would permit it: it fails closed', () => {
    const options: sanitizeHtml.IOptions = { allowedTags: ['p'], allowedAttributes: { p: ['style'] }, allowedStyles: { p: { color: [/^red$/] } } };
    // The real postcss keeps the allowed style; the stand-in cannot parse it, so it is removed.
    expect(sanitizeHtml('<p style="color:red">a</p>', options)).toBe('<p style="color:red">a</p>');
    expect(bundled('<p style="color:red">a</p>', options)).toBe('<p>a</p>');
  });
});
