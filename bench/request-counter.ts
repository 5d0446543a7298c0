/**
 * Counts the requests the embedded emulators (s3rver, dynalite) answer in this process, by
 * operation, with the response bytes: a measure of work that does not depend on the machine or
 * its load, unlike a time. Observed through Node's `http.server.request.start` diagnostics
 * channel, so no handler, adapter or emulator changes for it.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface RequestCounts {
  /** `s3 GET`, `s3 PUT`, `s3 LIST`, `dynamodb Query` … → requests answered. */
  requests: Record<string, number>;
  /** Same keys → response body bytes sent (Content-Length, or the bytes written). */
  bytes: Record<string, number>;
}

export function totalOf(counts: Record<string, number>, prefix = ''): number {
  return Object.entries(counts).reduce((sum, [key, n]) => (key.startsWith(prefix) ? sum + n : sum), 0);
}

/** `s3 GET` / `s3 PUT` / `s3 LIST` / `s3 HEAD` / `s3 DELETE` / `s3 COPY`, or `dynamodb <Operation>`. */
function operationOf(request: IncomingMessage, ports: { s3: number; dynamo: number }, port: number): string | undefined {
  if (port === ports.dynamo) {
    const target = request.headers['x-amz-target'];
    return `dynamodb ${typeof target === 'string' ? target.slice(target.indexOf('.') + 1) : request.method}`;
  }
  if (port !== ports.s3) return undefined;
  const url = request.url ?? '/';
  const method = request.method ?? 'GET';
  const path = url.split('?')[0]!.split('/').filter(Boolean);
  if (method === 'GET' && path.length <= 1) return 's3 LIST';
  if (method === 'PUT' && request.headers['x-amz-copy-source']) return 's3 COPY';
  return `s3 ${method}`;
}

/**
 * Starts counting requests to the emulators on `s3Endpoint` / `dynamoEndpoint`. `take()` returns
 * the counts since the last `take()` (or the start) and resets them.
 */
export function countEmulatorRequests(endpoints: { s3Endpoint: string; dynamoEndpoint: string }): { take(): RequestCounts; stop(): void } {
  const ports = { s3: Number(new URL(endpoints.s3Endpoint).port), dynamo: Number(new URL(endpoints.dynamoEndpoint).port) };
  let counts: RequestCounts = { requests: {}, bytes: {} };
  const onRequest = (message: unknown) => {
    const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
    const port = request.socket.localPort ?? 0;
    const operation = operationOf(request, ports, port);
    if (!operation) return;
    const bucket = counts;
    bucket.requests[operation] = (bucket.requests[operation] ?? 0) + 1;
    // Bytes as sent: wrap write/end of this one response (a bench-only observation).
    let sent = 0;
    const write = response.write.bind(response);
    const end = response.end.bind(response);
    const size = (chunk: unknown) => (typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.byteLength : 0);
    response.write = ((chunk: unknown, ...rest: unknown[]) => {
      sent += size(chunk);
      return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof response.write;
    response.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (chunk !== undefined && typeof chunk !== 'function') sent += size(chunk);
      bucket.bytes[operation] = (bucket.bytes[operation] ?? 0) + sent;
      return (end as (...args: unknown[]) => ServerResponse)(chunk, ...rest);
    }) as typeof response.end;
  };
  subscribe('http.server.request.start', onRequest);
  return {
    take() {
      const taken = counts;
      counts = { requests: {}, bytes: {} };
      return taken;
    },
    stop() {
      unsubscribe('http.server.request.start', onRequest);
    },
  };
}

/** `12 s3 GET, 40 s3 PUT, …` sorted by operation, for notes. */
export function describeCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, n]) => `${Math.round(n)} ${key}`)
    .join(', ');
}
