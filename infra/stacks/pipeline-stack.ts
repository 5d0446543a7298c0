/**
 * The stateless half of polywire: stage queues, the five functions, their event sources and
 * permissions, the S3 trigger on `incoming/`, the lift schedule group, and the alarms.
 *
 * The uploads bucket lives in the storage stack but its notification is configured here, on an
 * imported reference: CDK then manages it with a custom resource in this stack that merges with
 * the bucket's other notifications. Storage never refers to the pipeline, so there is no cycle,
 * and deleting this stack removes the trigger with the queue it points to.
 */
import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLE } from '../../functions/adapters/dynamodb/table';
import { engineEnvironment, engineGrants, engineSecretArns } from '../../functions/adapters/engines/registry';
import { DEFAULT_ENGINE_CONCURRENCY, DEFAULT_MAX_CONCURRENCY, FUNCTION_NAMES, type FunctionName, type PolywireConfig, priceTable } from '../config';
import { OperationsAlarms, type PipelineFailureMetric } from '../constructs/alarms';
import { LiftScheduling } from '../constructs/lift-scheduling';
import { acknowledge } from '../constructs/nag';
import { PROJECT_ROOT, PolywireFunction, type TableAccess } from '../constructs/polywire-function';
import { StageQueue } from '../constructs/stage-queue';
import { UPLOAD_PREFIXES } from '../constructs/uploads-bucket';
import type { StorageReferences } from './storage-stack';
import { STAGE_NAMES, STAGES } from '../../functions/stages';

/**
 * Per-function settings, as CDK wants them, from the stage table (functions/stages.ts): each
 * function consumes the queue named in `queue`.
 */
export const FUNCTION_SETTINGS = Object.fromEntries(
  STAGE_NAMES.map((name) => {
    const stage = STAGES[name];
    return [
      name,
      {
        queue: stage.queue.name as QueueName,
        fifo: stage.queue.fifo,
        description: stage.description,
        timeout: Duration.seconds(stage.timeoutSeconds),
        memorySize: stage.memoryMb,
        batchSize: stage.batchSize,
        maxBatchingWindow: stage.maxBatchingWindowSeconds === undefined ? undefined : Duration.seconds(stage.maxBatchingWindowSeconds),
      },
    ];
  }),
) as Record<FunctionName, { queue: QueueName; fifo: boolean; description: string; timeout: Duration; memorySize: number; batchSize: number; maxBatchingWindow: Duration | undefined }>;

/** The stage queues, by the stage table's queue names. */
type QueueName = (typeof STAGES)[FunctionName]['queue']['name'];

/** Engine requests one translate job keeps in flight (the core's default request concurrency). */
export const ENGINE_REQUESTS_PER_TRANSLATE_JOB = 4;

export interface StageConcurrency {
  /** The event source's maximum concurrency. */
  readonly maxConcurrency: number;
  /** Messages per invocation. */
  readonly batchSize: number;
}

/**
 * Each stage's event-source concurrency, and translate's batch size: translate is sized so that
 * `maxConcurrency × batchSize × requests per job` engine requests stay within
 * `engineConcurrency` (the jobs of a batch run in parallel). SQS event sources run at least 2
 * invocations, so a small engine budget shrinks the batch instead.
 *
 * @example
 * stageConcurrency(config).translate // amazon-translate, 40 requests: { maxConcurrency: 2, batchSize: 5 }
 */
export function stageConcurrency(config: PolywireConfig): Record<FunctionName, StageConcurrency> {
  const explicit = config.maxConcurrency ?? {};
  const engineBudget = config.engineConcurrency ?? DEFAULT_ENGINE_CONCURRENCY[config.engine];
  // The bulk lane's jobs come out of the same budget (its share is fixed: see BULK_LANE_CONCURRENCY).
  const bulkJobs = BULK_LANE_CONCURRENCY.maxConcurrency * BULK_LANE_CONCURRENCY.batchSize;
  const jobs = Math.max(2, Math.floor(engineBudget / ENGINE_REQUESTS_PER_TRANSLATE_JOB) - bulkJobs);
  const fullBatch = FUNCTION_SETTINGS.translate.batchSize;
  const translate: StageConcurrency =
    explicit.translate !== undefined
      ? { maxConcurrency: explicit.translate, batchSize: Math.max(1, Math.min(fullBatch, Math.floor(jobs / explicit.translate))) }
      : jobs >= 2 * fullBatch
        ? { maxConcurrency: Math.min(1000, Math.floor(jobs / fullBatch)), batchSize: fullBatch }
        : { maxConcurrency: 2, batchSize: Math.max(1, Math.floor(jobs / 2)) };
  const other = (name: Exclude<FunctionName, 'translate'>): StageConcurrency => ({
    maxConcurrency: explicit[name] ?? DEFAULT_MAX_CONCURRENCY[name],
    batchSize: FUNCTION_SETTINGS[name].batchSize,
  });
  return { ingest: other('ingest'), translate, publish: other('publish'), deliver: other('deliver'), lifecycle: other('lifecycle') };
}

/**
 * The translate bulk lane's event source (functions/stages.ts, `translate.bulkLane`): one job per
 * invocation, SQS's lowest maximum concurrency. Its engine requests are taken from the budget
 * before the standard lane is sized, so both lanes together stay within `engineConcurrency`
 * (beyond the unavoidable minimum of 2 invocations of 1 job per lane).
 */
export const BULK_LANE_CONCURRENCY: StageConcurrency = { maxConcurrency: STAGES.translate.bulkLane.maxConcurrency, batchSize: STAGES.translate.bulkLane.batchSize };

/** CloudWatch namespace of the pipeline's own metrics (Powertools Metrics reads it from the environment). */
export const METRICS_NAMESPACE = 'polywire';

/**
 * The DynamoDB actions each function's code sends, and nothing else: a missing one fails in
 * production only, so each list names the adapter methods it comes from.
 */
export const TABLE_ACCESS = {
  // core/pipeline/ingest.ts → DynamoDbReleaseRepository: completeSource, advanceRelease,
  // putVersion, ensureVariant (PutCommand); claimSource, releaseClaim (UpdateCommand: the claim
  // keeps the key's earlier release id); getSource, getRelease, getVersion (GetCommand);
  // DynamoDbLifecycleStore (applyHold): get (GetCommand), hold (UpdateCommand).
  ingest: { items: ['GetItem', 'PutItem', 'UpdateItem'] },
  // core/pipeline/translate.ts → getVariant, getRelease (GetCommand), updateVariant (UpdateCommand);
  // DynamoDbTranslationMemory: lookup (BatchGetCommand), store (BatchWriteCommand, puts only).
  translate: { items: ['GetItem', 'UpdateItem', 'BatchGetItem', 'BatchWriteItem'] },
  // core/pipeline/publish.ts → getVariant, getPublication, getVersion (GetCommand), updateVariant
  // (UpdateCommand), recordPublication (PutCommand), listVariants (QueryCommand on the table);
  // DynamoDbFeedIndex: upsert (PutCommand), remove (DeleteCommand: a release that left a category
  // feed), latest (QueryCommand), rootBuilds (GetCommand), startRootBuild, completeRootBuild,
  // markRootRequested (UpdateCommand).
  publish: { items: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'] },
  // core/webhooks/deliver.ts → DynamoDbSubscriptionStore: listActive (QueryCommand on gsi1), get,
  // listRecipients (GetCommand), claimAttempt, recordAttempt, disable, addRecipients (UpdateCommand).
  deliver: { items: ['GetItem', 'UpdateItem'], queryIndexes: ['gsi1'] },
  // core/pipeline/lifecycle.ts → DynamoDbLifecycleStore: get (GetCommand), lift, withdraw
  // (UpdateCommand); DynamoDbReleaseRepository: getRelease, getPublication (GetCommand),
  // listVersions, listVariants (QueryCommand on the table).
  lifecycle: { items: ['GetItem', 'UpdateItem', 'Query'] },
} as const satisfies Record<FunctionName, TableAccess>;

/**
 * Per-record failures: with ReportBatchItemFailures a failed record is no Lambda error, so these
 * metrics (emitted by the handlers, dimension `service` = Powertools' default) are alarmed instead.
 */
export const FAILURE_METRICS: readonly PipelineFailureMetric[] = [
  {
    id: 'TranslateVariantsFailed',
    metricName: 'VariantsFailed',
    service: 'translate',
    description: 'a language of a release failed to translate (bad input, engine limit or configuration); see the translate log group and the variant record',
  },
  {
    id: 'IngestReleasesRejected',
    metricName: 'ReleasesRejected',
    service: 'ingest',
    description: 'an upload was rejected and copied to quarantine/ with an .error.json saying why',
  },
];

/** Where each function's handler lives (TypeScript exporting `handler`). */
export const defaultEntry = (name: FunctionName): string => `${PROJECT_ROOT}functions/${name}/handler.ts`;

export interface PipelineStackProps extends StackProps {
  readonly config: PolywireConfig;
  readonly storage: StorageReferences;
  /** Handler entry files; defaults to `functions/<name>/handler.ts`. */
  readonly entries?: Partial<Record<FunctionName, string>>;
}

export class PipelineStack extends Stack {
  readonly queues: Record<QueueName, StageQueue>;
  /** Translate's bulk lane (functions/stages.ts, `translate.bulkLane`): consumed by the translate function, one job per invocation. */
  readonly translateBulkQueue: StageQueue;
  readonly liftScheduling: LiftScheduling;
  readonly functions: Record<FunctionName, PolywireFunction>;
  readonly alarms: OperationsAlarms;
  /** Each stage's event-source concurrency and batch size (see {@link stageConcurrency}). */
  readonly concurrency: Record<FunctionName, StageConcurrency>;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, {
      description: 'polywire pipeline: queues, ingest/translate/publish/deliver/lifecycle functions, lift schedules, alarms',
      ...props,
    });
    const { config, storage } = props;

    const uploads = s3.Bucket.fromBucketAttributes(this, 'UploadsBucket', {
      bucketName: storage.uploadsBucketName,
      bucketArn: storage.uploadsBucketArn,
    });
    const distribution = s3.Bucket.fromBucketAttributes(this, 'DistributionBucket', {
      bucketName: storage.distributionBucketName,
      bucketArn: storage.distributionBucketArn,
    });
    const table = dynamodb.Table.fromTableArn(this, 'Table', storage.tableArn);
    const indexNames = new Set<string>(TABLE.globalSecondaryIndexes.map((index) => index.indexName));
    for (const [name, access] of Object.entries(TABLE_ACCESS) as [FunctionName, TableAccess][]) {
      for (const index of access.queryIndexes ?? []) {
        if (!indexNames.has(index)) throw new Error(`TABLE_ACCESS.${name}: the table has no index ${index}`);
      }
    }

    this.concurrency = stageConcurrency(config);
    const queueFor = (name: FunctionName) => {
      const settings = FUNCTION_SETTINGS[name];
      return new StageQueue(this, `${capitalize(settings.queue)}Queue`, {
        consumerTimeout: settings.timeout,
        batchSize: this.concurrency[name].batchSize,
        maxBatchingWindow: settings.maxBatchingWindow,
        maxConcurrency: this.concurrency[name].maxConcurrency,
        fifo: settings.fifo,
      });
    };
    this.warnAboutConcurrency(config);
    this.queues = {
      ingest: queueFor('ingest'),
      translate: queueFor('translate'),
      // FIFO or standard as the stage table says. Publish: groups of release × language, so the
      // languages are no cap; feeds and RFC 5005 archives are written by one coalesced render job
      // per language at a time, in the language's own group (functions/core/pipeline/publish.ts).
      publish: queueFor('publish'),
      webhook: queueFor('deliver'),
      lifecycle: queueFor('lifecycle'),
    };
    this.translateBulkQueue = new StageQueue(this, 'TranslateBulkQueue', {
      consumerTimeout: FUNCTION_SETTINGS.translate.timeout,
      batchSize: BULK_LANE_CONCURRENCY.batchSize,
      maxBatchingWindow: undefined,
      maxConcurrency: BULK_LANE_CONCURRENCY.maxConcurrency,
      fifo: false,
    });
    this.liftScheduling = new LiftScheduling(this, 'LiftScheduling', {
      groupName: `${config.stackPrefix}-lifts`,
      lifecycleQueue: this.queues.lifecycle.queue,
    });

    uploads.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queues.ingest.queue), { prefix: UPLOAD_PREFIXES.incoming });
    this.acknowledgeNotificationHandler();

    const environment = this.functionEnvironment(config, storage);
    const make = (name: FunctionName) => {
      const settings = FUNCTION_SETTINGS[name];
      const fn = new PolywireFunction(this, capitalize(name), {
        entry: props.entries?.[name] ?? defaultEntry(name),
        description: settings.description,
        timeout: settings.timeout,
        memorySize: settings.memorySize,
        environment,
        retainData: config.retainData,
        reservedConcurrentExecutions: config.reservedConcurrency?.[name],
      });
      this.queues[settings.queue].consumeWith(fn.function);
      return fn;
    };
    this.functions = {
      ingest: make('ingest'),
      translate: make('translate'),
      publish: make('publish'),
      deliver: make('deliver'),
      lifecycle: make('lifecycle'),
    };
    const { ingest, translate, publish, deliver, lifecycle } = this.functions;
    this.translateBulkQueue.consumeWith(translate.function);

    // HeadObject on the human translations waiting beside a release (attachWaitingTranslations).
    ingest.grantObjectRead(uploads, UPLOAD_PREFIXES.incoming, `${UPLOAD_PREFIXES.releases}*/translations/`);
    ingest.grantObjectWrite(uploads, UPLOAD_PREFIXES.quarantine, UPLOAD_PREFIXES.releases);
    ingest.grantTableAccess(table, TABLE_ACCESS.ingest);
    this.queues.translate.queue.grantSendMessages(ingest);
    this.translateBulkQueue.queue.grantSendMessages(ingest);
    // Holds: lifts within 15 minutes and withdrawal control files go straight to the lifecycle
    // queue; longer holds become one-time schedules in the lift group.
    this.queues.lifecycle.queue.grantSendMessages(ingest);
    this.liftScheduling.grantScheduleLifts(ingest);

    translate.grantObjectRead(uploads, UPLOAD_PREFIXES.releases, UPLOAD_PREFIXES.config);
    translate.grantObjectWrite(uploads, UPLOAD_PREFIXES.variants);
    translate.grantTableAccess(table, TABLE_ACCESS.translate);
    this.queues.publish.queue.grantSendMessages(translate);
    this.grantEngine(translate, config);

    publish.grantObjectRead(uploads, UPLOAD_PREFIXES.releases, UPLOAD_PREFIXES.variants);
    publish.grantObjectRead(distribution, '');
    publish.grantObjectWrite(distribution, '');
    publish.grantObjectDelete(distribution, '');
    publish.grantTableAccess(table, TABLE_ACCESS.publish);
    // Publish fans out to subscribers, and schedules its own index rebuilds on its queue.
    this.queues.webhook.queue.grantSendMessages(publish);
    this.queues.publish.queue.grantSendMessages(publish);
    // Withdrawals, corrections and lifts invalidate the paths they changed, on this distribution only.
    publish.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['cloudfront:CreateInvalidation'],
        resources: [this.formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: storage.distributionId })],
      }),
    );

    deliver.grantTableAccess(table, TABLE_ACCESS.deliver);
    // Retries are scheduled by re-sending the job with a delay (Svix-style backoff beyond the
    // queue's own receive count).
    this.queues.webhook.queue.grantSendMessages(deliver);

    lifecycle.grantTableAccess(table, TABLE_ACCESS.lifecycle);
    // A lift that arrives early is delayed again on its own queue; a lift or withdrawal fans out
    // publish jobs, and (EMBARGO_TRANSLATION=at-lift) translate jobs.
    this.queues.lifecycle.queue.grantSendMessages(lifecycle);
    this.queues.publish.queue.grantSendMessages(lifecycle);
    this.queues.translate.queue.grantSendMessages(lifecycle);
    this.translateBulkQueue.queue.grantSendMessages(lifecycle);

    const allQueues: Record<string, StageQueue> = { ...this.queues, translateBulk: this.translateBulkQueue };
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      deadLetterQueues: Object.fromEntries(Object.entries(allQueues).map(([stage, queue]) => [stage, queue.deadLetterQueue])),
      functions: Object.fromEntries(Object.entries(this.functions).map(([stage, fn]) => [stage, fn.function])),
      failureMetrics: FAILURE_METRICS.map((metric) => ({ ...metric, namespace: METRICS_NAMESPACE })),
      alarmEmail: config.alarmEmail,
    });

    for (const [stage, queue] of Object.entries(allQueues)) {
      new CfnOutput(this, `${capitalize(stage)}DeadLetterQueueName`, {
        value: queue.deadLetterQueue.queueName,
        description: `Dead-letter queue of the ${stage} stage`,
      });
    }
    new CfnOutput(this, 'IngestQueueUrl', { value: this.queues.ingest.queue.queueUrl });
  }

  /** The same environment for every function; what each may do is decided by IAM, not by env. */
  private functionEnvironment(config: PolywireConfig, storage: StorageReferences): Record<string, string> {
    return {
      TABLE_NAME: storage.tableName,
      UPLOADS_BUCKET: storage.uploadsBucketName,
      DISTRIBUTION_BUCKET: storage.distributionBucketName,
      // Ingest hides a message whose event another delivery has leased until the lease ends
      // (ChangeMessageVisibility, part of consuming its queue).
      INGEST_QUEUE_URL: this.queues.ingest.queue.queueUrl,
      TRANSLATE_QUEUE_URL: this.queues.translate.queue.queueUrl,
      TRANSLATE_BULK_QUEUE_URL: this.translateBulkQueue.queue.queueUrl,
      PUBLISH_QUEUE_URL: this.queues.publish.queue.queueUrl,
      WEBHOOK_QUEUE_URL: this.queues.webhook.queue.queueUrl,
      LIFECYCLE_QUEUE_URL: this.queues.lifecycle.queue.queueUrl,
      LIFECYCLE_QUEUE_ARN: this.queues.lifecycle.queue.queueArn,
      LIFT_SCHEDULE_GROUP: this.liftScheduling.groupName,
      LIFT_SCHEDULER_ROLE_ARN: this.liftScheduling.role.roleArn,
      CDN_DISTRIBUTION_ID: storage.distributionId,
      EMBARGO_TRANSLATION: config.embargoTranslation,
      PUBLIC_BASE_URL: storage.publicBaseUrl,
      TARGET_LANGUAGES: config.targetLanguages.join(','),
      PRICE_TABLE: JSON.stringify(priceTable(config)),
      SITE_TITLE: config.siteTitle,
      ...(config.qaPolicy ? { QA_POLICY: config.qaPolicy } : {}),
      // TRANSLATION_ENGINE, the engine's settings and its secrets' ARNs, as its definition names them.
      ...engineEnvironment(config.engineConfig),
      POWERTOOLS_SERVICE_NAME: 'polywire',
      POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
      POWERTOOLS_LOG_LEVEL: 'INFO',
    };
  }

  /**
   * Only the configured engine's permissions, as its definition declares them (Translate for
   * amazon-translate), and read access to its secrets.
   */
  private grantEngine(translate: PolywireFunction, config: PolywireConfig): void {
    for (const grant of engineGrants(config.engineConfig)) {
      if ('anyResource' in grant) {
        translate.grantOnAnyResource(grant.anyResource.id, [...grant.actions], grant.anyResource.reason);
      } else {
        const { service, resource, names } = grant.resources;
        translate.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...grant.actions], resources: names.map((resourceName) => this.formatArn({ service, resource, resourceName })) }));
      }
    }
    for (const arn of engineSecretArns(config.engineConfig)) translate.grantSecretRead(arn);
  }

  /**
   * Reserved concurrency below a stage's maximum concurrency makes Lambda throttle the event
   * source's invocations (the messages come back and count receives towards the dead-letter
   * queue): say so at synth.
   */
  private warnAboutConcurrency(config: PolywireConfig): void {
    for (const name of FUNCTION_NAMES) {
      const reserved = config.reservedConcurrency?.[name];
      // Translate also runs its bulk lane's invocations, on the same reservation.
      const lane = name === 'translate' ? BULK_LANE_CONCURRENCY.maxConcurrency : 0;
      const max = this.concurrency[name].maxConcurrency + lane;
      if (reserved !== undefined && reserved < max) {
        const sources = lane > 0 ? `${name} event sources' maximum concurrency (${max}, its bulk lane's ${lane} included)` : `${name} event source's maximum concurrency (${max})`;
        Annotations.of(this).addWarningV2(
          `polywire:reservedBelowMaxConcurrency:${name}`,
          `reservedConcurrency.${name} (${reserved}) is below the ${sources}: Lambda throttles the extra invocations and their messages count receives towards the dead-letter queue. Set maxConcurrency.${name} to at most ${Math.max(2, reserved - lane)}, or raise the reservation.`,
        );
      }
    }
  }

  /** CDK's shared handler for bucket notifications carries its own, fixed permissions. */
  private acknowledgeNotificationHandler(): void {
    const handler = this.node.children.find((child) => child.node.id.startsWith('BucketNotificationsHandler'));
    if (!handler) return;
    acknowledge(
      handler,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      "CDK's built-in bucket-notification custom resource handler; it runs only during deployments to set the notification on the uploads bucket.",
    );
    acknowledge(
      handler,
      'AwsSolutions-IAM5[Resource::*]',
      "CDK's built-in bucket-notification custom resource handler needs s3:PutBucketNotification; CDK generates the policy and the handler only touches the bucket named in the custom resource.",
    );
  }
}

const capitalize = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1);
