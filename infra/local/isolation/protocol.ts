/**
 * Messages between the queue runner's worker pool (pool.ts) and a handler worker (worker.ts).
 * Everything here crosses a thread boundary by structured clone: plain data only.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * What a worker needs to build its stage's handler by itself, as a Lambda container does at
 * init: the handler module and the function's environment. This is the seam to the handler
 * modules' configuration; when handlers take a config object, it travels here instead.
 */
export interface WorkerInit {
  functionName: string;
  /** file: URL of the handler module (a Lambda entry point exporting `handler`). */
  moduleUrl: string;
  /** The function's environment variables (the worker's `process.env`). */
  environment: Record<string, string>;
  memoryMb: number;
}

export type ToWorker = { type: 'invoke'; id: number; event: SQSEvent; deadline: number };

export type FromWorker = { type: 'ready' } | { type: 'init-error'; error: SerializedError } | { type: 'result'; id: number; response: SQSBatchResponse | null } | { type: 'error'; id: number; error: SerializedError };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}) };
}

/** The error as the handler threw it, as far as name, message, code and stack go. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message) as Error & { code?: string };
  error.name = serialized.name;
  if (serialized.code !== undefined) error.code = serialized.code;
  if (serialized.stack !== undefined) error.stack = serialized.stack;
  return error;
}
