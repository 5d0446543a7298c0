/**
 * Runs one stage's handler in worker threads, the local stand-in for Lambda's containers: each
 * worker builds the handler once (a cold start) and then takes one batch at a time (warm); the
 * runner never gives the pool more batches at once than the binding's concurrency, so no more
 * workers than that exist. A worker is ended — and its invocation fails, for its own messages
 * only — when the invocation passes its deadline (the runner aborts it), when its heap passes the
 * function's memory (`resourceLimits`), or when it crashes; the next batch gets a fresh worker.
 * The stack's thread keeps serving the emulators, the site and the other stages meanwhile.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { Worker } from 'node:worker_threads';
import { deserializeError, type FromWorker, type ToWorker, type WorkerInit } from './protocol';

/** A handler that runs where it can be stopped: aborting `signal` ends the invocation (and its worker) at once. */
export interface IsolatedHandler {
  invoke(event: SQSEvent, deadline: number, signal: AbortSignal): Promise<SQSBatchResponse | undefined>;
  close(): Promise<void>;
}

export interface WorkerPoolOptions {
  init: WorkerInit;
  /** An idle worker is ended after this long (Lambda also reclaims idle containers); default 2 minutes. */
  idleMs?: number;
  /**
   * The worker's entry module. Default: one that registers tsx in the thread first, so the
   * handler module may be TypeScript (test fixtures); the stack gives its plain-JavaScript build
   * (bundle.ts), whose cold start compiles nothing.
   */
  entry?: URL;
}

const TSX_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** The heap ran past the function's memory; the worker was ended. */
export class FunctionOutOfMemoryError extends Error {
  override name = 'FunctionOutOfMemoryError';
}

interface PooledWorker {
  worker: Worker;
  ready: Promise<void>;
  idleTimer?: NodeJS.Timeout;
  /** The invocation it runs, if any. */
  pending?: { id: number; resolve: (response: SQSBatchResponse | undefined) => void; reject: (error: Error) => void };
  /** Why it ends (set before `terminate()`, reported to the pending invocation). */
  ending?: Error;
}

export class HandlerWorkerPool implements IsolatedHandler {
  private readonly idle: PooledWorker[] = [];
  private readonly all = new Set<PooledWorker>();
  private nextId = 1;
  private closed = false;
  private readonly idleMs: number;

  constructor(private readonly options: WorkerPoolOptions) {
    this.idleMs = options.idleMs ?? 120_000;
  }

  /** Workers alive (idle or busy). */
  get size(): number {
    return this.all.size;
  }

  async invoke(event: SQSEvent, deadline: number, signal: AbortSignal): Promise<SQSBatchResponse | undefined> {
    if (this.closed) throw new Error(`${this.options.init.functionName}: the worker pool is closed`);
    signal.throwIfAborted();
    const pooled = this.idle.pop() ?? this.spawn();
    clearTimeout(pooled.idleTimer);
    const id = this.nextId++;
    const result = new Promise<SQSBatchResponse | undefined>((resolve, reject) => {
      pooled.pending = { id, resolve, reject };
    });
    // Awaited below unless the cold start fails first; never an unhandled rejection.
    result.catch(() => undefined);
    const onAbort = () => this.end(pooled, signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      // A cold start counts against the invocation's deadline, as in Lambda.
      await Promise.race([pooled.ready, result]);
      pooled.worker.postMessage({ type: 'invoke', id, event, deadline } satisfies ToWorker);
      const response = await result;
      this.release(pooled);
      return response;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Ends every worker (an invocation still running fails). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.all].map((pooled) => this.end(pooled, new Error(`${this.options.init.functionName}: the local stack is stopping`))));
  }

  private spawn(): PooledWorker {
    const { init } = this.options;
    const worker = new Worker(this.options.entry ?? TSX_ENTRY, {
      workerData: init,
      // The heap limit is the function's memory. Lambda counts the whole process; a worker's
      // limit covers its JavaScript heap (native buffers, e.g. sharp's, are outside it).
      resourceLimits: { maxOldGenerationSizeMb: init.memoryMb },
      name: init.functionName,
    });
    const pooled: PooledWorker = { worker, ready: Promise.resolve() };
    pooled.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromWorker) => {
        switch (message.type) {
          case 'ready':
            return resolve();
          case 'init-error':
            // Like a Lambda init failure: this invocation fails, the next one tries a fresh worker.
            reject(deserializeError(message.error));
            return void this.end(pooled, deserializeError(message.error));
          case 'result':
            if (pooled.pending?.id === message.id) pooled.pending.resolve(message.response ?? undefined);
            return;
          case 'error':
            if (pooled.pending?.id === message.id) pooled.pending.reject(deserializeError(message.error));
            return;
        }
      });
    });
    // A rejected `ready` is reported through the pending invocation; never unhandled.
    pooled.ready.catch(() => undefined);
    worker.on('error', (error: Error & { code?: string }) => {
      pooled.ending ??= error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new FunctionOutOfMemoryError(`${init.functionName} ran out of memory (its heap passed ${init.memoryMb} MB); the worker was ended`) : error;
    });
    worker.on('exit', (code) => {
      this.all.delete(pooled);
      this.removeIdle(pooled);
      clearTimeout(pooled.idleTimer);
      pooled.pending?.reject(pooled.ending ?? new Error(`${init.functionName}: the worker exited with code ${code} during the invocation`));
      pooled.pending = undefined;
    });
    this.all.add(pooled);
    return pooled;
  }

  private release(pooled: PooledWorker): void {
    pooled.pending = undefined;
    if (this.closed || pooled.ending) return;
    this.idle.push(pooled);
    pooled.idleTimer = setTimeout(() => void this.end(pooled, new Error('idle')), this.idleMs);
    pooled.idleTimer.unref();
  }

  private async end(pooled: PooledWorker, reason: Error): Promise<void> {
    pooled.ending ??= reason;
    this.removeIdle(pooled);
    clearTimeout(pooled.idleTimer);
    await pooled.worker.terminate();
  }

  private removeIdle(pooled: PooledWorker): void {
    const index = this.idle.indexOf(pooled);
    if (index >= 0) this.idle.splice(index, 1);
  }
}
