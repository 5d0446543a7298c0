/**
 * Operational alarms: a message in any dead-letter queue, any function error, or any count of the
 * pipeline's own failure metrics raises an alarm.
 * With an e-mail address configured the alarms notify an encrypted, TLS-only SNS topic.
 */
import { Annotations, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

/** A custom metric the handlers emit (Powertools: namespace, dimension `service`) that counts failures. */
export interface PipelineFailureMetric {
  /** Construct id of the alarm. */
  readonly id: string;
  readonly metricName: string;
  /** The `service` dimension: the stage that emits it. */
  readonly service: string;
  /** What a count means, for the alarm description. */
  readonly description: string;
}

export interface OperationsAlarmsProps {
  /** Dead-letter queues by stage name. */
  readonly deadLetterQueues: Record<string, sqs.IQueue>;
  /** Functions by stage name. */
  readonly functions: Record<string, lambda.IFunction>;
  /** Failure counts that no Lambda `Errors` shows (records failed under ReportBatchItemFailures, rejected uploads). */
  readonly failureMetrics?: readonly (PipelineFailureMetric & { readonly namespace: string })[];
  /** Where alarm notifications go; without it the alarms only show in the console. */
  readonly alarmEmail?: string;
}

export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);

    if (props.alarmEmail) {
      // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the topic
      // gets its own key that CloudWatch may use.
      const key = new kms.Key(this, 'TopicKey', {
        description: 'polywire alarm topic encryption',
        enableKeyRotation: true,
      });
      key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'polywire alarms',
        masterKey: key,
        enforceSSL: true,
      });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
      acknowledge(
        this.topic,
        'Serverless-SNSRedrivePolicy',
        'The only subscription is an operator e-mail address; an undeliverable alarm e-mail has no consumer a dead-letter queue could hand it to, and the alarm state stays visible in CloudWatch.',
      );
    }
    const action = this.topic ? new actions.SnsAction(this.topic) : undefined;

    for (const [stage, queue] of Object.entries(props.deadLetterQueues)) {
      this.add(
        `${stage}DeadLetters`,
        {
          metric: queue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(1),
            statistic: cloudwatch.Stats.MAXIMUM,
          }),
          alarmDescription: `polywire: messages in the ${stage} dead-letter queue; inspect them, fix the cause, then redrive.`,
        },
        action,
      );
    }
    for (const [stage, fn] of Object.entries(props.functions)) {
      this.add(
        `${stage}Errors`,
        {
          metric: fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
          alarmDescription: `polywire: the ${stage} function failed; see its log group.`,
        },
        action,
      );
    }
    for (const failure of props.failureMetrics ?? []) {
      this.add(
        failure.id,
        {
          metric: new cloudwatch.Metric({
            namespace: failure.namespace,
            metricName: failure.metricName,
            dimensionsMap: { service: failure.service },
            period: Duration.minutes(5),
            statistic: cloudwatch.Stats.SUM,
          }),
          alarmDescription: `polywire: ${failure.metricName} (${failure.service}): ${failure.description}.`,
        },
        action,
      );
    }
    if (!action) {
      // An alarm nobody hears is how failures go unnoticed: say so on every synth and deploy.
      Annotations.of(this).addWarningV2(
        'polywire:alarmsWithoutAction',
        `the ${this.alarms.length} alarms (dead letters, function errors, failed languages, rejected uploads) notify nobody: set the alarmEmail context key (-c alarmEmail=ops@example.com) to send them to an e-mail address through an encrypted SNS topic`,
      );
    }
  }

  private add(id: string, props: Pick<cloudwatch.AlarmProps, 'metric' | 'alarmDescription'>, action: cloudwatch.IAlarmAction | undefined): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      ...props,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (action) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    this.alarms.push(alarm);
  }
}
