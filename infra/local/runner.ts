/**
 * The local stand-in for Lambda's SQS event source mapping: polls the local queues and invokes
 * the same handler functions Lambda runs, with real-shaped SQS events and a Lambda-like context.
 *
 * Semantics kept from the cloud: batches of at most `batchSize`; `ReportBatchItemFailures`
 * (listed messages return to the queue, the rest are deleted); a thrown error returns the whole
 * batch; a message received `maxReceiveCount` times without success goes to the dead-letter
 * list; FIFO queues run one batch per message group at a time, many groups in parallel.
 * Failed messages come back after an exponential backoff instead of a fixed visibility timeout,
 * so a local run retries quickly, unless the handler hid the message for longer itself
 * (ChangeMessageVisibility through the local SQS endpoint), which is kept as Lambda keeps it.
 *
 * `start` runs it like the event source mapping (polling, batches as soon as there is room);
 * `drain` steps it in rounds until nothing is visible, for tests that need a repeatable order.
 *
 * A binding's handler runs either isolated (`isolated`: a worker thread per concurrent batch,
 * see isolation/pool.ts), where a batch past its timeout is stopped as Lambda stops it, or
 * in-process (`handler`: test doubles), where it can only be waited for.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { LOCAL_ACCOUNT_ID, LOCAL_SQS_REGION, md5, md5OfAttributes, type LocalQueue, type QueueMessage } from './sqs/queue';
import type { DeadLetterStore } from './dead-letters';
import type { IsolatedHandler } from './isolation/pool';

/** The shape of every polywire queue consumer: an SQS-triggered Lambda handler. */
// biome-ignore lint/suspicious/noConfusingVoidType: a Lambda handler may return a batch response or nothing.
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void> | SQSBatchResponse | void;

export interface QueueBinding {
  queue: LocalQueue;
  functionName: string;
  /** In-process handler (test doubles); one of `handler` and `isolated`. */
  handler?: SqsHandler;
  /** Handler in worker threads: a timed-out batch is stopped, and shutdown can end it. */
  isolated?: IsolatedHandler;
  /** Lambda's BatchSize; SQS allows at most 10 per receive. */
  batchSize?: number;
  /** Batches in flight at once (FIFO: across different message groups). */
  concurrency?: number;
  /** The function's timeout; a batch running longer counts as failed. */
  timeoutMs?: number;
}

export interface RunnerOptions {
  bindings: QueueBinding[];
  deadLetters: DeadLetterStore;
  /** Receives before a message goes to the dead-letter list (the redrive policy's maxReceiveCount). */
  maxReceiveCount?: number;
  /** Delay before a failed message is visible again, by its receive count so far. */
  backoffMs?: (receiveCount: number) => number;
  /** How often hidden messages are re-checked for visibility. */
  pollIntervalMs?: number;
  /** Operator notices (a batch that timed out); default: standard error. */
  log?: (line: string) => void;
}

export interface InvocationEvent {
  queue: string;
  functionName: string;
  records: SQSRecord[];
}

export interface InvocationResult extends InvocationEvent {
  failedMessageIds: string[];
  error?: Error;
  durationMs: number;
}

/** 1 s, 2 s, 4 s … capped at 30 s. */
export function exponentialBackoff(receiveCount: number): number {
  return Math.min(1000 * 2 ** Math.max(0, receiveCount - 1), 30_000);
}

/**
 * Events: `invoke` (InvocationEvent), `result` (InvocationResult), `dead-letter` (DeadLetter),
 * `idle` (nothing queued, nothing in flight).
 */
export class QueueRunner extends EventEmitter {
  private readonly bindings: Binding[];
  private readonly maxReceiveCount: number;
  private readonly backoffMs: (receiveCount: number) => number;
  private readonly pollIntervalMs: number;
  private readonly inFlight = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  /** Aborts the isolated batches in flight (shutdown after its grace). */
  private readonly inFlightAborts = new Set<AbortController>();
  private timer: NodeJS.Timeout | undefined;
  private accepting = false;
  private pumpScheduled = false;
  private idle: Promise<void> | undefined;
  private lastDeadLetterMs = 0;
  private readonly wake = () => this.schedulePump();
  private readonly log: (line: string) => void;

  constructor(private readonly options: RunnerOptions) {
    super();
    this.bindings = options.bindings.map((b) => {
      if (!b.handler === !b.isolated) throw new Error(`${b.functionName}: give exactly one of handler and isolated`);
      return {
        ...b,
        batchSize: Math.min(b.batchSize ?? 10, 10),
        concurrency: b.concurrency ?? (b.queue.fifo ? 16 : 4),
        timeoutMs: b.timeoutMs ?? 900_000,
      };
    });
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.backoffMs = options.backoffMs ?? exponentialBackoff;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  start(): void {
    if (this.accepting) return;
    this.accepting = true;
    for (const b of this.bindings) {
      b.queue.on('message', this.wake);
      b.queue.on('change', this.wake);
    }
    this.timer = setInterval(() => this.pump(), this.pollIntervalMs);
    this.schedulePump();
  }

  /**
   * Stops receiving; waits up to `graceMs` for batches in flight, then stops the isolated ones
   * (in-process handlers cannot be stopped). A batch stopped this way is left as it was received:
   * its messages are neither deleted nor counted as failed, and come back after their visibility
   * timeout (or at the next start, from the journal).
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.accepting = false;
    clearInterval(this.timer);
    for (const b of this.bindings) {
      b.queue.off('message', this.wake);
      b.queue.off('change', this.wake);
    }
    if (this.running.size === 0) return;
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise<void>((resolve) => {
        timeout = setTimeout(resolve, graceMs);
      }),
    ]);
    clearTimeout(timeout);
    if (this.inFlightAborts.size === 0) return;
    for (const controller of this.inFlightAborts) controller.abort(new StackStoppingError('the local stack is stopping'));
    await Promise.allSettled([...this.running]);
  }

  /**
   * Deterministic stepping, for the integration harness (instead of `start`: no timers, no
   * polling). In rounds: each binding receives as many batches as its concurrency allows, they
   * all run, and the next round begins once every one has ended. Returns when no queue has a
   * message visible now and nothing runs; delayed messages (a lift's `DelaySeconds`, by the
   * queue's clock) and messages still backing off wait for a later `drain`.
   */
  async drain(): Promise<void> {
    if (this.accepting) throw new Error('drain() steps a runner that was not started');
    for (;;) {
      const round: Promise<void>[] = [];
      for (const binding of this.bindings) {
        for (let batches = 0; batches < binding.concurrency; batches++) {
          const batch = binding.queue.receive(binding.batchSize, Math.ceil(binding.timeoutMs / 1000) * 6);
          if (batch.length === 0) break;
          round.push(this.invoke(binding, batch));
        }
      }
      if (round.length === 0) return;
      await Promise.all(round);
    }
  }

  /** Whether every queue is empty (no waiting, delayed or backed-off messages) and no batch runs. */
  isIdle(): boolean {
    return this.running.size === 0 && this.bindings.every((b) => b.queue.size === 0);
  }

  /**
   * Resolves once the pipeline has nothing left to do. Callers polling it share one pending
   * promise (and one `settled` listener), however often they call.
   */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    this.idle ??= new Promise((resolve) => {
      let done = false;
      const check = () => {
        // Let handlers' follow-up sends land before deciding.
        setImmediate(() => {
          if (done || !this.isIdle()) return;
          done = true;
          this.off('settled', check);
          this.idle = undefined;
          resolve();
        });
      };
      this.on('settled', check);
      check();
    });
    return this.idle;
  }

  /**
   * Dead-letter times strictly increase within a run: letters of one batch would otherwise share
   * a millisecond, and listings (sorted by it) would show them in random order.
   */
  private deadLetterTime(): string {
    this.lastDeadLetterMs = Math.max(Date.now(), this.lastDeadLetterMs + 1);
    return new Date(this.lastDeadLetterMs).toISOString();
  }

  private schedulePump(): void {
    if (this.pumpScheduled || !this.accepting) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (!this.accepting) return;
    let pending = false;
    for (const binding of this.bindings) {
      const name = binding.queue.name;
      while ((this.inFlight.get(name) ?? 0) < binding.concurrency) {
        const batch = binding.queue.receive(binding.batchSize, Math.ceil(binding.timeoutMs / 1000) * 6);
        if (batch.length === 0) break;
        this.inFlight.set(name, (this.inFlight.get(name) ?? 0) + 1);
        const run = this.invoke(binding, batch).finally(() => {
          this.inFlight.set(name, (this.inFlight.get(name) ?? 1) - 1);
          this.running.delete(run);
          this.emit('settled');
          this.schedulePump();
        });
        this.running.add(run);
      }
      if (binding.queue.size > 0) pending = true;
    }
    // Queues can also empty through other paths (a purge, the dead-letter list): tell waiters.
    if (!pending) this.emit('settled');
  }

  private async invoke(binding: Binding, batch: QueueMessage[]): Promise<void> {
    const queue = binding.queue;
    const records = batch.map((m) => toRecord(queue, m));
    const started = Date.now();
    this.emit('invoke', { queue: queue.name, functionName: binding.functionName, records } satisfies InvocationEvent);
    let failedIds: Set<string>;
    let error: Error | undefined;
    // What the receive set: a failed message the handler has hidden for longer itself
    // (ChangeMessageVisibility, e.g. until another delivery's lease ends) keeps that visibility,
    // as in Lambda, instead of the quick local backoff.
    const receivedVisibleAt = new Map(batch.map((m) => [m.messageId, m.visibleAt]));
    let timedOut = false;
    const deadline = started + binding.timeoutMs;
    const abort = new AbortController();
    if (binding.isolated) this.inFlightAborts.add(abort);
    try {
      const running = Promise.resolve().then(() =>
        binding.isolated ? binding.isolated.invoke({ Records: records }, deadline, abort.signal) : binding.handler!({ Records: records }, lambdaContext(binding.functionName, deadline)),
      );
      const response = await withTimeout(running, binding.timeoutMs, binding.functionName).catch(async (caught: unknown) => {
        if (!(caught instanceof FunctionTimeoutError)) throw caught;
        timedOut = true;
        if (binding.isolated) {
          // As Lambda does: the invocation is stopped (its worker ended) and fails now.
          abort.abort(caught);
          await running.catch(() => undefined);
          this.log(`${binding.functionName}: ${caught.message}; the invocation was stopped, its ${batch.length} message(s) count as failed`);
          throw caught;
        }
        // Lambda would stop the function; here it cannot be stopped, so its messages stay hidden
        // until it really ends: a retry must never run beside the attempt it replaces.
        for (const message of batch) queue.changeVisibility(message.receiptHandle!, MAX_VISIBILITY_SECONDS);
        this.log(`${binding.functionName}: ${caught.message}; its ${batch.length} message(s) stay hidden until the handler ends, then count as failed`);
        await running.catch(() => undefined);
        this.log(`${binding.functionName}: the timed-out batch ended after ${Date.now() - started} ms`);
        throw caught;
      });
      const failures = response && Array.isArray(response.batchItemFailures) ? response.batchItemFailures : [];
      failedIds = new Set(failures.map((f) => f.itemIdentifier));
      const unknown = [...failedIds].filter((id) => !batch.some((m) => m.messageId === id));
      // Lambda treats an unknown identifier as a failure of the whole batch.
      if (unknown.length > 0) {
        error = new Error(`${binding.functionName} returned batchItemFailures for unknown message ids: ${unknown.join(', ')}`);
        failedIds = new Set(batch.map((m) => m.messageId));
      }
    } catch (caught) {
      error = caught instanceof Error ? caught : new Error(String(caught));
      failedIds = new Set(batch.map((m) => m.messageId));
    } finally {
      this.inFlightAborts.delete(abort);
    }
    // Stopped by shutdown, not failed: the messages stay received (journaled) and are not retried here.
    if (abort.signal.reason instanceof StackStoppingError) return;

    for (const message of batch) {
      if (!failedIds.has(message.messageId)) {
        queue.delete(message.receiptHandle!);
        continue;
      }
      if (message.receiveCount >= this.maxReceiveCount) {
        const letter = {
          queue: queue.name,
          messageId: message.messageId,
          body: message.body,
          groupId: message.groupId,
          deduplicationId: message.deduplicationId,
          receiveCount: message.receiveCount,
          sentAt: new Date(message.sentTimestamp).toISOString(),
          deadLetteredAt: this.deadLetterTime(),
          functionName: binding.functionName,
          lastError: error ? describeError(error) : `${binding.functionName} reported the message in batchItemFailures`,
        };
        // Written to the dead-letter list before it leaves the queue: a crash in between keeps it in both, never in neither.
        this.options.deadLetters.add(letter);
        queue.remove(message.messageId);
        this.emit('dead-letter', letter);
        continue;
      }
      const backoffMs = this.backoffMs(message.receiveCount);
      const hiddenByHandlerMs = !timedOut && message.visibleAt !== receivedVisibleAt.get(message.messageId) ? message.visibleAt - Date.now() : 0;
      queue.changeVisibility(message.receiptHandle!, Math.max(backoffMs, hiddenByHandlerMs) / 1000);
    }
    this.emit('result', {
      queue: queue.name,
      functionName: binding.functionName,
      records,
      failedMessageIds: [...failedIds],
      error,
      durationMs: Date.now() - started,
    } satisfies InvocationResult);
  }
}

function toRecord(queue: LocalQueue, message: QueueMessage): SQSRecord {
  const attributes = message.messageAttributes ?? {};
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle!,
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentTimestamp),
      SenderId: 'AIDAIENQZJOLO23YVJ4VO',
      ApproximateFirstReceiveTimestamp: String(message.firstReceiveTimestamp ?? message.sentTimestamp),
      ...(queue.fifo ? { SequenceNumber: message.sequenceNumber, MessageGroupId: message.groupId, MessageDeduplicationId: message.deduplicationId } : {}),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([name, value]) => [name, { dataType: value.DataType, stringValue: value.StringValue, binaryValue: value.BinaryValue, stringListValues: [], binaryListValues: [] }]),
    ),
    md5OfBody: md5(message.body),
    ...(Object.keys(attributes).length ? { md5OfMessageAttributes: md5OfAttributes(attributes) } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN: `arn:aws:sqs:${LOCAL_SQS_REGION}:${LOCAL_ACCOUNT_ID}:${queue.name}`,
    awsRegion: LOCAL_SQS_REGION,
  };
}

/** The parts of Lambda's context object handlers and Powertools read. */
export function lambdaContext(functionName: string, deadline: number): Context {
  const awsRequestId = randomUUID();
  const notSupported = () => {
    throw new Error('callback-style context methods are not supported');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_SQS_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/[$LATEST]${awsRequestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: notSupported,
    fail: notSupported,
    succeed: notSupported,
  };
}

/** SQS's longest visibility timeout (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

class FunctionTimeoutError extends Error {
  override name = 'FunctionTimeoutError';
}

class StackStoppingError extends Error {
  override name = 'StackStoppingError';
}

type Binding = QueueBinding & Required<Pick<QueueBinding, 'batchSize' | 'concurrency' | 'timeoutMs'>>;

function withTimeout<T>(promise: Promise<T>, ms: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FunctionTimeoutError(`${functionName} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function describeError(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` [${code}]` : ''}: ${error.message}`;
}
