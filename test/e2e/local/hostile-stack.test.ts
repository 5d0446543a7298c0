/**
 * The whole hostile corpus (test/fixtures/hostile, its bulkiest accepted files and the largest
 * accepted short-paragraph release included) and ten normal releases uploaded together to a
 * running `polywire start`: every normal release publishes in every language of the stack with
 * nothing dead-lettered and no invocation past its timeout, each hostile file is published or
 * quarantined with its reason, the site and `polywire status` answer throughout (polled during the
 * whole run), and SIGTERM with batches in flight stops the stack within its documented bound
 * (docs/local.md: batches in flight get 10 s, then are stopped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbReleaseRepository } from '../../../functions/adapters/dynamodb/release-repository';
import { DEFAULT_TARGET_LANGUAGES } from '../../../functions/core/languages';
import { objectKeys } from '../../../functions/core/pipeline/keys';
import { DeadLetterStore } from '../../../infra/local/dead-letters';
import type { LocalStackInfo } from '../../../infra/local/stack-file';
import { hostileCorpus } from '../../fixtures/hostile/corpus';
import { wireRelease } from '../../integration/pipeline/releases';
import { allPublished, pipelineState, repo, s3For, spawnStart, until, waitForStack, killIfRunning, type StartedProcess } from '../../support/start-process';

const run = promisify(execFile);
/**
 * The product's 15 languages: every stage runs per language, so this is the real load. The bulk
 * files (over 50,000 characters or 1,000 blocks) take translate's bulk lane, one job per
 * invocation in slots of their own (functions/stages.ts, `translate.bulkLane`), so the normal
 * releases' translate batches never share a batch or wait for a slot with them.
 */
const LANGUAGES = DEFAULT_TARGET_LANGUAGES;
/** docs/local.md: batches in flight get 10 s after SIGTERM, then their workers are ended; closing the servers and the process take the rest. */
const SHUTDOWN_BOUND_MS = 15_000;
/**
 * A site request slower than this while the pipeline is busy is the collateral damage this test
 * is about (before worker isolation one heavy upload stalled the site for minutes). The stack's
 * thread still serves the emulators every worker calls, and CI machines are shared: slowest
 * answers measured on 2 cores at load 15–20 were 2.4 and 3.2 s (5.1 s before the workers ran a
 * bundle). The slowest answer is printed.
 */
const SITE_ANSWER_MS = 6_000;
/** `polywire status` is a fresh Node.js process (the CLI, the SDK) before it asks the stack: the slowest runs measured at load 15–20 took 15.7 and 18.0 s (28 s before the workers ran a bundle). */
const STATUS_ANSWER_MS = 40_000;

interface Probe {
  what: string;
  ms: number;
  ok: boolean;
  detail?: string;
}

describe('hostile corpus and normal releases on a running stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-e2e-hostile-'));
  const corpus = hostileCorpus();
  let started: StartedProcess;
  let stack: LocalStackInfo;
  const probes: Probe[] = [];
  let polling = true;
  let pollers: Promise<void>[] = [];

  beforeAll(async () => {
    started = spawnStart(['--data-dir', dataDir, '--port', '0', '--no-seeds', '--languages', LANGUAGES.join(',')]);
    stack = await waitForStack(dataDir, started.child.pid, () => (started.child.exitCode !== null ? `polywire start exited early (${started.child.exitCode}):\n${started.output()}` : undefined));
  }, 90_000);

  afterAll(async () => {
    polling = false;
    await Promise.allSettled(pollers);
    await killIfRunning(started);
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Polls the site every 250 ms and `polywire status` back to back, until the run ends. */
  const startPolling = () => {
    const timed = async (what: string, probe: () => Promise<string | undefined>) => {
      const begun = performance.now();
      try {
        const problem = await probe();
        probes.push({ what, ms: performance.now() - begun, ok: problem === undefined, detail: problem });
      } catch (error) {
        probes.push({ what, ms: performance.now() - begun, ok: false, detail: String(error) });
      }
    };
    const site = async () => {
      while (polling) {
        await timed('site', async () => {
          const response = await fetch(new URL('/en/feed.xml', stack.siteUrl), { signal: AbortSignal.timeout(SITE_ANSWER_MS) });
          await response.arrayBuffer();
          // 404 until the first English page is out: an answer all the same.
          return response.status === 200 || response.status === 404 ? undefined : `HTTP ${response.status}`;
        });
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    const status = async () => {
      while (polling) {
        await timed('status', async () => {
          const { stdout } = await run(process.execPath, ['bin/polywire.mjs', 'status', '--json', '--data-dir', dataDir], { cwd: repo, timeout: STATUS_ANSWER_MS });
          const parsed = JSON.parse(stdout) as { releases?: unknown[] };
          return Array.isArray(parsed.releases) ? undefined : 'no releases array';
        });
      }
    };
    pollers = [site(), status()];
  };

  it('publishes every normal release, quarantines or publishes each hostile file, and keeps answering', async () => {
    startPolling();
    const s3 = s3For(stack);
    const normalKeys: string[] = [];
    const hostileKeys = new Map<string, (typeof corpus)[number]>();
    // Interleaved, so normal releases share batches and queues with the hostile files.
    for (const [i, file] of corpus.entries()) {
      const key = `incoming/hostile/${file.name}`;
      hostileKeys.set(key, file);
      await s3.send(new PutObjectCommand({ Bucket: stack.buckets.uploads, Key: key, Body: file.bytes }));
      if (i % 3 === 0 && normalKeys.length < 10) {
        const normal = `incoming/normal-${normalKeys.length}.txt`;
        await s3.send(new PutObjectCommand({ Bucket: stack.buckets.uploads, Key: normal, Body: wireRelease({ headline: `Acme ships robot number ${normalKeys.length}` }) }));
        normalKeys.push(normal);
      }
    }
    expect(normalKeys).toHaveLength(10);
    const uploaded = performance.now();

    const normal = await until(
      'the ten normal releases published in every language',
      async () => {
        const snapshot = await pipelineState(stack, normalKeys);
        return allPublished(snapshot, normalKeys) ? snapshot : undefined;
      },
      300_000,
      1_000,
    ).catch(async (error: Error) => {
      const snapshot = await pipelineState(stack, normalKeys);
      throw new Error(`${error.message}\n${JSON.stringify(snapshot)}\n--- polywire start output (end):\n${started.output().slice(-6000)}`);
    });
    const normalSeconds = (performance.now() - uploaded) / 1000;
    for (const release of normal.releases) expect(release.languages.map((l) => l.language).sort()).toEqual([...LANGUAGES].sort());

    const repository = new DynamoDbReleaseRepository({
      client: DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })),
      tableName: stack.tableName,
    });
    const accepted = [...hostileKeys.keys()];
    // Each hostile file ends rejected (quarantined) or as a release in a final state in every language.
    // A liveness wait, not a speed goal (that is the bench's): generous, so that a loaded CI
    // machine does not fail it, and on time-out it names the file still on its way. The bulk
    // files in 15 languages are ~150 bulk-lane jobs on 2 slots: 503 s measured on this 2-core
    // machine at a 1-minute load of 4 to 9 (2026-12-03), 383 s in the fresh-clone CI run.
    let pending = '';
    await until(
      'every hostile file quarantined or published',
      async () => {
        for (const key of accepted) {
          pending = key;
          const source = await repository.getSource(key);
          if (source?.status === 'rejected') continue;
          if (source?.status !== 'processed') return undefined;
          const snapshot = await pipelineState(stack, [key]);
          if (!allPublished(snapshot, [key])) return undefined;
        }
        return true;
      },
      900_000,
      2_000,
    ).catch(async (error: Error) => {
      throw new Error(`${error.message}: ${pending} is not final\n${JSON.stringify(await pipelineState(stack, [pending]))}`);
    });

    const hostileSeconds = (performance.now() - uploaded) / 1000;
    for (const [key, file] of hostileKeys) {
      const source = await repository.getSource(key);
      if (source?.status === 'rejected') {
        const code = String(source.error?.code);
        expect(file.expect, `${file.name} refused with ${code}: ${JSON.stringify(source.error)}`).toContain(code);
        const report = await s3.send(new HeadObjectCommand({ Bucket: stack.buckets.uploads, Key: objectKeys.quarantine(key).error }));
        expect(report.ContentLength, `${file.name}: the reason is in quarantine`).toBeGreaterThan(0);
        await s3.send(new HeadObjectCommand({ Bucket: stack.buckets.uploads, Key: objectKeys.quarantine(key).copy }));
      } else {
        expect(file.expect === 'parsed' || file.expect.includes('parsed'), `${file.name} was published`).toBe(true);
      }
    }
    s3.destroy();

    // Nothing dead-lettered: no normal release's message, and no hostile file retried into the list either.
    expect(new DeadLetterStore(join(dataDir, 'dlq')).list().map((l) => `${l.queue}: ${l.lastError}`)).toEqual([]);
    // The largest accepted release of every shape ran within its stage's timeout (the runner logs each invocation stopped at its timeout).
    expect(
      started
        .output()
        .split('\n')
        .filter((line) => line.includes('timed out after')),
    ).toEqual([]);

    polling = false;
    await Promise.all(pollers);
    const site = probes.filter((p) => p.what === 'site');
    const status = probes.filter((p) => p.what === 'status');
    const slowest = (list: Probe[]) => Math.round(Math.max(...list.map((p) => p.ms)));
    console.log(`${LANGUAGES.length} languages: the normal releases all published ${normalSeconds.toFixed(0)} s after the uploads, the hostile files all final after ${hostileSeconds.toFixed(0)} s`);
    console.log(`site answered ${site.length} polls (slowest ${slowest(site)} ms); status answered ${status.length} runs (slowest ${slowest(status)} ms)`);
    expect(site.filter((p) => !p.ok)).toEqual([]);
    expect(status.filter((p) => !p.ok)).toEqual([]);
    expect(site.length).toBeGreaterThan(20);
    expect(status.length).toBeGreaterThan(2);
  }, 1_260_000);

  it('stops on SIGTERM within its shutdown bound while batches are in flight', async () => {
    // Fresh work: the 199,000-character paragraph again, under another key, translated in every language.
    const heavy = hostileCorpus().find((file) => file.name === 'long-paragraph.txt')!;
    const key = 'incoming/again/long-paragraph.txt';
    const s3 = s3For(stack);
    await s3.send(new PutObjectCommand({ Bucket: stack.buckets.uploads, Key: key, Body: heavy.bytes }));
    s3.destroy();
    // Ingested, and its languages not all published yet: translate and publish batches are running.
    const pending = await until(
      'the new upload ingested',
      async () => {
        const snapshot = await pipelineState(stack, [key]);
        return snapshot.releases.length > 0 ? snapshot : undefined;
      },
      120_000,
      250,
    );
    expect(allPublished(pending, [key])).toBe(false);
    const begun = performance.now();
    started.child.kill('SIGTERM');
    const code = await started.exited;
    const ms = performance.now() - begun;
    const closing = started
      .output()
      .split('\n')
      .find((line) => line.startsWith('Stopped.'));
    console.log(`stopped in ${Math.round(ms)} ms: ${closing}`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(SHUTDOWN_BOUND_MS);
  }, 60_000);
});
