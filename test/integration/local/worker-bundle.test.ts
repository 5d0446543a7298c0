/**
 * The workers' plain-JavaScript build (infra/local/isolation/bundle.ts): built once, reused while
 * its inputs are unchanged, built again when one changes, safe when two stacks build at once, and
 * run by a worker that registers no TypeScript loader. Real esbuild builds into a temporary cache.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareWorkerBundle } from '../../../infra/local/isolation/bundle';
import { HandlerWorkerPool } from '../../../infra/local/isolation/pool';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A cache folder and a handler source of its own, so each test sees only its own builds. */
function setup(answer: string) {
  const folder = mkdtempSync(join(tmpdir(), 'polywire-worker-bundle-'));
  folders.push(folder);
  const source = join(folder, 'handler.ts');
  const write = (value: string) =>
    writeFileSync(
      source,
      `const answer: string = ${JSON.stringify(value)};\nexport async function handler(event: { Records: unknown[] }) {\n  return { batchItemFailures: [], answer, records: event.Records.length, env: process.env.BUNDLE_TAG };\n}\n`,
    );
  write(answer);
  return { cache: join(folder, 'cache'), entries: { probe: source }, write, source };
}

const never = new AbortController().signal;

describe('worker bundle', () => {
  it('builds once, reuses the build while the inputs are unchanged, and builds again when one changes', async () => {
    const { cache, entries, write } = setup('first');
    const first = await prepareWorkerBundle(entries, cache);
    const again = await prepareWorkerBundle(entries, cache);
    write('second');
    const changed = await prepareWorkerBundle(entries, cache);

    expect(first.built).toBe(true);
    expect(again.built).toBe(false);
    expect(again.dir).toBe(first.dir);
    expect(changed.built).toBe(true);
    expect(changed.dir).not.toBe(first.dir);
    // Nothing half-built is left behind.
    expect(readdirSync(cache).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('keeps one build per set of entries: stacks isolating different stages do not rebuild each other out', async () => {
    const { cache, entries } = setup('sets');
    const both = { ...entries, other: entries.probe };
    await prepareWorkerBundle(entries, cache);
    await prepareWorkerBundle(both, cache);

    expect((await prepareWorkerBundle(entries, cache)).built).toBe(false);
    expect((await prepareWorkerBundle(both, cache)).built).toBe(false);
  });

  it('runs the bundled handler in a worker with the environment it is given', async () => {
    const { cache, entries } = setup('bundled');
    const bundle = await prepareWorkerBundle(entries, cache);
    const pool = new HandlerWorkerPool({ entry: bundle.workerEntry, init: { functionName: 'probe', moduleUrl: bundle.handlers.probe!, environment: { BUNDLE_TAG: 'from-init' }, memoryMb: 128 } });
    try {
      const response = await pool.invoke({ Records: [] }, Date.now() + 30_000, never);
      expect(response).toMatchObject({ answer: 'bundled', records: 0, env: 'from-init' });
    } finally {
      await pool.close();
    }
  });

  it('the bundled worker registers no TypeScript loader: a .ts module fails to load in it', async () => {
    const { cache, entries, source } = setup('unused');
    const bundle = await prepareWorkerBundle(entries, cache);
    const pool = new HandlerWorkerPool({ entry: bundle.workerEntry, init: { functionName: 'probe', moduleUrl: pathToFileURL(source).href, environment: {}, memoryMb: 128 } });
    try {
      await expect(pool.invoke({ Records: [] }, Date.now() + 30_000, never)).rejects.toMatchObject({ code: 'ERR_UNKNOWN_FILE_EXTENSION' });
    } finally {
      await pool.close();
    }
  });

  it('two starts building at once end with the same complete build', async () => {
    const { cache, entries } = setup('race');
    const [a, b] = await Promise.all([prepareWorkerBundle(entries, cache), prepareWorkerBundle(entries, cache)]);

    expect(a.dir).toBe(b.dir);
    expect(readdirSync(a.dir)).toEqual(expect.arrayContaining(['manifest.json', 'probe.mjs', 'worker.mjs']));
    expect(readdirSync(cache).filter((name) => name.startsWith('.'))).toEqual([]);
  });
});
