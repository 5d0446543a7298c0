/**
 * Worker-thread isolation of handler invocations in the local stack (infra/local/isolation): a
 * stuck or oversized invocation is stopped at its timeout or memory limit and fails for its own
 * messages only, while the stack's thread and the other queues keep working; shutdown ends
 * what is still running without failing it. The handler is a test double module
 * (test/fixtures/isolation/handler.ts) that each worker imports itself, as it imports the real ones.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DeadLetterStore } from '../../../infra/local/dead-letters';
import { HandlerWorkerPool } from '../../../infra/local/isolation/pool';
import { QueueRunner, type InvocationResult } from '../../../infra/local/runner';
import { LocalQueue } from '../../../infra/local/sqs/queue';

const fixture = (name: string) => pathToFileURL(new URL(`../../fixtures/isolation/${name}`, import.meta.url).pathname).href;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Lane {
  name: string;
  timeoutMs?: number;
  memoryMb?: number;
  module?: string;
  environment?: Record<string, string>;
}

function setup(lanes: Lane[], options: { maxReceiveCount?: number } = {}) {
  const folder = mkdtempSync(join(tmpdir(), 'polywire-isolation-'));
  const deadLetters = new DeadLetterStore(join(folder, 'dlq'));
  const pools = new Map<string, HandlerWorkerPool>();
  const queues = new Map<string, LocalQueue>();
  const log: string[] = [];
  const runner = new QueueRunner({
    deadLetters,
    maxReceiveCount: options.maxReceiveCount ?? 2,
    backoffMs: () => 5,
    pollIntervalMs: 5,
    log: (line) => log.push(line),
    bindings: lanes.map((lane) => {
      const queue = new LocalQueue({ name: lane.name });
      const pool = new HandlerWorkerPool({
        init: { functionName: lane.name, moduleUrl: fixture(lane.module ?? 'handler.ts'), environment: lane.environment ?? {}, memoryMb: lane.memoryMb ?? 256 },
      });
      queues.set(lane.name, queue);
      pools.set(lane.name, pool);
      return { queue, functionName: lane.name, isolated: pool, batchSize: 1, concurrency: 1, timeoutMs: lane.timeoutMs ?? 30_000 };
    }),
  });
  const results: InvocationResult[] = [];
  runner.on('result', (result: InvocationResult) => results.push(result));
  cleanups.push(async () => {
    await runner.stop(0);
    await Promise.all([...pools.values()].map((pool) => pool.close()));
    rmSync(folder, { recursive: true, force: true });
  });
  return { runner, deadLetters, results, log, queue: (name: string) => queues.get(name)!, pool: (name: string) => pools.get(name)! };
}

describe('handler invocations in worker threads', () => {
  it('builds the handler in the worker from the environment it is given, not from this process', async () => {
    const { runner, results, queue, deadLetters } = setup([{ name: 'env-lane', environment: { FIXTURE_TAG: 'from-the-function' } }], { maxReceiveCount: 1 });
    expect(process.env.FIXTURE_TAG).toBeUndefined();
    queue('env-lane').send({ body: 'env:from-the-function' });
    queue('env-lane').send({ body: 'env:something-else' });
    runner.start();
    await runner.whenIdle();
    expect(results.map((r) => [r.records[0]!.body, r.failedMessageIds.length])).toEqual([
      ['env:from-the-function', 0],
      ['env:something-else', 1],
    ]);
    expect(deadLetters.list().map((l) => l.body)).toEqual(['env:something-else']);
  });

  it('stops a stuck invocation at its timeout; only its own message fails while another queue and this thread keep working', async () => {
    const { runner, results, queue, deadLetters, log, pool } = setup([{ name: 'stuck-lane', timeoutMs: 2_000 }, { name: 'busy-lane' }]);
    queue('stuck-lane').send({ body: 'spin' });
    runner.start();
    // While the stuck batch spins in its worker, this thread's timers fire and the other queue is served.
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks += 1;
      if (ticks <= 10) queue('busy-lane').send({ body: 'ok' });
    }, 50);
    cleanups.push(() => clearInterval(ticker));
    await runner.whenIdle();
    clearInterval(ticker);

    const stuck = results.filter((r) => r.queue === 'stuck-lane');
    const busy = results.filter((r) => r.queue === 'busy-lane');
    expect(stuck.map((r) => r.error?.name)).toEqual(['FunctionTimeoutError', 'FunctionTimeoutError']);
    expect(busy).toHaveLength(10);
    expect(busy.every((r) => r.failedMessageIds.length === 0 && !r.error)).toBe(true);
    // Every ok message was done before the stuck one's first attempt was stopped.
    const firstStop = results.indexOf(stuck[0]!);
    expect(results.slice(0, firstStop).filter((r) => r.queue === 'busy-lane').length).toBeGreaterThan(0);
    expect(ticks).toBeGreaterThan(10);
    expect(deadLetters.list()).toEqual([expect.objectContaining({ queue: 'stuck-lane', body: 'spin', lastError: 'FunctionTimeoutError: stuck-lane timed out after 2000 ms' })]);
    expect(log.filter((line) => line.includes('the invocation was stopped'))).toHaveLength(2);
    // The stopped worker is gone; the pool starts a fresh one for the next batch.
    expect(pool('stuck-lane').size).toBe(0);
  });

  it('ends an invocation whose heap passes the function memory; the next batch runs in a fresh worker', async () => {
    const { runner, results, queue, deadLetters } = setup([{ name: 'hog-lane', memoryMb: 64 }], { maxReceiveCount: 1 });
    queue('hog-lane').send({ body: 'hog' });
    queue('hog-lane').send({ body: 'ok' });
    runner.start();
    await runner.whenIdle();
    expect(results.map((r) => [r.records[0]!.body, r.error?.name])).toEqual([
      ['hog', 'FunctionOutOfMemoryError'],
      ['ok', undefined],
    ]);
    expect(deadLetters.list()[0]!.lastError).toMatch(/^FunctionOutOfMemoryError: hog-lane ran out of memory \(its heap passed 64 MB\)/);
  });

  it('reports what the handler threw, and a handler module that fails to initialize, as that error', async () => {
    const { runner, results, queue, deadLetters } = setup([{ name: 'throw-lane' }, { name: 'broken-lane', module: 'broken-handler.ts' }], { maxReceiveCount: 1 });
    queue('throw-lane').send({ body: 'throw' });
    queue('broken-lane').send({ body: 'ok' });
    runner.start();
    await runner.whenIdle();
    expect(results).toHaveLength(2);
    const letters = Object.fromEntries(deadLetters.list().map((l) => [l.queue, l.lastError]));
    expect(letters).toEqual({
      'throw-lane': 'Error [FIXTURE_FAILED]: the fixture threw',
      'broken-lane': 'ConfigError [CONFIG_INVALID]: environment variable FIXTURE_SETTING is not set: the fixture needs it',
    });
  });

  it('shutdown ends a batch still running after the grace period and leaves its message received, neither failed nor dead-lettered', async () => {
    const { runner, results, queue, deadLetters, pool } = setup([{ name: 'slow-lane', timeoutMs: 600_000 }]);
    queue('slow-lane').send({ body: 'spin' });
    runner.start();
    // The batch is running once its worker exists.
    for (let i = 0; i < 400 && pool('slow-lane').size === 0; i++) await new Promise((r) => setTimeout(r, 5));
    await runner.stop(100);
    expect(pool('slow-lane').size).toBe(0);
    expect(results).toEqual([]);
    expect(deadLetters.list()).toEqual([]);
    expect(queue('slow-lane').size).toBe(1);
    expect(queue('slow-lane').counts()).toMatchObject({ notVisible: 1 });
  });
});
