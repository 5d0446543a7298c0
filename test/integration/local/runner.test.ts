import { afterEach, describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../../infra/local/sqs/queue';
import { DeadLetterStore } from '../../../infra/local/dead-letters';
import { QueueRunner, exponentialBackoff, type SqsHandler } from '../../../infra/local/runner';

const folders: string[] = [];
const runners: QueueRunner[] = [];
afterEach(async () => {
  for (const runner of runners.splice(0)) await runner.stop(1000);
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function setup(queueName: string, handler: SqsHandler, extra: { batchSize?: number; concurrency?: number; timeoutMs?: number } = {}, log?: (line: string) => void) {
  const folder = mkdtempSync(join(tmpdir(), 'polywire-runner-'));
  folders.push(folder);
  const queue = new LocalQueue({ name: queueName });
  const deadLetters = new DeadLetterStore(join(folder, 'dlq'));
  const backoffs: number[] = [];
  const runner = new QueueRunner({
    deadLetters,
    bindings: [{ queue, functionName: 'polywire-test', handler, ...extra }],
    // Records the delays the runner asks for, and waits only a few ms so the test stays fast.
    backoffMs: (receiveCount) => {
      backoffs.push(exponentialBackoff(receiveCount));
      return 5;
    },
    pollIntervalMs: 5,
    log,
  });
  runners.push(runner);
  return { queue, deadLetters, runner, backoffs, folder };
}

describe('queue runner (the local SQS event source mapping)', () => {
  it('invokes the handler with real-shaped SQS events in batches of at most the batch size', async () => {
    const batches: SQSEvent[] = [];
    const { queue, runner } = setup(
      'polywire-translate',
      async (event) => {
        batches.push(event);
      },
      { batchSize: 5, concurrency: 1 },
    );
    for (let i = 0; i < 12; i++) queue.send({ body: JSON.stringify({ releaseId: 'r1', version: 1, language: `l${i}` }) });
    runner.start();
    await runner.whenIdle();
    expect(batches.map((b) => b.Records.length)).toEqual([5, 5, 2]);
    const record = batches[0]!.Records[0]!;
    expect(record).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:polywire-translate',
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(record.receiptHandle).toBeTruthy();
    expect(record.md5OfBody).toMatch(/^[0-9a-f]{32}$/);
    expect(queue.size).toBe(0);
  });

  it('retries a batch item failure with exponential backoff, then dead-letters it after 5 receives', async () => {
    const seen: string[] = [];
    const { queue, runner, backoffs, deadLetters, folder } = setup('polywire-ingest', async (event): Promise<SQSBatchResponse> => {
      seen.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      return { batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) };
    });
    queue.send({ body: 'good' });
    queue.send({ body: 'poison' });
    runner.start();
    await runner.whenIdle();
    expect(seen.filter((s) => s.startsWith('good'))).toEqual(['good#1']);
    expect(seen.filter((s) => s.startsWith('poison'))).toEqual(['poison#1', 'poison#2', 'poison#3', 'poison#4', 'poison#5']);
    expect(backoffs).toEqual([1000, 2000, 4000, 8000]);
    const [letter] = deadLetters.list();
    expect(letter).toMatchObject({ queue: 'polywire-ingest', body: 'poison', receiveCount: 5, functionName: 'polywire-test' });
    expect(letter!.lastError).toMatch(/batchItemFailures/);
    const files = readdirSync(join(folder, 'dlq', 'polywire-ingest'));
    expect(files).toEqual([`${letter!.messageId}.json`]);
    expect(JSON.parse(readFileSync(join(folder, 'dlq', 'polywire-ingest', files[0]!), 'utf8')).body).toBe('poison');
  });

  it('returns the whole batch when the handler throws, and keeps the error for the dead letter', async () => {
    let calls = 0;
    const { queue, runner, deadLetters } = setup('polywire-publish.fifo', async (event) => {
      calls += 1;
      if (event.Records.some((r) => r.body === 'boom')) throw Object.assign(new Error('renderer exploded'), { code: 'RENDER_FAILED' });
    });
    queue.send({ body: 'fine', groupId: 'de', deduplicationId: 'a' });
    queue.send({ body: 'boom', groupId: 'de', deduplicationId: 'b' });
    runner.start();
    await runner.whenIdle();
    expect(calls).toBe(5);
    expect(deadLetters.list().map((l) => [l.body, l.groupId, l.lastError])).toEqual([
      ['fine', 'de', 'Error [RENDER_FAILED]: renderer exploded'],
      ['boom', 'de', 'Error [RENDER_FAILED]: renderer exploded'],
    ]);
  });

  it('treats an unknown batchItemFailures id as a failure of the whole batch, as Lambda does', async () => {
    let calls = 0;
    const { queue, runner, deadLetters } = setup('polywire-webhook', async () => {
      calls += 1;
      return { batchItemFailures: [{ itemIdentifier: 'not-a-message-id' }] };
    });
    queue.send({ body: 'x' });
    runner.start();
    await runner.whenIdle();
    expect(calls).toBe(5);
    expect(deadLetters.list()[0]?.lastError).toMatch(/unknown message ids: not-a-message-id/);
  });

  it('runs FIFO groups in parallel but never two batches of one group at once, in send order', async () => {
    const active = new Map<string, number>();
    let maxGroupsAtOnce = 0;
    const order: Record<string, string[]> = {};
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { queue, runner } = setup(
      'polywire-publish.fifo',
      async (event) => {
        const group = event.Records[0]!.attributes.MessageGroupId!;
        expect(event.Records.every((r: SQSRecord) => r.attributes.MessageGroupId === group)).toBe(true);
        active.set(group, (active.get(group) ?? 0) + 1);
        expect(active.get(group)).toBe(1);
        maxGroupsAtOnce = Math.max(maxGroupsAtOnce, [...active.values()].filter((n) => n > 0).length);
        if (maxGroupsAtOnce >= 3) release();
        await gate;
        (order[group] ??= []).push(...event.Records.map((r) => r.body));
        active.set(group, active.get(group)! - 1);
      },
      { batchSize: 2, concurrency: 8 },
    );
    for (let i = 1; i <= 5; i++) for (const group of ['de', 'fr', '_root']) queue.send({ body: `${group}-${i}`, groupId: group, deduplicationId: `${group}-${i}` });
    runner.start();
    await runner.whenIdle();
    expect(maxGroupsAtOnce).toBe(3);
    expect(order).toEqual({
      de: ['de-1', 'de-2', 'de-3', 'de-4', 'de-5'],
      fr: ['fr-1', 'fr-2', 'fr-3', 'fr-4', 'fr-5'],
      _root: ['_root-1', '_root-2', '_root-3', '_root-4', '_root-5'],
    });
  });

  it('gives handlers a Lambda-like context', async () => {
    let remaining = -1;
    let name = '';
    const { queue, runner } = setup('polywire-ingest', async (_event, context) => {
      remaining = context.getRemainingTimeInMillis();
      name = context.functionName;
      expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    });
    queue.send({ body: 'x' });
    runner.start();
    await runner.whenIdle();
    expect(name).toBe('polywire-test');
    expect(remaining).toBeGreaterThan(0);
  });

  it('shares one idle promise between callers polling whenIdle, so listeners do not pile up', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const { queue, runner } = setup('polywire-ingest', async () => blocked);
    queue.send({ body: 'x' });
    runner.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const waits = Array.from({ length: 50 }, () => runner.whenIdle());
    expect(runner.listenerCount('settled')).toBeLessThanOrEqual(1);
    release();
    await Promise.all(waits);
    expect(runner.listenerCount('settled')).toBe(0);
  });

  it('keeps a timed-out batch hidden until its handler really ends, then retries it (never two attempts at once)', async () => {
    let running = 0;
    let mostAtOnce = 0;
    let calls = 0;
    const lines: string[] = [];
    const { queue, runner, deadLetters } = setup(
      'polywire-translate',
      async () => {
        calls += 1;
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        // The first attempt outlives its 20 ms timeout by far; the retry is quick.
        if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 200));
        running -= 1;
      },
      { timeoutMs: 20 },
      (line) => lines.push(line),
    );
    queue.send({ body: 'slow' });
    runner.start();
    await runner.whenIdle();
    expect(mostAtOnce).toBe(1);
    expect(calls).toBe(2);
    expect(deadLetters.list()).toEqual([]);
    expect(lines[0]).toMatch(/^polywire-test: polywire-test timed out after 20 ms; its 1 message\(s\) stay hidden until the handler ends/);
    expect(lines[1]).toMatch(/^polywire-test: the timed-out batch ended after \d+ ms$/);
  });
});
