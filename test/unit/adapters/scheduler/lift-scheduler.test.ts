import { describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { ConflictException, CreateScheduleCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { lazyEventBridgeLiftScheduler } from '../../../../functions/adapters/scheduler/lazy';
import { EventBridgeLiftScheduler, scheduleNameOf } from '../../../../functions/adapters/scheduler/lift-scheduler';
import type { LiftJob } from '../../../../functions/core/lifecycle';
import type { LiftScheduler } from '../../../../functions/ports';

const NOW = new Date('2027-01-15T08:00:00.000Z');
const GROUP = 'polywire-lifts';
const ROLE = 'arn:aws:iam::123456789012:role/polywire-pipeline-LiftSchedulingRole';
const QUEUE = 'arn:aws:sqs:eu-central-1:123456789012:polywire-lifecycle';

/** Test double of the near scheduler (the SQS-delay one): records what it was handed. */
class RecordingNearScheduler implements LiftScheduler {
  readonly jobs: LiftJob[] = [];
  async schedule(job: LiftJob): Promise<void> {
    this.jobs.push(job);
  }
}

function setup() {
  const client = mockClient(SchedulerClient);
  const near = new RecordingNearScheduler();
  const scheduler = new EventBridgeLiftScheduler({
    client: new SchedulerClient({ region: 'eu-central-1' }),
    groupName: GROUP,
    roleArn: ROLE,
    lifecycleQueueArn: QUEUE,
    near,
    clock: { now: () => NOW },
  });
  return { client, near, scheduler };
}

describe('EventBridgeLiftScheduler', () => {
  it("hands holds within SQS's 15-minute delay, and lifts now, to the near scheduler", async () => {
    const { client, near, scheduler } = setup();
    await scheduler.schedule({ kind: 'lift', releaseId: 'acme-launch', until: '2027-01-15T08:15:00.000Z' });
    await scheduler.schedule({ kind: 'lift', releaseId: 'acme-launch' });

    expect(near.jobs).toHaveLength(2);
    expect(client.commandCalls(CreateScheduleCommand)).toHaveLength(0);
    client.restore();
  });

  it('creates one one-time schedule per release, two minutes early, deleted after it fires, sending the lift job', async () => {
    const { client, near, scheduler } = setup();
    client.on(CreateScheduleCommand).resolves({ ScheduleArn: `arn:aws:scheduler:eu-central-1:123456789012:schedule/${GROUP}/lift-acme-launch` });
    const job: LiftJob = { kind: 'lift', releaseId: 'acme-launch', until: '2027-01-15T09:00:00.000Z' };
    await scheduler.schedule(job);

    expect(near.jobs).toEqual([]);
    const calls = client.commandCalls(CreateScheduleCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toMatchObject({
      Name: 'lift-acme-launch',
      GroupName: GROUP,
      ScheduleExpression: 'at(2027-01-15T08:58:00)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: QUEUE, RoleArn: ROLE },
    });
    expect(JSON.parse(calls[0]!.args[0].input.Target!.Input!)).toEqual(job);
    client.restore();
  });

  it('moves the existing schedule of the release when it already exists (a reschedule, or a repeated upload)', async () => {
    const { client, scheduler } = setup();
    client.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'Schedule lift-acme-launch already exists.', Message: 'Schedule lift-acme-launch already exists.', $metadata: {} }));
    client.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    await scheduler.schedule({ kind: 'lift', releaseId: 'acme-launch', until: '2027-01-16T10:00:00.000Z' });

    const updates = client.commandCalls(UpdateScheduleCommand);
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args[0].input).toMatchObject({ Name: 'lift-acme-launch', GroupName: GROUP, ScheduleExpression: 'at(2027-01-16T09:58:00)', ActionAfterCompletion: 'DELETE' });
    client.restore();
  });

  it('lets other Scheduler errors through, so the ingest job is retried', async () => {
    const { client, scheduler } = setup();
    client.on(CreateScheduleCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(scheduler.schedule({ kind: 'lift', releaseId: 'acme-launch', until: '2027-01-16T10:00:00.000Z' })).rejects.toThrow('Rate exceeded');
    expect(client.commandCalls(UpdateScheduleCommand)).toHaveLength(0);
    client.restore();
  });

  it("names schedules within Scheduler's 64 characters, the same name for the same release", () => {
    const long = `a${'-b'.repeat(60)}`;
    expect(scheduleNameOf(long)).toMatch(/^lift-[0-9a-f]{40}$/);
    expect(scheduleNameOf(long)).toBe(scheduleNameOf(long));
    expect(scheduleNameOf('acme-launch')).toBe('lift-acme-launch');
  });
});

describe('lazyEventBridgeLiftScheduler (the Scheduler client built on the first hold beyond the delay)', () => {
  it('hands near holds to the near scheduler and sends far ones through one client of its own', async () => {
    // Prepare: the mock answers every SchedulerClient, also the one the adapter builds itself
    const client = mockClient(SchedulerClient);
    client.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
    const near = new RecordingNearScheduler();
    const built: SchedulerClient[] = [];
    const scheduler = lazyEventBridgeLiftScheduler({ groupName: GROUP, roleArn: ROLE, lifecycleQueueArn: QUEUE, near, clock: { now: () => NOW } }, (c) => built.push(c));
    // Act
    await scheduler.schedule({ kind: 'lift', releaseId: 'acme-launch', until: '2027-01-15T08:15:00.000Z' });
    const builtAfterNear = built.length;
    await scheduler.schedule({ kind: 'lift', releaseId: 'acme-launch', until: '2027-01-15T09:00:00.000Z' });
    await scheduler.schedule({ kind: 'lift', releaseId: 'acme-other', until: '2027-01-16T09:00:00.000Z' });
    // Assess
    expect(builtAfterNear).toBe(0);
    expect(built).toHaveLength(1);
    expect(near.jobs).toHaveLength(1);
    expect(client.commandCalls(CreateScheduleCommand).map((call) => call.args[0].input.Name)).toEqual(['lift-acme-launch', 'lift-acme-other']);
    client.restore();
  });
});
