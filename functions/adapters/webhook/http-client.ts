/**
 * The HTTP client that talks to subscriber endpoints: Node's own `http`/`https` agents whose every
 * new connection goes through the address policy. Literal IP hosts are checked before connecting,
 * hostnames inside the socket's own DNS lookup (so the checked answer is the one connected to),
 * and the connected peer address once more before a byte is written.
 *
 * Node's built-in client rather than undici: the deliver function loads this on every cold start,
 * and a bundled undici was half of its start-up code (523 KiB). `node:http` never follows
 * redirects, which is what a webhook sender must do.
 */
import type { Agent as AgentType, ClientRequestArgs, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { assertAllowedHost, blockedAddressReason, BlockedAddressError, createCheckedLookup, type AddressPolicyOptions, type Resolver } from './address-policy';

// Not `import { Agent } from 'node:http'`: for an ES module import, Node.js 24 (Lambda's runtime)
// builds the builtin's module namespace, which reads every export, and `http`'s lazy exports load
// Node's own bundled undici, http2, worker_threads and perf_hooks — more instructions than all the
// rest of deliver's import (`npm run bench -- --only cold-start` counts both runtimes).
// `getBuiltinModule` hands over the CommonJS exports without reading them (Node.js 20.16+, 22.3+).
const { Agent: HttpAgent, request: httpRequest } = process.getBuiltinModule('node:http');

/** Standard Webhooks receivers are told to answer fast; 15 s is the sender-side budget. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;

/** A short keep-alive: subscribers are many and calls to one of them are sparse. */
const KEEP_ALIVE_IDLE_MS = 4_000;

export interface WebhookDispatcherOptions extends AddressPolicyOptions {
  /** Budget of a request (ms) when the caller gives none. */
  timeoutMs?: number;
  /** DNS resolver; the system's by default. Tests inject fake answers. */
  resolve?: Resolver;
}

export interface WebhookRequest {
  method?: 'POST' | 'GET';
  headers?: Readonly<Record<string, string>>;
  body?: string;
  /** Budget of the whole request, connecting to the end of the body (ms). */
  timeoutMs?: number;
}

export interface WebhookResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as it arrives: read what you need, then `destroy()` it. */
  body: IncomingMessage;
}

/** Sends requests to subscriber endpoints through the checked connections. One per process. */
export interface WebhookDispatcher {
  request(url: string, options?: WebhookRequest): Promise<WebhookResponse>;
  /** Closes idle connections; requests in flight are cut. */
  close(): Promise<void>;
}

type CreateConnection = (options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) => Duplex | null | undefined;

/**
 * Wraps an agent's `createConnection` with the address policy: a literal IP host is refused before
 * any socket exists (sockets skip the lookup for literal addresses), and a socket whose peer turns
 * out to be blocked is destroyed on `connect`, before the request writes to it (Node flushes
 * pending writes in a `connect` listener registered later than this one).
 */
function guardConnections<A extends AgentType>(agent: A, policy: AddressPolicyOptions): A {
  const original = agent.createConnection.bind(agent) as CreateConnection;
  const guarded: CreateConnection = (options, callback) => {
    const host = options.host ?? options.hostname ?? '';
    try {
      assertAllowedHost(host, policy);
    } catch (error) {
      callback?.(error as Error, undefined as unknown as Duplex);
      return undefined;
    }
    const socket = original(options) as Socket;
    socket.once('connect', () => {
      // Belt and braces: whatever path led here, the peer we are connected to must be allowed.
      const peer = socket.remoteAddress ?? '';
      const reason = blockedAddressReason(peer, policy);
      if (reason) socket.destroy(new BlockedAddressError(host, peer, reason));
    });
    return socket;
  };
  agent.createConnection = guarded as A['createConnection'];
  return agent;
}

/**
 * Creates the client for webhook requests. Create it once per process and pass it to every
 * `deliverWebhook` call so connections are reused.
 *
 * @example
 * const dispatcher = createWebhookDispatcher();
 * await deliverWebhook(subscription, job, { dispatcher });
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions = {}): WebhookDispatcher {
  const defaultTimeout = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const policy: AddressPolicyOptions = { allowLoopback: options.allowLoopback ?? false };
  // The socket resolves through this lookup and connects to the address it returns: no second resolution.
  const lookup = createCheckedLookup({ ...policy, ...(options.resolve ? { resolve: options.resolve } : {}) });
  const agentOptions = { keepAlive: true, timeout: KEEP_ALIVE_IDLE_MS, lookup };
  const http = guardConnections(new HttpAgent(agentOptions), policy);
  const https = guardConnections(new HttpsAgent(agentOptions), policy);

  return {
    request(url, request = {}) {
      const target = new URL(url);
      if (target.protocol !== 'http:' && target.protocol !== 'https:') return Promise.reject(new Error(`webhooks are sent over http(s), not ${target.protocol}`));
      const secure = target.protocol === 'https:';
      const body = request.body ?? '';
      const headers = { ...request.headers, ...(request.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) };
      const signal = AbortSignal.timeout(request.timeoutMs ?? defaultTimeout);
      return new Promise<WebhookResponse>((resolve, reject) => {
        const send = secure ? httpsRequest : httpRequest;
        const outgoing = send(target, { method: request.method ?? 'POST', headers, agent: secure ? https : http, signal }, (response) => {
          resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, body: response });
        });
        outgoing.on('error', reject);
        outgoing.end(request.body);
      });
    },
    async close() {
      http.destroy();
      https.destroy();
    },
  };
}
