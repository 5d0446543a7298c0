/**
 * The durable side of a local queue: an append-only journal, one JSON record a line, in
 * `<data-dir>/sqs/<queue>.journal`. SQS keeps a message until it is deleted, whatever happens
 * to its consumers; the local stack must too, even when it is killed (kill -9, a crash, a power
 * cut). So every send is written, and fsync'd before SendMessage answers; every delete is written
 * before the message is dropped (see QueueJournal for what is fsync'd when), and a restart replays the journal: what was sent and not
 * deleted is queued again, in-flight messages included (as if their visibility timeout ran out).
 *
 * A crash can cut the last line short; replay ignores a line it cannot parse, and the journal is
 * rewritten (compacted) on open, so a cut line never sits in front of new records.
 */
import { closeSync, existsSync, fsync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { MessageAttributeValue } from './queue';

/** A message as the journal keeps it (what a restart needs to queue it again). */
export interface JournaledMessage {
  id: string;
  body: string;
  groupId?: string;
  deduplicationId?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  sequenceNumber?: string;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  /** The last receive: a consumer that died holding the message may have left state (a lease) behind since then. */
  lastReceiveTimestamp?: number;
  receiveCount: number;
  /** Epoch ms before which the message may not be received (its send delay). */
  delayedUntil: number;
}

/** A FIFO deduplication id still inside its window, kept after its message was deleted. */
export interface JournaledDeduplication {
  deduplicationId: string;
  id: string;
  sequenceNumber?: string;
  expiresAt: number;
}

type JournalRecord = ({ op: 'send' } & JournaledMessage) | { op: 'receive'; id: string; at: number } | { op: 'delete'; id: string } | ({ op: 'dedup' } & JournaledDeduplication);

export interface JournalState {
  /** Live messages, in send order. */
  messages: JournaledMessage[];
  deduplication: JournaledDeduplication[];
}

/** Replays a journal file: what was sent and not deleted, and the deduplication ids seen. */
export function readJournal(file: string): JournalState {
  const messages = new Map<string, JournaledMessage>();
  const deduplication = new Map<string, JournaledDeduplication>();
  if (!existsSync(file)) return { messages: [], deduplication: [] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      // A line cut short by a crash: nothing after it was acknowledged as durable.
      continue;
    }
    switch (record.op) {
      case 'send': {
        const { op: _op, ...message } = record;
        messages.set(message.id, message);
        if (message.deduplicationId) {
          deduplication.set(message.deduplicationId, {
            deduplicationId: message.deduplicationId,
            id: message.id,
            sequenceNumber: message.sequenceNumber,
            expiresAt: message.sentTimestamp + DEDUPLICATION_WINDOW_MS,
          });
        }
        break;
      }
      case 'receive': {
        const message = messages.get(record.id);
        if (message) {
          message.receiveCount += 1;
          message.firstReceiveTimestamp ??= record.at;
          message.lastReceiveTimestamp = record.at;
        }
        break;
      }
      case 'delete':
        messages.delete(record.id);
        break;
      case 'dedup': {
        const { op: _op, ...entry } = record;
        deduplication.set(entry.deduplicationId, entry);
        break;
      }
    }
  }
  return { messages: [...messages.values()], deduplication: [...deduplication.values()] };
}

/** SQS deduplication interval for FIFO queues (kept here too: queue.ts imports this module). */
const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/**
 * Appends records to a queue's journal. Every record is written before the call returns, so it
 * survives the process being killed (the kernel holds it). A send also schedules an fsync, off
 * the event loop and shared by every send written before it starts (an fsync costs milliseconds
 * on a busy disk; one per send, blocking, slowed the whole pipeline); SendMessage answers only
 * once `durable()` resolved, so an acknowledged message survives a power cut too. Deletes and
 * receive counts ride along with the next fsync: losing one to a power cut only brings a message
 * back or lets it be tried once more, which every handler tolerates.
 */
export class QueueJournal {
  private fd: number | undefined;
  /** Records appended since the last compaction. */
  private records = 0;
  /** Written since the last fsync was scheduled. */
  private dirty = false;
  /** The latest scheduled fsync: it covers every record written before it was scheduled. */
  private syncing: Promise<void> | undefined;

  /** Opens `file` for appending after rewriting it to `state` (which drops a line cut short by a crash). */
  constructor(
    readonly file: string,
    state: JournalState,
  ) {
    this.compact(state);
  }

  get open(): boolean {
    return this.fd !== undefined;
  }

  /** How many records were appended since the journal was last compacted. */
  get appendedSinceCompaction(): number {
    return this.records;
  }

  send(message: JournaledMessage): void {
    this.append({ op: 'send', ...message });
    // Scheduled even when nobody waits (in-process senders such as the S3 bridge).
    this.durable().catch(() => undefined);
  }

  /** Resolves once every record written so far is on disk. */
  durable(): Promise<void> {
    const fd = this.fd;
    if (fd === undefined) return Promise.resolve();
    if (!this.dirty) return this.syncing ?? Promise.resolve();
    this.dirty = false;
    // Chained: records written while an fsync runs need one that starts after them.
    const sync = (this.syncing ?? Promise.resolve()).then(
      () =>
        new Promise<void>((resolve, reject) =>
          fsync(fd, (error) => {
            // Compaction or close replaced the file meanwhile: the new one was fsync'd whole.
            if (error && this.fd === fd) reject(error);
            else resolve();
          }),
        ),
    );
    this.syncing = sync;
    void sync.then(
      () => {
        if (this.syncing === sync) this.syncing = undefined;
      },
      () => {
        if (this.syncing === sync) this.syncing = undefined;
      },
    );
    return sync;
  }

  receive(id: string, at: number): void {
    this.append({ op: 'receive', id, at });
  }

  delete(ids: string[]): void {
    if (ids.length === 0) return;
    this.append(ids.map((id) => ({ op: 'delete', id }) as const));
  }

  /**
   * Rewrites the journal to hold only `state`: written to a temporary file, fsync'd, renamed over
   * the journal and the folder fsync'd, so a crash leaves either the old journal or the new one.
   */
  compact(state: JournalState): void {
    const temporary = `${this.file}.tmp`;
    const lines = [...state.deduplication.map((entry) => JSON.stringify({ op: 'dedup', ...entry })), ...state.messages.map((message) => JSON.stringify({ op: 'send', ...message }))];
    const fd = openSync(temporary, 'w');
    try {
      if (lines.length > 0) writeSync(fd, `${lines.join('\n')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    renameSync(temporary, this.file);
    syncFolder(dirname(this.file));
    this.fd = openSync(this.file, 'a');
    this.records = 0;
    this.dirty = false;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private append(records: JournalRecord | JournalRecord[]): void {
    // After close (a batch outliving the shutdown grace): not recorded, so the message comes back at the next start.
    if (this.fd === undefined) return;
    const list = Array.isArray(records) ? records : [records];
    writeSync(this.fd, list.map((r) => `${JSON.stringify(r)}\n`).join(''));
    this.dirty = true;
    this.records += list.length;
  }
}

/** Adds messages to the journal of a queue whose stack is not running (an offline redrive). */
export function appendToJournal(file: string, messages: JournaledMessage[]): void {
  if (messages.length === 0) return;
  const fd = openSync(file, 'a');
  try {
    // A line cut short by a crash must not swallow the first new record: start on a fresh line.
    writeSync(fd, `\n${messages.map((m) => JSON.stringify({ op: 'send', ...m })).join('\n')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(folder, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems do not fsync folders; the rename is as durable as they make it.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
