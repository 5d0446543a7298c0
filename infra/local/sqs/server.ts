/**
 * A loopback SQS endpoint speaking the subset of the SQS JSON protocol (`x-amz-json-1.0`,
 * `X-Amz-Target: AmazonSQS.<Action>`) that polywire's handlers and tools use, so the handlers'
 * real `@aws-sdk/client-sqs` adapter runs unchanged against it via `AWS_ENDPOINT_URL_SQS`.
 *
 * Signatures are not checked (the emulators accept the fixed local credentials anyway).
 */
// biome-ignore-all lint/suspicious/noExplicitAny: request bodies are the SQS JSON protocol's untyped objects, validated field by field.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_ACCOUNT_ID, LocalQueue, md5, SqsRequestError, type MessageAttributeValue, type QueueOptions, type SendInput } from './queue';

export interface LocalSqsOptions {
  host?: string;
  /** 0 = any free port. */
  port?: number;
  queues: QueueOptions[];
}

export interface LocalSqs {
  endpoint: string;
  queues: Map<string, LocalQueue>;
  queue(name: string): LocalQueue;
  queueUrl(name: string): string;
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.0';

/** Starts the queue service with the given queues. */
export async function startLocalSqs(options: LocalSqsOptions): Promise<LocalSqs> {
  const host = options.host ?? '127.0.0.1';
  const queues = new Map(options.queues.map((q) => [q.name, new LocalQueue(q)]));
  let endpoint = '';
  const queueUrl = (name: string) => `${endpoint}/${LOCAL_ACCOUNT_ID}/${name}`;
  const byUrl = (url: unknown): LocalQueue => {
    if (typeof url !== 'string') throw new SqsRequestError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    const name = url.split('/').pop() ?? '';
    const queue = queues.get(name);
    if (!queue) throw nonExistentQueue();
    return queue;
  };

  const actions: Record<string, (input: Record<string, any>) => unknown> = {
    GetQueueUrl: (input) => {
      if (!queues.has(input.QueueName)) throw nonExistentQueue();
      return { QueueUrl: queueUrl(input.QueueName) };
    },
    ListQueues: (input) => ({
      QueueUrls: [...queues.keys()].filter((n) => n.startsWith(input.QueueNamePrefix ?? '')).map(queueUrl),
    }),
    GetQueueAttributes: (input) => {
      const queue = byUrl(input.QueueUrl);
      const counts = queue.counts();
      return {
        Attributes: {
          QueueArn: queue.arn,
          ApproximateNumberOfMessages: String(counts.visible),
          ApproximateNumberOfMessagesNotVisible: String(counts.notVisible),
          ApproximateNumberOfMessagesDelayed: String(counts.delayed),
          VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
          ...(queue.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: String(queue.contentBasedDeduplication) } : {}),
        },
      };
    },
    SendMessage: async (input) => {
      const queue = byUrl(input.QueueUrl);
      const result = queue.send(sendInput(input));
      // Acknowledged only once on disk, as SQS acknowledges only stored messages.
      await queue.durable();
      return {
        MessageId: result.messageId,
        MD5OfMessageBody: result.md5OfBody,
        ...(result.md5OfMessageAttributes ? { MD5OfMessageAttributes: result.md5OfMessageAttributes } : {}),
        ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}),
      };
    },
    SendMessageBatch: async (input) => {
      const queue = byUrl(input.QueueUrl);
      const entries = (input.Entries ?? []) as Record<string, any>[];
      if (entries.length === 0) throw new SqsRequestError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
      if (entries.length > 10) throw new SqsRequestError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`);
      const ids = new Set(entries.map((e) => e.Id));
      if (ids.size !== entries.length) throw new SqsRequestError('BatchEntryIdsNotDistinct', 'Two or more batch entries in the request have the same Id.');
      const total = entries.reduce((sum, e) => sum + Buffer.byteLength(String(e.MessageBody ?? '')), 0);
      if (total > 256 * 1024) throw new SqsRequestError('BatchRequestTooLong', 'Batch requests cannot be longer than 262144 bytes.');
      const Successful: Record<string, unknown>[] = [];
      const Failed: Record<string, unknown>[] = [];
      for (const entry of entries) {
        try {
          const result = queue.send(sendInput(entry));
          Successful.push({
            Id: entry.Id,
            MessageId: result.messageId,
            MD5OfMessageBody: result.md5OfBody,
            ...(result.md5OfMessageAttributes ? { MD5OfMessageAttributes: result.md5OfMessageAttributes } : {}),
            ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}),
          });
        } catch (error) {
          if (!(error instanceof SqsRequestError)) throw error;
          Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
        }
      }
      await queue.durable();
      return { Successful, Failed };
    },
    ReceiveMessage: (input) => {
      const queue = byUrl(input.QueueUrl);
      const messages = queue.receive(input.MaxNumberOfMessages ?? 1, input.VisibilityTimeout);
      return {
        Messages: messages.map((m) => ({
          MessageId: m.messageId,
          ReceiptHandle: m.receiptHandle,
          Body: m.body,
          MD5OfBody: md5(m.body),
          Attributes: {
            ApproximateReceiveCount: String(m.receiveCount),
            SentTimestamp: String(m.sentTimestamp),
            ApproximateFirstReceiveTimestamp: String(m.firstReceiveTimestamp),
            ...(m.groupId ? { MessageGroupId: m.groupId, MessageDeduplicationId: m.deduplicationId, SequenceNumber: m.sequenceNumber } : {}),
          },
          ...(m.messageAttributes ? { MessageAttributes: m.messageAttributes } : {}),
        })),
      };
    },
    DeleteMessage: (input) => {
      byUrl(input.QueueUrl).delete(input.ReceiptHandle);
      return {};
    },
    ChangeMessageVisibility: (input) => {
      byUrl(input.QueueUrl).changeVisibility(input.ReceiptHandle, input.VisibilityTimeout);
      return {};
    },
    PurgeQueue: (input) => {
      byUrl(input.QueueUrl).drainAll();
      return {};
    },
  };

  const server = createServer((request, response) => {
    void handle(request, response);
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      const target = String(request.headers['x-amz-target'] ?? '');
      const action = target.startsWith('AmazonSQS.') ? actions[target.slice('AmazonSQS.'.length)] : undefined;
      if (request.method !== 'POST' || !action) throw new SqsRequestError('UnsupportedOperation', `Operation ${target || '(none)'} is not supported by the local SQS service.`);
      const raw = await readBody(request);
      const input = raw.length ? (JSON.parse(raw) as Record<string, any>) : {};
      reply(response, 200, await action(input));
    } catch (error) {
      if (error instanceof SqsRequestError) {
        response.setHeader('x-amzn-query-error', `${queryErrorCode(error.code)};Sender`);
        reply(response, error.status, { __type: `com.amazonaws.sqs#${error.code}`, message: error.message });
      } else if (error instanceof SyntaxError) {
        reply(response, 400, { __type: 'com.amazonaws.sqs#InvalidParameterValue', message: `Malformed JSON body: ${error.message}` });
      } else {
        reply(response, 500, { __type: 'com.amazonaws.sqs#InternalError', message: String(error) });
      }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  endpoint = `http://${host}:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    queues,
    queueUrl,
    queue: (name) => {
      const queue = queues.get(name);
      if (!queue) throw new Error(`no local queue named ${name}`);
      return queue;
    },
    close: async () => {
      await closeServer(server);
      for (const queue of queues.values()) queue.close();
    },
  };
}

function sendInput(input: Record<string, any>): SendInput {
  return {
    body: String(input.MessageBody ?? ''),
    delaySeconds: input.DelaySeconds,
    groupId: input.MessageGroupId,
    deduplicationId: input.MessageDeduplicationId,
    messageAttributes: input.MessageAttributes as Record<string, MessageAttributeValue> | undefined,
  };
}

function nonExistentQueue(): SqsRequestError {
  return new SqsRequestError('QueueDoesNotExist', 'The specified queue does not exist.');
}

function queryErrorCode(code: string): string {
  return code === 'QueueDoesNotExist' ? 'AWS.SimpleQueueService.NonExistentQueue' : code;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Closes a server and drops idle keep-alive sockets, so nothing is left listening. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
