/**
 * The HTTP client that talks to subscriber endpoints: an undici dispatcher whose every new
 * connection goes through the address policy. Literal IP hosts are checked before connecting,
 * hostnames inside the socket's own DNS lookup (so the checked answer is the one connected to),
 * and the connected peer address once more afterwards.
 */
import type { Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import { assertAllowedHost, blockedAddressReason, BlockedAddressError, createCheckedLookup, type AddressPolicyOptions, type Resolver } from './address-policy';

/** Standard Webhooks receivers are told to answer fast; 15 s is the sender-side budget. */
export const DEFAULT_WEBHOOK_TIMEOUT_MS = 15_000;

export interface WebhookDispatcherOptions extends AddressPolicyOptions {
  /** Connect, headers and body timeout, each (ms). The request as a whole has the same budget. */
  timeoutMs?: number;
  /** DNS resolver; the system's by default. Tests inject fake answers. */
  resolve?: Resolver;
}

/**
 * Creates the dispatcher for webhook requests. Create it once per process and pass it to every
 * `deliverWebhook` call so connections are reused.
 *
 * @example
 * const dispatcher = createWebhookDispatcher();
 * await deliverWebhook(subscription, job, { dispatcher });
 */
export function createWebhookDispatcher(options: WebhookDispatcherOptions = {}): Agent {
  const timeout = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const policy: AddressPolicyOptions = { allowLoopback: options.allowLoopback ?? false };
  const connectChecked = buildConnector({
    timeout,
    lookup: createCheckedLookup({ ...policy, ...(options.resolve ? { resolve: options.resolve } : {}) }),
  });

  const connect: buildConnector.connector = (connectOptions, callback) => {
    try {
      assertAllowedHost(connectOptions.hostname, policy);
    } catch (error) {
      callback(error as Error, null);
      return;
    }
    connectChecked(connectOptions, (error, socket) => {
      if (error) {
        callback(error, null);
        return;
      }
      // Belt and braces: whatever path led here, the peer we are connected to must be allowed.
      const peer = (socket as Socket).remoteAddress ?? '';
      const reason = blockedAddressReason(peer, policy);
      if (reason) {
        socket!.destroy();
        callback(new BlockedAddressError(connectOptions.hostname, peer, reason), null);
        return;
      }
      callback(null, socket!);
    });
  };

  return new Agent({
    connect,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    // A short keep-alive: subscribers are many and calls to one of them are sparse.
    keepAliveTimeout: 4_000,
  });
}
