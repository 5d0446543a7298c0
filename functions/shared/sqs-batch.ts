/**
 * Partial batch responses with Powertools: a failed record is reported in `batchItemFailures`
 * and retried alone. A processor is created per invocation because it holds the batch's state.
 */
import { BatchProcessor, EventType, processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MessageVisibility } from '../ports';

/**
 * Standard queue: records in parallel, each failing on its own. With `visibility`, a record that
 * fails with an error naming `retryAfterMs` (another delivery holds its lease) is hidden that
 * long before it is reported, so its retry does not spend a receive inside the lease.
 */
export async function processStandardBatch(event: SQSEvent, recordHandler: (record: SQSRecord) => Promise<unknown>, context: Context, visibility?: MessageVisibility): Promise<SQSBatchResponse> {
  const handler = visibility ? retryingLater(recordHandler, visibility) : recordHandler;
  return processPartialResponse(event, handler, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
  });
}

/**
 * FIFO queue: records in order; after a failure the rest of that message group is failed too
 * (kept in order for the retry) while other groups go on.
 */
export async function processFifoBatch(event: SQSEvent, recordHandler: (record: SQSRecord) => Promise<unknown>, context: Context): Promise<SQSBatchResponse> {
  return processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
    context,
    skipGroupOnError: true,
    throwOnFullBatchFailure: false,
  });
}

function retryingLater(recordHandler: (record: SQSRecord) => Promise<unknown>, visibility: MessageVisibility) {
  return async (record: SQSRecord): Promise<unknown> => {
    try {
      return await recordHandler(record);
    } catch (error) {
      const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
      if (typeof retryAfterMs === 'number' && retryAfterMs > 0) {
        // Best effort: if hiding fails, the queue's own visibility timeout still delays the retry.
        await visibility.hide(record.receiptHandle, retryAfterMs / 1000).catch(() => undefined);
      }
      throw error;
    }
  };
}
