/**
 * `LiftScheduler` on EventBridge Scheduler for holds longer than SQS's 15-minute delay: one
 * one-time `at(...)` schedule per release, firing a minute before the instant (Scheduler's
 * precision is about a minute) and sending the lift job to the lifecycle queue; the lifecycle
 * stage then delays it with `DelaySeconds` to the exact second. Schedules are named after the
 * release, so a new hold time updates the same schedule, and deleted after they fire.
 */
import { createHash } from 'node:crypto';
import { ConflictException, CreateScheduleCommand, UpdateScheduleCommand, type CreateScheduleCommandInput, type SchedulerClient } from '@aws-sdk/client-scheduler';
import { MAX_DELAY_SECONDS, type LiftJob } from '../../core/lifecycle';
import type { LiftScheduler } from '../../ports';
import type { Clock } from '../../ports';

export interface EventBridgeLiftSchedulerOptions {
  client: SchedulerClient;
  /** The schedule group the function may write to (its IAM policy names only this group). */
  groupName: string;
  /** The role Scheduler assumes to send to the lifecycle queue (sqs:SendMessage on it only). */
  roleArn: string;
  lifecycleQueueArn: string;
  /** Holds within SQS's delay limit go straight to the queue. */
  near: LiftScheduler;
  clock: Clock;
}

/** How early the schedule fires: Scheduler's one-minute precision, and one more for safety. */
export const SCHEDULE_LEAD_SECONDS = 120;

/** Schedule names: 1–64 of [0-9a-zA-Z-_.]; a release id can be 128, so long ids are hashed. */
export function scheduleNameOf(releaseId: string): string {
  const name = `lift-${releaseId}`;
  return name.length <= 64 ? name : `lift-${createHash('sha256').update(releaseId).digest('hex').slice(0, 40)}`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, `SCHEDULE_LEAD_SECONDS` before the instant. */
export function scheduleExpressionOf(until: string): string {
  const fire = new Date(Date.parse(until) - SCHEDULE_LEAD_SECONDS * 1000);
  return `at(${fire.toISOString().slice(0, 19)})`;
}

export class EventBridgeLiftScheduler implements LiftScheduler {
  constructor(private readonly options: EventBridgeLiftSchedulerOptions) {}

  async schedule(job: LiftJob): Promise<void> {
    const { options } = this;
    if (job.until === undefined || Date.parse(job.until) - options.clock.now().getTime() <= MAX_DELAY_SECONDS * 1000) {
      return options.near.schedule(job);
    }
    const input: CreateScheduleCommandInput = {
      Name: scheduleNameOf(job.releaseId),
      GroupName: options.groupName,
      ScheduleExpression: scheduleExpressionOf(job.until),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: options.lifecycleQueueArn,
        RoleArn: options.roleArn,
        Input: JSON.stringify(job),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
      },
      Description: `polywire: lift ${job.releaseId} at ${job.until}`,
    };
    try {
      await options.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      // A reschedule: the release's schedule exists; move it.
      if (!(error instanceof ConflictException) && (error as Error).name !== 'ConflictException') throw error;
      await options.client.send(new UpdateScheduleCommand(input));
    }
  }
}
