/**
 * The local queues keep a message until it is deleted, across a restart and across a kill -9:
 * replay of the journal, a line cut short by a crash, compaction, FIFO order and deduplication,
 * and a real SIGKILL of a process in the middle of sending and receiving.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalQueue } from '../../../infra/local/sqs/queue';
import { readJournal } from '../../../infra/local/sqs/journal';
import { appendSavedMessages, legacySavedQueueFile, migrateLegacySavedQueue, queueJournalFile } from '../../../infra/local/saved-queues';

const repo = new URL('../../../', import.meta.url).pathname;
const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'polywire-journal-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('journaled local queue', () => {
  it('brings back every message sent and not deleted, in-flight ones visible again, with their receive counts', () => {
    const file = join(folder(), 'q.journal');
    const first = new LocalQueue({ name: 'q', journalFile: file });
    for (const body of ['a', 'b', 'c', 'd']) first.send({ body });
    const [a, b] = first.receive(2, 600);
    first.delete(a!.receiptHandle!);
    expect(b!.body).toBe('b');
    // No close: the process "dies" here.
    const second = new LocalQueue({ name: 'q', journalFile: file });
    expect(second.size).toBe(3);
    const again = second.receive(10, 600);
    expect(again.map((m) => m.body)).toEqual(['b', 'c', 'd']);
    expect(again.map((m) => m.receiveCount)).toEqual([2, 1, 1]);
    expect(again[0]!.messageId).toBe(b!.messageId);
    first.close();
    second.close();
  });

  it('keeps a send delay across a restart but not a visibility timeout', () => {
    let now = 1_000_000;
    const file = join(folder(), 'q.journal');
    const first = new LocalQueue({ name: 'q', journalFile: file, now: () => now });
    first.send({ body: 'later', delaySeconds: 60 });
    first.send({ body: 'now' });
    expect(first.receive(10, 600).map((m) => m.body)).toEqual(['now']);
    const second = new LocalQueue({ name: 'q', journalFile: file, now: () => now });
    expect(second.receive(10, 600).map((m) => m.body)).toEqual(['now']);
    now += 60_000;
    expect(second.receive(10).map((m) => m.body)).toEqual(['later']);
  });

  it('holds a message received before the restart until the hold after its last receive has passed', () => {
    let now = 1_000_000;
    const file = join(folder(), 'q.journal');
    const first = new LocalQueue({ name: 'q', journalFile: file, now: () => now });
    first.send({ body: 'received' });
    first.send({ body: 'waiting' });
    first.receive(1, 600);
    now += 10_000;
    const second = new LocalQueue({ name: 'q', journalFile: file, now: () => now, holdReceivedAfterRestartMs: 120_000 });
    expect(second.receive(10, 600).map((m) => m.body)).toEqual(['waiting']);
    now += 109_999;
    expect(second.receive(10)).toEqual([]);
    now += 1;
    expect(second.receive(10).map((m) => m.body)).toEqual(['received']);
  });

  it('keeps FIFO order, sequence numbers and deduplication across a restart', () => {
    const file = join(folder(), 'q.fifo.journal');
    const first = new LocalQueue({ name: 'q.fifo', journalFile: file });
    const one = first.send({ body: '1', groupId: 'g', deduplicationId: 'd1' });
    const two = first.send({ body: '2', groupId: 'g', deduplicationId: 'd2' });
    const [m1] = first.receive(1);
    first.delete(m1!.receiptHandle!);
    const second = new LocalQueue({ name: 'q.fifo', journalFile: file });
    // d1's message was deleted, but its id is inside the five-minute window: still a duplicate.
    expect(second.send({ body: '1 again', groupId: 'g', deduplicationId: 'd1' }).messageId).toBe(one.messageId);
    const three = second.send({ body: '3', groupId: 'g', deduplicationId: 'd3' });
    expect(BigInt(three.sequenceNumber!)).toBeGreaterThan(BigInt(two.sequenceNumber!));
    expect(second.receive(10).map((m) => m.body)).toEqual(['2', '3']);
  });

  it('ignores a last line cut short by a crash, and appends cleanly after it', () => {
    const file = join(folder(), 'q.journal');
    const first = new LocalQueue({ name: 'q', journalFile: file });
    first.send({ body: 'kept' });
    first.close();
    appendFileSync(file, '{"op":"send","id":"cut","body":"half a rec');
    const second = new LocalQueue({ name: 'q', journalFile: file });
    second.send({ body: 'new' });
    second.close();
    const third = new LocalQueue({ name: 'q', journalFile: file });
    expect(third.receive(10).map((m) => m.body)).toEqual(['kept', 'new']);
  });

  it('compacts the journal so it does not grow with every message ever sent', () => {
    const file = join(folder(), 'q.journal');
    const queue = new LocalQueue({ name: 'q', journalFile: file });
    for (let i = 0; i < 1200; i++) {
      queue.send({ body: `message ${i}` });
      const [m] = queue.receive(1);
      queue.delete(m!.receiptHandle!);
    }
    queue.send({ body: 'last' });
    // 3601 records were appended; compaction (after 1000 beyond the live messages) dropped most.
    expect(readFileSync(file, 'utf8').trim().split('\n').length).toBeLessThan(1100);
    expect(readJournal(file).messages.map((m) => m.body)).toEqual(['last']);
  });

  it('takes messages added while the stack is stopped (offline redrive) and older saved queues', () => {
    const dataDir = folder();
    appendSavedMessages(dataDir, 'q.fifo', [{ body: 'redriven', groupId: 'g', deduplicationId: 'r1' }]);
    writeFileSync(legacySavedQueueFile(dataDir, 'q.fifo'), JSON.stringify([{ body: 'legacy', groupId: 'g', deduplicationId: 'l1' }]));
    expect(migrateLegacySavedQueue(dataDir, 'q.fifo')).toBe(1);
    const queue = new LocalQueue({ name: 'q.fifo', journalFile: queueJournalFile(dataDir, 'q.fifo') });
    const received = queue.receive(10);
    expect(received.map((m) => m.body)).toEqual(['redriven', 'legacy']);
    expect(received.every((m) => /^\d+$/.test(m.sequenceNumber ?? ''))).toBe(true);
  });

  it('loses nothing acknowledged when its process is killed with SIGKILL mid-stream', async () => {
    const file = join(folder(), 'q.journal');
    // A child process sends numbered messages and deletes every even one after receiving it,
    // printing each acknowledged step; it is killed without warning while still going.
    const script = `
      import { LocalQueue } from ${JSON.stringify(join(repo, 'infra/local/sqs/queue.ts'))};
      const queue = new LocalQueue({ name: 'q', journalFile: ${JSON.stringify(file)} });
      for (let i = 0; ; i++) {
        queue.send({ body: String(i) });
        process.stdout.write('sent ' + i + '\\n');
        const [m] = queue.receive(1, 600);
        if (Number(m.body) % 2 === 0) {
          process.stdout.write('deleting ' + m.body + '\\n');
          queue.delete(m.receiptHandle);
          process.stdout.write('deleted ' + m.body + '\\n');
        }
        if (i % 50 === 0) await new Promise((r) => setImmediate(r));
      }
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.split('\n').length > 400 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`child exited by itself (${code})`)));
    });
    await new Promise((r) => child.once('exit', r));
    const lines = output.split('\n').filter((l) => /^(sent|deleting|deleted) \d+$/.test(l));
    const sent = lines.filter((l) => l.startsWith('sent ')).map((l) => Number(l.slice(5)));
    const deleted = new Set(lines.filter((l) => l.startsWith('deleted ')).map((l) => Number(l.slice(8))));
    // A delete the kill cut short may or may not have reached the journal: either is correct.
    const deleting = new Set(lines.filter((l) => l.startsWith('deleting ')).map((l) => Number(l.slice(9))));
    expect(sent.length).toBeGreaterThan(100);
    const replayed = new Set(readJournal(file).messages.map((m) => Number(m.body)));
    // Every acknowledged send that was not deleted is there; no acknowledged delete came back.
    for (const n of sent) if (!deleting.has(n)) expect(replayed.has(n), `message ${n}`).toBe(true);
    for (const n of deleted) expect(replayed.has(n), `deleted message ${n}`).toBe(false);
    expect(readFileSync(file, 'utf8').endsWith('\n')).toBe(true);
  });
});
