/**
 * Queued messages kept across restarts of the local stack: saved at shutdown (and by an offline
 * `polywire dlq redrive`) under `<data-dir>/sqs/<queue>.json`, sent again at the next start.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureWritableDir } from './data-dir';
import type { MessageAttributeValue } from './sqs/queue';

/** Messages saved at shutdown (and offline redrives), re-sent at the next start. */
export interface SavedMessage {
  body: string;
  groupId?: string;
  deduplicationId?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
}

export function savedQueueFile(dataDir: string, queue: string): string {
  return join(dataDir, 'sqs', `${queue}.json`);
}

/** Adds messages to a stopped stack's saved queue; they are sent when it starts. */
export function appendSavedMessages(dataDir: string, queue: string, messages: SavedMessage[]): void {
  const file = savedQueueFile(dataDir, queue);
  ensureWritableDir(join(dataDir, 'sqs'), dataDir);
  const existing = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SavedMessage[]) : [];
  writeFileSync(file, JSON.stringify([...existing, ...messages]));
}
