/**
 * One in-memory SQS queue with the semantics the pipeline depends on: visibility timeouts,
 * per-message delay (standard queues), receive counts, and for FIFO queues message groups
 * (a group is blocked while any of its messages is in flight, so groups are processed one batch
 * at a time, in order) and five-minute deduplication.
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { QueueJournal, readJournal, type JournaledMessage } from './journal';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_SQS_REGION = 'us-east-1';
/** SQS deduplication interval for FIFO queues. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

export interface MessageAttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface QueueMessage {
  messageId: string;
  body: string;
  /** Changes on every receive, as in SQS. */
  receiptHandle?: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
  sentTimestamp: number;
  firstReceiveTimestamp?: number;
  lastReceiveTimestamp?: number;
  receiveCount: number;
  /** Epoch ms at which the message may be received (delay, visibility timeout, backoff). */
  visibleAt: number;
  /** Whether a consumer holds it (received and neither deleted nor released). */
  inFlight: boolean;
}

export interface SendInput {
  body: string;
  delaySeconds?: number;
  groupId?: string;
  deduplicationId?: string;
  messageAttributes?: Record<string, MessageAttributeValue>;
}

export interface SendResult {
  messageId: string;
  md5OfBody: string;
  md5OfMessageAttributes?: string;
  sequenceNumber?: string;
}

export interface QueueOptions {
  name: string;
  /** FIFO queues: content-based deduplication when a message brings no deduplication id. */
  contentBasedDeduplication?: boolean;
  /** Default visibility timeout for receives that name none. */
  visibilityTimeoutSeconds?: number;
  /**
   * Keep messages in this append-only journal file (see journal.ts): replayed when the queue is
   * created, so messages sent and not deleted survive a crash. Absent: in memory only.
   */
  journalFile?: string;
  /**
   * With a journal: how long a message received before the restart stays hidden after it (from
   * its last receive). SQS would hide it for its whole visibility timeout; the local stack only
   * needs to outlast state a dead consumer may still hold, such as the ingest stage's claim
   * lease, which a redelivery would otherwise hit until it expires. Default 0 (visible at once).
   */
  holdReceivedAfterRestartMs?: number;
  now?: () => number;
}

/** Raised for requests SQS itself would reject; `code` is the SQS error code. */
export class SqsRequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = 'SqsRequestError';
  }
}

export class LocalQueue extends EventEmitter {
  readonly name: string;
  readonly fifo: boolean;
  readonly contentBasedDeduplication: boolean;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  private readonly now: () => number;
  /** Send order; FIFO order within a group follows it. */
  private messages: QueueMessage[] = [];
  private readonly deduplication = new Map<string, { messageId: string; sequenceNumber?: string; expiresAt: number }>();
  private sequence = 0n;
  private readonly journal: QueueJournal | undefined;

  constructor(options: QueueOptions) {
    super();
    this.name = options.name;
    this.fifo = options.name.endsWith('.fifo');
    this.contentBasedDeduplication = options.contentBasedDeduplication ?? false;
    this.arn = `arn:aws:sqs:${LOCAL_SQS_REGION}:${LOCAL_ACCOUNT_ID}:${options.name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds ?? 30;
    this.now = options.now ?? Date.now;
    if (options.journalFile) {
      const state = readJournal(options.journalFile);
      const now = this.now();
      for (const entry of state.deduplication) {
        if (entry.expiresAt > now) this.deduplication.set(entry.deduplicationId, { messageId: entry.id, sequenceNumber: entry.sequenceNumber, expiresAt: entry.expiresAt });
      }
      const hold = options.holdReceivedAfterRestartMs ?? 0;
      for (const m of state.messages) {
        // Received before the stop: visible again (after the hold), as after a visibility timeout.
        const heldUntil = m.lastReceiveTimestamp !== undefined && hold > 0 ? m.lastReceiveTimestamp + hold : 0;
        this.messages.push({
          messageId: m.id,
          body: m.body,
          groupId: m.groupId,
          deduplicationId: m.deduplicationId,
          messageAttributes: m.messageAttributes,
          sequenceNumber: m.sequenceNumber,
          sentTimestamp: m.sentTimestamp,
          firstReceiveTimestamp: m.firstReceiveTimestamp,
          lastReceiveTimestamp: m.lastReceiveTimestamp,
          receiveCount: m.receiveCount,
          // Held like an in-flight message, so a FIFO group waits for it too.
          visibleAt: Math.max(m.delayedUntil, heldUntil),
          inFlight: heldUntil > now,
        });
      }
      for (const seq of [...state.messages, ...state.deduplication].map((m) => m.sequenceNumber)) {
        if (seq !== undefined && BigInt(seq) - SEQUENCE_BASE > this.sequence) this.sequence = BigInt(seq) - SEQUENCE_BASE;
      }
      // Messages added while the stack was stopped (an offline redrive) get their number now.
      if (this.fifo) for (const m of this.messages) m.sequenceNumber ??= (SEQUENCE_BASE + (this.sequence += 1n)).toString();
      this.journal = new QueueJournal(options.journalFile, this.journalState());
    }
  }

  send(input: SendInput): SendResult {
    if (input.body.length === 0) throw new SqsRequestError('MissingParameter', 'The request must contain the parameter MessageBody.');
    if (Buffer.byteLength(input.body) > 256 * 1024) throw new SqsRequestError('InvalidParameterValue', 'One or more parameters are invalid. Reason: Message must be shorter than 262144 bytes.');
    const delaySeconds = input.delaySeconds ?? 0;
    if (delaySeconds < 0 || delaySeconds > 900) throw new SqsRequestError('InvalidParameterValue', `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: must be between 0 and 900.`);
    const md5OfBody = md5(input.body);
    const md5OfMessageAttributes = input.messageAttributes && Object.keys(input.messageAttributes).length > 0 ? md5OfAttributes(input.messageAttributes) : undefined;
    const now = this.now();

    let deduplicationId: string | undefined;
    if (this.fifo) {
      if (!input.groupId) throw new SqsRequestError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
      if (delaySeconds > 0) throw new SqsRequestError('InvalidParameterValue', `Value ${delaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      deduplicationId = input.deduplicationId ?? (this.contentBasedDeduplication ? sha256(input.body) : undefined);
      if (!deduplicationId) throw new SqsRequestError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      this.expireDeduplication(now);
      const seen = this.deduplication.get(deduplicationId);
      // A duplicate is accepted and answered like the original, but not enqueued again.
      if (seen) return { messageId: seen.messageId, md5OfBody, md5OfMessageAttributes, sequenceNumber: seen.sequenceNumber };
    } else if (input.groupId || input.deduplicationId) {
      throw new SqsRequestError('InvalidParameterValue', 'The request include parameter that is not valid for this queue type');
    }

    const message: QueueMessage = {
      messageId: randomUUID(),
      body: input.body,
      groupId: input.groupId,
      deduplicationId,
      messageAttributes: input.messageAttributes,
      sentTimestamp: now,
      receiveCount: 0,
      visibleAt: now + delaySeconds * 1000,
      inFlight: false,
    };
    if (this.fifo) {
      this.sequence += 1n;
      message.sequenceNumber = (SEQUENCE_BASE + this.sequence).toString();
    }
    // Durable before it is acknowledged: a failed write fails the send (the SDK retries it).
    this.journal?.send(toJournaled(message));
    if (this.fifo) this.deduplication.set(deduplicationId!, { messageId: message.messageId, sequenceNumber: message.sequenceNumber, expiresAt: now + DEDUPLICATION_WINDOW_MS });
    this.messages.push(message);
    this.emit('message');
    return { messageId: message.messageId, md5OfBody, md5OfMessageAttributes, sequenceNumber: message.sequenceNumber };
  }

  /**
   * Receives up to `max` visible messages and hides them for `visibilitySeconds`. On a FIFO
   * queue the batch comes from one message group only (the oldest unblocked one), in order, and
   * that group stays blocked until every received message is deleted or visible again.
   */
  receive(max = 1, visibilitySeconds = this.visibilityTimeoutSeconds): QueueMessage[] {
    const now = this.now();
    this.expireVisibility(now);
    const picked: QueueMessage[] = [];
    if (this.fifo) {
      // A group with any message in flight (or backing off) is blocked as a whole.
      const blocked = new Set(this.messages.filter((m) => m.inFlight).map((m) => m.groupId!));
      let group: string | undefined;
      for (const message of this.messages) {
        if (blocked.has(message.groupId!)) continue;
        group ??= message.groupId!;
        if (message.groupId !== group) continue;
        picked.push(message);
        if (picked.length >= max) break;
      }
    } else {
      for (const message of this.messages) {
        if (message.inFlight || message.visibleAt > now) continue;
        picked.push(message);
        if (picked.length >= max) break;
      }
    }
    for (const message of picked) {
      message.inFlight = true;
      message.receiveCount += 1;
      message.firstReceiveTimestamp ??= now;
      message.lastReceiveTimestamp = now;
      message.receiptHandle = `${message.messageId}#${randomUUID()}`;
      message.visibleAt = now + visibilitySeconds * 1000;
      this.journal?.receive(message.messageId, now);
    }
    return picked;
  }

  /** Deletes a received message; unknown or stale receipt handles are ignored, as SQS does. */
  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index < 0) return false;
    this.journal?.delete([this.messages[index]!.messageId]);
    this.messages.splice(index, 1);
    this.compactIfLarge();
    this.emit('change');
    return true;
  }

  /** ChangeMessageVisibility: the message stays hidden for `seconds` more (0 = visible now). */
  changeVisibility(receiptHandle: string, seconds: number): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle && m.inFlight);
    if (!message) throw new SqsRequestError('ReceiptHandleIsInvalid', `The receipt handle "${receiptHandle}" is not valid.`);
    message.visibleAt = this.now() + seconds * 1000;
    if (seconds === 0) message.inFlight = false;
    this.emit('change');
  }

  /** Removes a message for good (moved to the dead-letter list). */
  remove(messageId: string): QueueMessage | undefined {
    const index = this.messages.findIndex((m) => m.messageId === messageId);
    if (index < 0) return undefined;
    this.journal?.delete([messageId]);
    const [message] = this.messages.splice(index, 1);
    this.compactIfLarge();
    this.emit('change');
    return message;
  }

  /** Messages waiting, delayed or in flight. */
  get size(): number {
    return this.messages.length;
  }

  counts(): { visible: number; notVisible: number; delayed: number } {
    const now = this.now();
    this.expireVisibility(now);
    let visible = 0;
    let notVisible = 0;
    let delayed = 0;
    for (const m of this.messages) {
      if (m.inFlight) notVisible += 1;
      else if (m.visibleAt > now) delayed += 1;
      else visible += 1;
    }
    return { visible, notVisible, delayed };
  }

  /** Milliseconds until the next hidden message becomes visible, or undefined when none is waiting. */
  nextVisibleInMs(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const m of this.messages) if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    return next === undefined ? undefined : next - now;
  }

  /** Removes every message (PurgeQueue); returns them. */
  drainAll(): QueueMessage[] {
    const all = this.messages;
    this.journal?.delete(all.map((m) => m.messageId));
    this.messages = [];
    this.compactIfLarge();
    return all;
  }

  /** Resolves once every message sent so far is on disk (immediately without a journal). */
  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  /** Closes the journal; the queue keeps working in memory (late deletes are then not recorded, so those messages come back at the next start). */
  close(): void {
    this.journal?.close();
  }

  /** Keeps the journal near the size of what it holds: rewritten once it has grown well past it. */
  private compactIfLarge(): void {
    if (!this.journal?.open) return;
    if (this.journal.appendedSinceCompaction < COMPACT_AFTER_RECORDS + 2 * this.messages.length) return;
    this.journal.compact(this.journalState());
  }

  private journalState() {
    const now = this.now();
    const live = new Set(this.messages.map((m) => m.messageId));
    return {
      messages: this.messages.map(toJournaled),
      deduplication: [...this.deduplication]
        .filter(([, entry]) => entry.expiresAt > now && !live.has(entry.messageId))
        .map(([deduplicationId, entry]) => ({ deduplicationId, id: entry.messageId, sequenceNumber: entry.sequenceNumber, expiresAt: entry.expiresAt })),
    };
  }

  private expireVisibility(now: number): void {
    for (const m of this.messages) if (m.inFlight && m.visibleAt <= now) m.inFlight = false;
  }

  private expireDeduplication(now: number): void {
    for (const [id, entry] of this.deduplication) if (entry.expiresAt <= now) this.deduplication.delete(id);
  }
}

/** FIFO sequence numbers are large decimal strings, as in SQS. */
const SEQUENCE_BASE = 18_000_000_000_000_000_000n;
/** Journal records appended (beyond twice the live messages) before it is compacted. */
const COMPACT_AFTER_RECORDS = 1000;

function toJournaled(message: QueueMessage): JournaledMessage {
  return {
    id: message.messageId,
    body: message.body,
    groupId: message.groupId,
    deduplicationId: message.deduplicationId,
    messageAttributes: message.messageAttributes,
    sequenceNumber: message.sequenceNumber,
    sentTimestamp: message.sentTimestamp,
    firstReceiveTimestamp: message.firstReceiveTimestamp,
    lastReceiveTimestamp: message.lastReceiveTimestamp,
    receiveCount: message.receiveCount,
    // An in-flight message's visibleAt is its visibility timeout, not a delay: a restart shows it at once.
    delayedUntil: message.receiveCount === 0 ? message.visibleAt : 0,
  };
}

export function md5(text: string | Buffer): string {
  return createHash('md5').update(text).digest('hex');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * MD5 of message attributes as SQS computes it (the SDK verifies it): attributes sorted by name,
 * each as length-prefixed name, data type, a transport byte (1 string, 2 binary) and value.
 */
export function md5OfAttributes(attributes: Record<string, MessageAttributeValue>): string {
  const hash = createHash('md5');
  const lengthPrefixed = (bytes: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of Object.keys(attributes).sort()) {
    const value = attributes[name]!;
    lengthPrefixed(Buffer.from(name, 'utf8'));
    lengthPrefixed(Buffer.from(value.DataType, 'utf8'));
    if (value.BinaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(Buffer.from(value.BinaryValue, 'base64'));
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(value.StringValue ?? '', 'utf8'));
    }
  }
  return hash.digest('hex');
}
