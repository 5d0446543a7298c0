/**
 * `polywire dlq`: list, redrive and purge the local dead letters. A redrive moves messages back
 * to their source queue as SQS's own redrive does: through the SQS API of the running stack, or,
 * when the stack is stopped, into the saved queue it sends on its next start.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { InputError } from '../../functions/core/errors';
import { DeadLetterStore, type DeadLetter } from './dead-letters';
import { LOCAL_ACCOUNT_ID } from './sqs/queue';
import { appendSavedMessages } from './saved-queues';
import { readStackFile } from './stack-file';

export function deadLetterStore(dataDir: string): DeadLetterStore {
  return new DeadLetterStore(join(dataDir, 'dlq'));
}

export interface RedriveOptions {
  dataDir: string;
  queue?: string;
  /** Message ids; none = every dead letter (of `queue`, if given). */
  ids?: readonly string[];
}

export interface RedriveResult {
  redriven: DeadLetter[];
  /** `running`: sent to the live stack; `saved`: queued for the next start. */
  via: 'running' | 'saved';
}

/** Moves dead letters back to their queues. Unknown ids are an input error, before anything moves. */
export async function redriveDeadLetters(options: RedriveOptions): Promise<RedriveResult> {
  const store = deadLetterStore(options.dataDir);
  const all = store.list(options.queue);
  let selected = all;
  if (options.ids && options.ids.length > 0) {
    const unknown = options.ids.filter((id) => !all.some((l) => l.messageId === id));
    if (unknown.length > 0) {
      throw new InputError('DLQ_UNKNOWN_MESSAGE', `no dead letter with id ${unknown.join(', ')}${options.queue ? ` in ${options.queue}` : ''}`, {}, 'run `polywire dlq` to list them');
    }
    selected = all.filter((l) => options.ids!.includes(l.messageId));
  }
  const stack = readStackFile(options.dataDir);
  if (stack?.sqsEndpoint) {
    const client = new SQSClient({
      endpoint: stack.sqsEndpoint,
      region: stack.environment.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: stack.environment.AWS_ACCESS_KEY_ID ?? 'S3RVER', secretAccessKey: stack.environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER' },
    });
    try {
      for (const letter of selected) {
        const result = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: `${stack.sqsEndpoint}/${LOCAL_ACCOUNT_ID}/${letter.queue}`,
            Entries: [
              {
                Id: '0',
                MessageBody: letter.body,
                ...(letter.groupId ? { MessageGroupId: letter.groupId, MessageDeduplicationId: redriveDeduplicationId(letter) } : {}),
              },
            ],
          }),
        );
        if (result.Failed?.length) throw new Error(`redrive of ${letter.messageId} failed: ${result.Failed[0]!.Message ?? result.Failed[0]!.Code}`);
        store.remove(letter.queue, letter.messageId);
      }
    } finally {
      client.destroy();
    }
    return { redriven: selected, via: 'running' };
  }
  for (const letter of selected) {
    appendSavedMessages(options.dataDir, letter.queue, [{ body: letter.body, ...(letter.groupId ? { groupId: letter.groupId, deduplicationId: redriveDeduplicationId(letter) } : {}) }]);
    store.remove(letter.queue, letter.messageId);
  }
  return { redriven: selected, via: 'saved' };
}

/** A redriven FIFO message must not be dropped as a duplicate of its own first send. */
function redriveDeduplicationId(letter: DeadLetter): string {
  return `redrive-${letter.messageId}-${randomUUID()}`.slice(0, 128);
}
