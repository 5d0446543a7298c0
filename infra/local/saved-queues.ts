/**
 * Where the local stack keeps its queued messages: one append-only journal per queue under
 * `<data-dir>/sqs/<queue>.journal` (see sqs/journal.ts), written as messages are sent and
 * deleted, so they survive a stop, a crash or a kill -9 and resume at the next start. An offline
 * `polywire dlq redrive` appends to the same journal.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWritableDir } from './data-dir';
import { appendToJournal } from './sqs/journal';
import type { MessageAttributeValue } from './sqs/queue';

/** A message to queue at the next start (an offline redrive). */
export interface SavedMessage {
  body: string;
  groupId?: string;
  deduplicationId?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
}

export function queueJournalFile(dataDir: string, queue: string): string {
  return join(dataDir, 'sqs', `${queue}.journal`);
}

/** Before journals, queues were saved only at a clean shutdown, as a JSON array in this file. */
export function legacySavedQueueFile(dataDir: string, queue: string): string {
  return join(dataDir, 'sqs', `${queue}.json`);
}

/** Adds messages to a stopped stack's queue; they are received when it starts. */
export function appendSavedMessages(dataDir: string, queue: string, messages: SavedMessage[]): void {
  ensureWritableDir(join(dataDir, 'sqs'), dataDir);
  const now = Date.now();
  appendToJournal(
    queueJournalFile(dataDir, queue),
    messages.map((m) => ({ id: randomUUID(), ...m, sentTimestamp: now, receiveCount: 0, delayedUntil: 0 })),
  );
}

/**
 * Moves a legacy saved queue (from a data folder written by an older polywire) into its journal,
 * then removes it. Returns how many messages it held.
 */
export function migrateLegacySavedQueue(dataDir: string, queue: string): number {
  const file = legacySavedQueueFile(dataDir, queue);
  if (!existsSync(file)) return 0;
  const saved = JSON.parse(readFileSync(file, 'utf8')) as SavedMessage[];
  appendSavedMessages(dataDir, queue, saved);
  rmSync(file);
  return saved.length;
}
