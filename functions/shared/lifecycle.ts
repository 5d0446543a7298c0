/**
 * The lifecycle adapters (lifecycle store, lifecycle queue, lift scheduler) for the handlers,
 * from the configuration: the SQS-delay scheduler alone on the local stack, EventBridge Scheduler
 * for long holds when the deployment names a schedule group.
 */
import { DynamoDbLifecycleStore } from '../adapters/dynamodb/lifecycle-store';
import { lazyEventBridgeLiftScheduler } from '../adapters/scheduler/lazy';
import { SqsJobQueue } from '../adapters/sqs/job-queue';
import { SqsLiftScheduler } from '../adapters/sqs/lift-scheduler';
import type { BaseConfig } from '../base-config';
import type { Clock, JobQueue, LifecycleStore, LiftScheduler } from '../ports';
import type { AwsClients } from './aws';

export interface LifecycleAdapters {
  lifecycle: LifecycleStore;
  lifecycleQueue?: JobQueue;
  scheduler?: LiftScheduler;
}

export function createLifecycleAdapters(config: BaseConfig, clients: AwsClients, clock: Clock): LifecycleAdapters {
  const lifecycle = new DynamoDbLifecycleStore({ client: clients.dynamo, tableName: config.tableName });
  if (!config.lifecycleQueueUrl) return { lifecycle };
  const lifecycleQueue = new SqsJobQueue({ client: clients.sqs, queueUrl: config.lifecycleQueueUrl });
  const near = new SqsLiftScheduler({ queue: lifecycleQueue, clock });
  // The Scheduler client loads on the first hold beyond SQS's delay (adapters/scheduler/lazy.ts).
  const scheduler = config.liftScheduler ? lazyEventBridgeLiftScheduler({ ...config.liftScheduler, near, clock }) : near;
  return { lifecycle, lifecycleQueue, scheduler };
}
