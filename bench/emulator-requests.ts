/**
 * Counts the requests the pipeline makes, where they arrive: at the emulators' HTTP servers
 * (s3rver, dynalite, the local SQS service), through Node's `http.server.request.start` /
 * `http.server.response.finish` diagnostics channels, so no handler or adapter changes to be
 * counted: a measure of work that does not depend on the machine or its load, unlike a time.
 * Also the response bytes each operation sent. DynamoDB's consumed capacity is not on the wire
 * unless asked for: with `capacity` (the default), a wrapper around the SDK's
 * `Client.prototype.send` (the class every v3 client, the DocumentClient included, extends) asks
 * for `ReturnConsumedCapacity: TOTAL` and adds up what dynalite computes — which makes DynamoDB's
 * responses a little larger, so the benchmarks that measure bytes (lift, archive-scale) count
 * without it. The one request counter of the benchmarks (requests, lift, archive-scale).
 */
import diagnostics from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

export type Service = 's3' | 'dynamodb' | 'sqs';

export interface RequestCounts {
  /** `service operation` (S3: verb, and `GET 404` / `HEAD 404` for misses; DynamoDB and SQS: the action) → count. */
  byOperation: Map<string, number>;
  /** DynamoDB capacity units by operation, as dynalite computes them (read and write units together: reads from Get/Query/Scan, writes from Put/Update/Delete). */
  capacity: Map<string, number>;
  /** S3: the distinct keys PUT, by bucket. */
  putKeys: Map<string, Set<string>>;
  /** Response body bytes sent, by the same keys as `byOperation`. */
  bytes: Map<string, number>;
  /**
   * Where requests come from, for the report's breakdowns: `sqs <queue> <job kinds>` → sends
   * (one SendMessageBatch or SendMessage each, by the kinds of the jobs it carries), `s3 HEAD
   * <bucket>/<key pattern>` → HEADs, `dynamodb Query <caller>` → Queries (the first pipeline
   * frame of the call's stack).
   */
  sources: Map<string, number>;
}

export interface RequestCounter {
  /** Counts from the last `reset()` on. */
  snapshot(): RequestCounts;
  reset(): void;
  stop(): void;
}

/** DynamoDB commands that accept `ReturnConsumedCapacity`. */
const CAPACITY_COMMANDS = /^(Get|Put|Update|Delete|Query|Scan|BatchGet|BatchWrite|TransactGet|TransactWrite)(Item)?Command$/;

/**
 * Starts counting the requests arriving at the servers listening on `ports` (port → service).
 * One counter at a time: the SDK wrapper is global to this process.
 */
export function countRequests(ports: ReadonlyMap<number, Service>, options: { capacity?: boolean } = {}): RequestCounter {
  const empty = (): RequestCounts => ({ byOperation: new Map(), capacity: new Map(), putKeys: new Map(), bytes: new Map(), sources: new Map() });
  let counts = empty();
  const pending = new WeakMap<ServerResponse, { service: Service; operation: string; bytes: number }>();
  const add = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);

  const onStart = (message: unknown) => {
    const { request, response, server } = message as { request: IncomingMessage; response: ServerResponse; server: Server };
    const port = (server.address() as AddressInfo | null)?.port;
    const service = port === undefined ? undefined : ports.get(port);
    if (!service) return;
    const operation = operationOf(service, request);
    const started = { service, operation, bytes: 0 };
    pending.set(response, started);
    // Bytes as sent: wrap write/end of this one response (a bench-only observation).
    const write = response.write.bind(response);
    const end = response.end.bind(response);
    const size = (chunk: unknown) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.byteLength : 0);
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      started.bytes += size(chunk);
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof response.write;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') started.bytes += size(chunk);
      return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
    }) as typeof response.end;
    if (service === 's3' && operation === 'HEAD') add(counts.sources, `s3 HEAD ${keyPattern(decodeURIComponent((request.url ?? '/').split('?')[0]!.slice(1)))}`);
    if (service === 's3' && operation === 'PUT') {
      // Path-style: /bucket/key (the clients the stack builds use path-style addressing).
      const [bucket, ...key] = (request.url ?? '/').split('?')[0]!.split('/').filter(Boolean);
      if (bucket) {
        const keys = counts.putKeys.get(bucket) ?? new Set<string>();
        keys.add(decodeURIComponent(key.join('/')));
        counts.putKeys.set(bucket, keys);
      }
    }
  };
  const onFinish = (message: unknown) => {
    const { response } = message as { response: ServerResponse };
    const started = pending.get(response);
    if (!started) return;
    const { service, operation } = started;
    // A miss costs the same as a hit, but it is the figure that shows a look-up nobody needed.
    const miss = service === 's3' && response.statusCode === 404 ? ' 404' : '';
    add(counts.byOperation, `${service} ${operation}${miss}`);
    add(counts.bytes, `${service} ${operation}${miss}`, started.bytes);
  };
  diagnostics.subscribe('http.server.request.start', onStart);
  diagnostics.subscribe('http.server.response.finish', onFinish);

  const clientPrototype = Object.getPrototypeOf(DynamoDBClient.prototype) as { send: (...args: unknown[]) => Promise<unknown> };
  const originalSend = clientPrototype.send;
  const withCapacity = options.capacity !== false;
  clientPrototype.send = async function (this: { config?: { serviceId?: string } }, ...args: unknown[]) {
    const command = args[0] as { constructor: { name: string }; input?: Record<string, unknown> } | undefined;
    const name = command?.constructor.name ?? '';
    const isDynamo = withCapacity && this.config?.serviceId === 'DynamoDB' && CAPACITY_COMMANDS.test(name);
    if (this.config?.serviceId === 'DynamoDB' && name === 'QueryCommand') add(counts.sources, `dynamodb Query ${callerOf(new Error().stack)}`);
    if (this.config?.serviceId === 'SQS' && /^SendMessage(Batch)?Command$/.test(name)) add(counts.sources, `sqs ${sqsSource(command?.input)}`);
    if (isDynamo && command?.input && command.input.ReturnConsumedCapacity === undefined) command.input.ReturnConsumedCapacity = 'TOTAL';
    const output = await originalSend.apply(this, args);
    if (isDynamo) {
      const consumed = (output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] } | undefined)?.ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      add(counts.capacity, name.replace(/Command$/, ''), units);
    }
    return output;
  };

  return {
    snapshot: () => ({ byOperation: new Map(counts.byOperation), capacity: new Map(counts.capacity), putKeys: new Map(counts.putKeys), bytes: new Map(counts.bytes), sources: new Map(counts.sources) }),
    reset() {
      counts = empty();
    },
    stop() {
      diagnostics.unsubscribe('http.server.request.start', onStart);
      diagnostics.unsubscribe('http.server.response.finish', onFinish);
      clientPrototype.send = originalSend;
    },
  };
}

/** `<queue> <kinds>`: the queue's name and the distinct job kinds of the send's messages. */
function sqsSource(input: Record<string, unknown> | undefined): string {
  const url = String(input?.QueueUrl ?? '');
  const queue = url.slice(url.lastIndexOf('/') + 1) || 'unknown';
  const bodies = Array.isArray(input?.Entries) ? (input.Entries as { MessageBody?: string }[]).map((e) => e.MessageBody) : [input?.MessageBody as string | undefined];
  const kinds = new Set<string>();
  for (const body of bodies) {
    let parsed: { kind?: unknown; event?: { type?: unknown }; language?: unknown } | undefined;
    try {
      parsed = JSON.parse(body ?? '') as typeof parsed;
    } catch {
      parsed = undefined;
    }
    kinds.add(typeof parsed?.kind === 'string' ? parsed.kind : typeof parsed?.event?.type === 'string' ? `webhook ${parsed.event.type}` : typeof parsed?.language === 'string' ? 'translate' : 'other');
  }
  return `${queue} ${[...kinds].sort().join('+')}`;
}

/** A key with its release id, language and numbers generalized: `site/de/2024/…` → `site/<lang>/…`. */
function keyPattern(key: string): string {
  return key
    .replace(/\/[a-z]{2,3}(-[A-Za-z]{2,4})?\//g, '/<lang>/')
    .replace(/[0-9a-f]{8,}|\d+/g, '<n>')
    .replace(/[a-z0-9]+(-[a-z0-9]+){3,}/g, '<id>');
}

/** The adapter method and the pipeline function (its first frame outside the adapters) that made a call, from its stack. */
function callerOf(stack: string | undefined): string {
  const frames = (stack ?? '')
    .split('\n')
    .slice(1)
    .filter((frame) => /functions\//.test(frame));
  const name = (frame: string | undefined) => {
    const match = frame === undefined ? null : /at (?:async )?(\S+) \(.*functions\/([^:]+)/.exec(frame);
    return match ? `${match[1]} (${match[2]})` : 'unknown';
  };
  const adapter = frames.find((frame) => /functions\/adapters\//.test(frame));
  const caller = frames.find((frame) => !/functions\/adapters\//.test(frame));
  return `${name(adapter)} ← ${name(caller)}`;
}

/** S3: the verb (a GET without a key is a listing); DynamoDB and SQS: the JSON protocol's target. */
function operationOf(service: Service, request: IncomingMessage): string {
  if (service === 's3') {
    const path = (request.url ?? '/').split('?')[0]!;
    const segments = path.split('/').filter(Boolean);
    if (request.method === 'GET' && segments.length <= 1) return 'LIST';
    if (request.method === 'PUT' && request.headers['x-amz-copy-source']) return 'COPY';
    return request.method ?? 'UNKNOWN';
  }
  const target = String(request.headers['x-amz-target'] ?? '');
  return target.slice(target.indexOf('.') + 1) || 'UNKNOWN';
}

/** Sum of the counts whose key starts with `prefix` (e.g. `s3 GET` counts `s3 GET` and `s3 GET 404`). */
export function total(map: ReadonlyMap<string, number>, prefix = ''): number {
  let sum = 0;
  for (const [key, value] of map) if (prefix === '' || key === prefix || key.startsWith(`${prefix} `)) sum += value;
  return sum;
}

/** Counts as plain records (operation → requests, operation → response bytes), for the lift and archive-scale benchmarks. */
export interface OperationCounts {
  requests: Record<string, number>;
  bytes: Record<string, number>;
}

/**
 * Counts the requests to the S3 and DynamoDB emulators at `s3Endpoint` / `dynamoEndpoint`, without
 * asking DynamoDB for its capacity (the responses keep their size). `take()` returns the counts
 * since the last `take()` (or the start) and resets them.
 */
export function countEmulatorRequests(endpoints: { s3Endpoint: string; dynamoEndpoint: string }): { take(): OperationCounts; stop(): void } {
  const counter = countRequests(
    new Map([
      [Number(new URL(endpoints.s3Endpoint).port), 's3' as const],
      [Number(new URL(endpoints.dynamoEndpoint).port), 'dynamodb' as const],
    ]),
    { capacity: false },
  );
  return {
    take() {
      const counts = counter.snapshot();
      counter.reset();
      return { requests: Object.fromEntries(counts.byOperation), bytes: Object.fromEntries(counts.bytes) };
    },
    stop: () => counter.stop(),
  };
}

/** Sum of a record's counts whose key starts with `prefix`. */
export function totalOf(counts: Record<string, number>, prefix = ''): number {
  return Object.entries(counts).reduce((sum, [key, n]) => (key.startsWith(prefix) ? sum + n : sum), 0);
}

/** `12 s3 GET, 40 s3 PUT, …` sorted by operation, for notes. */
export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${Math.round(n)} ${key}`)
    .join(', ');
}
