/**
 * The local dead-letter queues: one JSON file per message under `<data-dir>/dlq/<queue>/`, so a
 * failed message survives a restart and can be read, redriven or purged with `polywire dlq`
 * from another terminal while the stack runs.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ensureWritableDir } from './data-dir';

export const DeadLetterSchema = z.object({
  queue: z.string(),
  messageId: z.string(),
  body: z.string(),
  groupId: z.string().optional(),
  deduplicationId: z.string().optional(),
  receiveCount: z.number().int(),
  sentAt: z.iso.datetime(),
  deadLetteredAt: z.iso.datetime(),
  functionName: z.string(),
  /** The error the handler threw, or why the message was reported as a batch item failure. */
  lastError: z.string(),
});
export type DeadLetter = z.infer<typeof DeadLetterSchema>;

export class DeadLetterStore {
  constructor(readonly directory: string) {}

  add(letter: DeadLetter): void {
    const folder = join(this.directory, safeName(letter.queue));
    ensureWritableDir(folder, this.directory);
    writeFileSync(join(folder, `${safeName(letter.messageId)}.json`), `${JSON.stringify(letter, null, 2)}\n`);
  }

  /** Dead letters, oldest first; unreadable files are skipped rather than hiding the rest. */
  list(queue?: string): DeadLetter[] {
    if (!existsSync(this.directory)) return [];
    const queues = queue ? [queue] : readdirSync(this.directory);
    const letters: DeadLetter[] = [];
    for (const name of queues) {
      const folder = join(this.directory, safeName(name));
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder).filter((f) => f.endsWith('.json'))) {
        try {
          const parsed = DeadLetterSchema.safeParse(JSON.parse(readFileSync(join(folder, file), 'utf8')));
          if (parsed.success) letters.push(parsed.data);
        } catch {
          // A half-written file (another process writing right now) is read on the next listing.
        }
      }
    }
    return letters.sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt));
  }

  remove(queue: string, messageId: string): boolean {
    const file = join(this.directory, safeName(queue), `${safeName(messageId)}.json`);
    if (!existsSync(file)) return false;
    rmSync(file, { force: true });
    return true;
  }

  /** Deletes dead letters (of one queue, or all); returns how many. */
  purge(queue?: string): number {
    const letters = this.list(queue);
    for (const letter of letters) this.remove(letter.queue, letter.messageId);
    return letters.length;
  }
}

/** Queue names and message ids become file names: keep them to one safe path segment. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
