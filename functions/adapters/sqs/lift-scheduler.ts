/**
 * `LiftScheduler` on the lifecycle queue alone: the lift message is sent with `DelaySeconds` up
 * to SQS's 15 minutes; a longer hold arrives early and the lifecycle stage delays it again, hop by
 * hop, until its second. The local stack uses it for every hold; the cloud for holds within 15
 * minutes (longer ones go through EventBridge Scheduler, see `adapters/scheduler`).
 */
import { liftDelaySeconds, type LiftJob } from '../../core/lifecycle';
import type { Clock, JobQueue, LiftScheduler } from '../../ports';

export class SqsLiftScheduler implements LiftScheduler {
  constructor(private readonly options: { queue: JobQueue; clock: Clock }) {}

  async schedule(job: LiftJob): Promise<void> {
    const delaySeconds = job.until === undefined ? 0 : liftDelaySeconds(job.until, this.options.clock.now());
    await this.options.queue.send([{ body: job, delaySeconds }]);
  }
}
