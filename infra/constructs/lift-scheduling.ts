/**
 * The cloud half of the embargo lift: an EventBridge Scheduler schedule group for the one-time
 * `at(...)` schedules the ingest stage creates per held release (see
 * `functions/adapters/scheduler/lift-scheduler.ts`), and the role Scheduler assumes to deliver a
 * lift job. That role may do exactly one thing: `sqs:SendMessage` on the lifecycle queue.
 *
 * The schedules themselves are not CloudFormation resources: they come and go with releases
 * (created or moved at upload, deleted by Scheduler after they fire: `ActionAfterCompletion: DELETE`).
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledgeWildcardResource } from './nag';

export interface LiftSchedulingProps {
  /** Schedule group name: 1–64 of [0-9a-zA-Z-_.]. */
  readonly groupName: string;
  /** Where the schedules send their lift jobs. */
  readonly lifecycleQueue: sqs.IQueue;
}

export class LiftScheduling extends Construct {
  readonly group: scheduler.CfnScheduleGroup;
  readonly groupName: string;
  /** The role every lift schedule's target names (`Target.RoleArn`). */
  readonly role: iam.Role;
  /** `arn:…:schedule/<group>/*`: every schedule in the group, and nothing else. */
  readonly scheduleArnPattern: string;

  constructor(scope: Construct, id: string, props: LiftSchedulingProps) {
    super(scope, id);
    if (!/^[0-9a-zA-Z._-]{1,64}$/.test(props.groupName)) {
      throw new Error(`${this.node.path}: schedule group name ${JSON.stringify(props.groupName)} must be 1–64 of 0-9 a-z A-Z . _ -`);
    }
    this.groupName = props.groupName;
    this.group = new scheduler.CfnScheduleGroup(this, 'Group', { name: props.groupName });

    const stack = Stack.of(this);
    const groupArn = stack.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: props.groupName });
    // Confused-deputy guard: only schedules of this account, in this group, may assume the role.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': groupArn },
        },
      }),
      description: 'polywire: EventBridge Scheduler sends lift jobs to the lifecycle queue',
    });
    this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.lifecycleQueue.queueArn] }));
    this.scheduleArnPattern = stack.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${props.groupName}/*` });
  }

  /**
   * Lets `grantee` create and move the lift schedules of this group (and nothing else of
   * Scheduler), handing them this construct's role only.
   */
  grantScheduleLifts(grantee: iam.IGrantable & { readonly role: iam.IRole }): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule'],
        resources: [this.scheduleArnPattern],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    acknowledgeWildcardResource(
      grantee.role,
      this.scheduleArnPattern,
      'Schedules are created per held release (named lift-<release id>), so their names are not known at deployment; the pattern is limited to the polywire schedule group.',
    );
  }
}
