/**
 * kill -9 at any moment loses no work: `polywire start` is killed with SIGKILL while releases
 * are mid-translation, started again on the same data folder, and finishes every release in
 * every language with nothing in the dead-letter list and no manual step.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterStore } from '../../../infra/local/dead-letters';
import { queueJournalFile } from '../../../infra/local/saved-queues';
import { readJournal } from '../../../infra/local/sqs/journal';
import { QUEUE_NAMES } from '../../../infra/local/stack';
import { allPublished, pipelineState, seed, spawnStart, until, uploadReleases, waitForStack, type StartedProcess } from '../../support/start-process';

const pending = (dataDir: string) => Object.fromEntries(Object.values(QUEUE_NAMES).map((name) => [name, readJournal(queueJournalFile(dataDir, name)).messages.length]));

describe('polywire start survives kill -9', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'polywire-crash-'));
  const processes: StartedProcess[] = [];
  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    await Promise.all(processes.map((p) => p.exited));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finishes every release after a SIGKILL mid-translation and a restart', async () => {
    const args = ['--data-dir', dataDir, '--port', '0', '--no-seeds'];
    const first = spawnStart(args);
    processes.push(first);
    const stack = await waitForStack(dataDir, first.child.pid, () => (first.child.exitCode !== null ? `start exited early:\n${first.output()}` : undefined));
    const files = ['ondine-energie-fr-2026.md', 'rimal-energy-ar-2026.txt', 'siam-biogas-th-2026.txt', 'lindqvist-bahn-de-2026.json'].map(seed);
    const keys = await uploadReleases(stack, files);

    // Killed the moment translation work is queued: releases are then neither done nor lost.
    await until('translation work in the queue', () => (pending(dataDir)[QUEUE_NAMES.translate]! > 0 ? true : undefined), 120_000, 5);
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = pending(dataDir);
    expect(
      Object.values(atKill).reduce((a, b) => a + b, 0),
      JSON.stringify(atKill),
    ).toBeGreaterThan(0);
    // A kill leaves its stack file and lock behind; the next start must take them over.
    expect(existsSync(join(dataDir, 'lock'))).toBe(true);

    const second = spawnStart(args);
    processes.push(second);
    const restarted = await waitForStack(dataDir, second.child.pid, () => (second.child.exitCode !== null ? `restart exited early:\n${second.output()}` : undefined));
    const final = await until(
      'every release published in every language',
      async () => {
        const snapshot = await pipelineState(restarted, keys);
        return allPublished(snapshot, keys) ? snapshot : undefined;
      },
      180_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n--- first run:\n${first.output()}\n--- restart:\n${second.output()}`);
    });
    expect(final.releases).toHaveLength(files.length);
    expect(new DeadLetterStore(join(dataDir, 'dlq')).list()).toEqual([]);
    await until('the queues to empty', () => (Object.values(pending(dataDir)).every((n) => n === 0) ? true : undefined), 60_000);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);
    expect(existsSync(join(dataDir, 'stack.json'))).toBe(false);
  });
});
