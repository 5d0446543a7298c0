/**
 * Partial batch responses with Powertools: a failed record is reported in `batchItemFailures`
 * and retried alone. A processor is created per invocation because it holds the batch's state.
 */
import {
  BatchProcessor,
  EventType,
  processPartialResponse,
  SqsFifoPartialProcessorAsync,
} from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/** Standard queue: records in parallel, each failing on its own. */
export async function processStandardBatch(
  event: SQSEvent,
  recordHandler: (record: SQSRecord) => Promise<unknown>,
  context: Context,
): Promise<SQSBatchResponse> {
  return processPartialResponse(event, recordHandler, new BatchProcessor(EventType.SQS), {
    context,
    throwOnFullBatchFailure: false,
  });
}

/**
 * FIFO queue: records in order; after a failure the rest of that message group is failed too
 * (kept in order for the retry) while other groups go on.
 */
export async function processFifoBatch(
  event: SQSEvent,
  recordHandler: (record: SQSRecord) => Promise<unknown>,
  context: Context,
): Promise<SQSBatchResponse> {
  return processPartialResponse(event, recordHandler, new SqsFifoPartialProcessorAsync(), {
    context,
    skipGroupOnError: true,
    throwOnFullBatchFailure: false,
  });
}
