/**
 * A handler worker thread: the local stand-in for one warm Lambda container. It builds its
 * stage's handler once, from the module and environment it was given (nothing is shared with the
 * stack's thread but messages), then runs one batch at a time. The pool ends the thread when an
 * invocation passes its timeout or the heap passes the function's memory, as Lambda ends a
 * container.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { SQSEvent } from 'aws-lambda';
import { lambdaContext, type SqsHandler } from '../runner';
import { serializeError, type FromWorker, type ToWorker, type WorkerInit } from './protocol';

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (message: FromWorker) => port.postMessage(message);

/** Imports the handler module in this thread; its module scope reads `process.env` (set first). */
async function loadHandler(init: WorkerInit): Promise<SqsHandler> {
  // As bin/polywire.mjs does for the CLI: the SDK's Node 22 notice concerns the lockfile, not each worker.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  Object.assign(process.env, init.environment);
  const module = (await import(init.moduleUrl)) as { handler?: unknown };
  if (typeof module.handler !== 'function') throw new Error(`${init.moduleUrl} does not export a handler function`);
  return module.handler as SqsHandler;
}

try {
  const handler = await loadHandler(init);
  port.on('message', (message: ToWorker) => {
    if (message.type !== 'invoke') return;
    const context = { ...lambdaContext(init.functionName, message.deadline), memoryLimitInMB: String(init.memoryMb) };
    Promise.resolve()
      .then(() => handler(message.event as SQSEvent, context))
      .then(
        (response) => send({ type: 'result', id: message.id, response: response ?? null }),
        (error: unknown) => send({ type: 'error', id: message.id, error: serializeError(error) }),
      );
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'init-error', error: serializeError(error) });
}
