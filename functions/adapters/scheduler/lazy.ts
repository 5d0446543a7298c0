/**
 * The EventBridge lift scheduler without the Scheduler client in the start-up code of the
 * functions that schedule lifts (ingest, publish, lifecycle): only holds longer than SQS's
 * 15-minute delay need it, so the client, its commands and the adapter load on the first such hold.
 */
import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import { MAX_DELAY_SECONDS } from '../../core/lifecycle';
import type { LiftScheduler } from '../../ports';
import type { EventBridgeLiftSchedulerOptions } from './lift-scheduler';

/**
 * `EventBridgeLiftScheduler` (./lift-scheduler.ts) with its client built on first use; holds
 * within the delay go to `near` without loading anything. `onClient` sees the client once.
 *
 * @example
 * const scheduler = lazyEventBridgeLiftScheduler({ groupName, roleArn, lifecycleQueueArn, near, clock });
 */
export function lazyEventBridgeLiftScheduler(options: Omit<EventBridgeLiftSchedulerOptions, 'client'>, onClient?: (client: SchedulerClient) => void): LiftScheduler {
  let loading: Promise<LiftScheduler> | undefined;
  const load = async (): Promise<LiftScheduler> => {
    const [{ SchedulerClient }, { EventBridgeLiftScheduler }] = await Promise.all([import('@aws-sdk/client-scheduler'), import('./lift-scheduler')]);
    const client = new SchedulerClient({});
    onClient?.(client);
    return new EventBridgeLiftScheduler({ ...options, client });
  };
  return {
    async schedule(job) {
      // The same test as EventBridgeLiftScheduler's, so a near hold never loads the client.
      if (job.until === undefined || Date.parse(job.until) - options.clock.now().getTime() <= MAX_DELAY_SECONDS * 1000) return options.near.schedule(job);
      loading ??= load().catch((error: unknown) => {
        // A failed load is tried again by the retried batch, not remembered.
        loading = undefined;
        throw error;
      });
      await (await loading).schedule(job);
    },
  };
}
