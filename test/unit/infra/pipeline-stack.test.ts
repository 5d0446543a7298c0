import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TARGET_LANGUAGES } from '../../../functions/core/languages';
import { feedGroupId, publishMessage } from '../../../functions/core/pipeline/jobs';
import { FUNCTION_NAMES } from '../../../infra/config';
import { FUNCTION_SETTINGS, TABLE_ACCESS } from '../../../infra/stacks/pipeline-stack';
import { EVERYTHING_ON, type SynthesizedPolywire, resourcesOfType, synthPolywire } from './synth';

let defaults: SynthesizedPolywire;
let custom: SynthesizedPolywire;
let deepl: SynthesizedPolywire;

const DEEPL_SECRET = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:polywire/deepl-AbC123';

beforeAll(() => {
  defaults = synthPolywire();
  custom = synthPolywire(EVERYTHING_ON);
  deepl = synthPolywire({ engine: 'deepl', deeplApiKeySecretArn: DEEPL_SECRET });
}, 180_000);

const ENVIRONMENT_NAMES = [
  'TABLE_NAME',
  'UPLOADS_BUCKET',
  'DISTRIBUTION_BUCKET',
  'INGEST_QUEUE_URL',
  'TRANSLATE_QUEUE_URL',
  'TRANSLATE_BULK_QUEUE_URL',
  'PUBLISH_QUEUE_URL',
  'WEBHOOK_QUEUE_URL',
  'LIFECYCLE_QUEUE_URL',
  'LIFECYCLE_QUEUE_ARN',
  'LIFT_SCHEDULE_GROUP',
  'LIFT_SCHEDULER_ROLE_ARN',
  'CDN_DISTRIBUTION_ID',
  'EMBARGO_TRANSLATION',
  'PUBLIC_BASE_URL',
  'TARGET_LANGUAGES',
  'TRANSLATION_ENGINE',
  'PRICE_TABLE',
  'SITE_TITLE',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'POWERTOOLS_LOG_LEVEL',
  // Set by the function construct: the tracer is loaded only with -c enableTracing=true.
  'POWERTOOLS_TRACE_ENABLED',
];

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };
const asArray = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every statement of every identity policy (inline role policies and AWS::IAM::Policy) in a template. */
function identityStatements(app: SynthesizedPolywire): { owner: string; statement: Statement }[] {
  const found: { owner: string; statement: Statement }[] = [];
  for (const template of [app.storageTemplate, app.pipelineTemplate]) {
    for (const [id, policy] of Object.entries(resourcesOfType(template, 'AWS::IAM::Policy'))) {
      for (const statement of policy.Properties!.PolicyDocument.Statement) found.push({ owner: id, statement });
    }
    for (const [id, role] of Object.entries(resourcesOfType(template, 'AWS::IAM::Role'))) {
      for (const policy of role.Properties?.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement) found.push({ owner: id, statement });
      }
    }
  }
  return found;
}

/** The statements of the policies attached to one function's role. */
function statementsOf(app: SynthesizedPolywire, name: string): Statement[] {
  const roleId = logicalId(app, 'AWS::IAM::Role', `${capitalize(name)}Role`);
  return Object.values(resourcesOfType(app.pipelineTemplate, 'AWS::IAM::Policy'))
    .filter((policy) => policy.Properties!.Roles.some((role: { Ref: string }) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]);
}

function logicalId(app: SynthesizedPolywire, type: string, prefix: string): string {
  const id = Object.keys(resourcesOfType(app.pipelineTemplate, type)).find((key) => key.startsWith(prefix));
  if (!id) throw new Error(`no ${type} ${prefix}*`);
  return id;
}

/** The main queue of a stage (its construct is `<Stage>Queue`, the queue inside it `Queue`). */
function stageQueueId(app: SynthesizedPolywire, stage: string): string {
  const pattern = new RegExp(`^${capitalize(stage)}Queue[0-9A-F]{8}$`);
  const id = Object.keys(resourcesOfType(app.pipelineTemplate, 'AWS::SQS::Queue')).find((key) => pattern.test(key));
  if (!id) throw new Error(`no queue for stage ${stage}`);
  return id;
}

const capitalize = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => asArray(statement.Action));

/** Resources of statements that allow `action`, rendered as text (imports and ARNs flattened). */
const resourcesFor = (statements: Statement[], action: string) =>
  statements
    .filter((statement) => asArray(statement.Action).includes(action))
    .flatMap((statement) => asArray(statement.Resource))
    .map((resource) => JSON.stringify(resource));

describe('queues', () => {
  const queues = () => resourcesOfType(defaults.pipelineTemplate, 'AWS::SQS::Queue');
  const mainQueues = () => Object.entries(queues()).filter(([, queue]) => queue.Properties?.RedrivePolicy);

  it('gives every stage queue a dead-letter queue after at least 5 receives, kept 14 days', () => {
    // The five stages' queues and translate's bulk lane.
    expect(mainQueues()).toHaveLength(6);
    for (const [id, queue] of mainQueues()) {
      const redrive = queue.Properties!.RedrivePolicy;
      expect(redrive.maxReceiveCount, id).toBeGreaterThanOrEqual(5);
      const dlqId = redrive.deadLetterTargetArn['Fn::GetAtt'][0];
      expect(queues()[dlqId]!.Properties!.MessageRetentionPeriod, id).toBe(14 * 24 * 3600);
    }
  });

  it('encrypts every queue, allows 256 KiB messages and denies requests without TLS', () => {
    const policies = Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::SQS::QueuePolicy'));
    for (const [id, queue] of Object.entries(queues())) {
      expect(queue.Properties!.SqsManagedSseEnabled, id).toBe(true);
      expect(queue.Properties!.MaximumMessageSize, id).toBe(262_144);
      const policy = policies.find((candidate) => candidate.Properties!.Queues.some((ref: { Ref: string }) => ref.Ref === id));
      expect(policy?.Properties?.PolicyDocument.Statement, id).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
  });

  it('makes the publish queue and its dead-letter queue FIFO without content-based deduplication', () => {
    const publish = queues()[stageQueueId(defaults, 'publish')]!.Properties!;
    const dlq = queues()[logicalId(defaults, 'AWS::SQS::Queue', 'PublishQueueDeadLetterQueue')]!.Properties!;
    expect(publish.FifoQueue).toBe(true);
    expect(publish.ContentBasedDeduplication).toBe(false);
    expect(dlq.FifoQueue).toBe(true);
    // The lifecycle queue must be standard: lifts are delayed with DelaySeconds, which FIFO ignores per message.
    for (const other of ['ingest', 'translate', 'webhook', 'lifecycle']) {
      expect(queues()[stageQueueId(defaults, other)]!.Properties!.FifoQueue, other).toBeUndefined();
    }
  });

  it('groups the publish queue by release × language in high-throughput FIFO mode: no per-language cap', () => {
    const publish = queues()[stageQueueId(defaults, 'publish')]!.Properties!;
    // Deduplication and throughput per message group: many small groups, not 300 requests/s per queue.
    expect(publish.DeduplicationScope).toBe('messageGroup');
    expect(publish.FifoThroughputLimit).toBe('perMessageGroupId');
    // The groups the publish jobs use: two releases of one language never share one.
    const group = (releaseId: string, language: string) => publishMessage({ kind: 'variant', releaseId, version: 1, language }).groupId;
    const releases = Array.from({ length: 50 }, (_, i) => `release-${i}`);
    expect(new Set(releases.map((id) => group(id, 'de'))).size).toBe(50);
    expect(group('acme', 'de')).not.toBe(group('acme', 'fr'));
    // What stays serialized per language is the feed render, in a group of its own.
    const render = publishMessage({ kind: 'render-feed', language: 'de', categories: [], entries: [], requestedAt: '2026-11-26T09:00:00.000Z' });
    expect(render.groupId).toBe(feedGroupId('de'));
    expect(releases.map((id) => group(id, 'de'))).not.toContain(render.groupId);
    // The event source may run more publish invocations at once than there are languages (+ root).
    const mapping = Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::EventSourceMapping')).find((m) => m.Properties!.EventSourceArn['Fn::GetAtt'][0] === stageQueueId(defaults, 'publish'))!;
    expect(mapping.Properties!.ScalingConfig.MaximumConcurrency).toBeGreaterThan(DEFAULT_TARGET_LANGUAGES.length + 1);
  });

  it('sets each visibility timeout to at least 6 × the timeout of the function that consumes it', () => {
    const mappings = Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::EventSourceMapping'));
    const functions = resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::Function');
    expect(mappings).toHaveLength(6);
    for (const mapping of mappings) {
      const queue = queues()[mapping.Properties!.EventSourceArn['Fn::GetAtt'][0]]!;
      const fn = functions[mapping.Properties!.FunctionName.Ref]!;
      expect(queue.Properties!.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties!.Timeout);
    }
  });
});

describe('event sources', () => {
  it('connects each function to its stage queue, reporting batch item failures', () => {
    const mappings = Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::EventSourceMapping'));
    const pairs = mappings.map((mapping) => [mapping.Properties!.FunctionName.Ref.replace(/Function.*$/, ''), mapping.Properties!.EventSourceArn['Fn::GetAtt'][0].replace(/Queue.*$/, '')]);
    expect(pairs.sort()).toEqual([
      ['Deliver', 'Webhook'],
      ['Ingest', 'Ingest'],
      ['Lifecycle', 'Lifecycle'],
      ['Publish', 'Publish'],
      ['Translate', 'Translate'],
      ['Translate', 'TranslateBulk'],
    ]);
    for (const mapping of mappings) {
      expect(mapping.Properties!.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      // Translate's batch is sized from the engine budget (test/unit/infra/concurrency.test.ts); its bulk lane takes one job at a time.
      const queue = mapping.Properties!.EventSourceArn['Fn::GetAtt'][0] as string;
      expect(mapping.Properties!.BatchSize, queue).toBe(queue.startsWith('TranslateBulk') ? 1 : queue.startsWith('Translate') ? 4 : 10);
    }
  });

  it('triggers ingest on object creation under incoming/ and nowhere else', () => {
    const notifications = Object.values(resourcesOfType(defaults.pipelineTemplate, 'Custom::S3BucketNotifications'));
    expect(notifications).toHaveLength(1);
    const configuration = notifications[0]!.Properties!.NotificationConfiguration;
    expect(configuration.QueueConfigurations).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'incoming/' }] } },
        QueueArn: { 'Fn::GetAtt': [stageQueueId(defaults, 'ingest'), 'Arn'] },
      },
    ]);
    expect(configuration.LambdaFunctionConfigurations).toBeUndefined();
    expect(configuration.TopicConfigurations).toBeUndefined();
    // Managed: false keeps notifications that others put on the bucket.
    expect(notifications[0]!.Properties!.Managed).toBe(false);
  });
});

describe('functions', () => {
  const functions = () => Object.entries(resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::Function')).filter(([id]) => FUNCTION_NAMES.some((name) => id.startsWith(`${capitalize(name)}Function`)));

  it('runs the five handlers on Node.js 22 or newer, arm64, traced, with the settings of their stage', () => {
    expect(functions()).toHaveLength(5);
    for (const [id, fn] of functions()) {
      const name = FUNCTION_NAMES.find((candidate) => id.startsWith(capitalize(candidate)))!;
      const runtime = /^nodejs(\d+)\.x$/.exec(fn.Properties!.Runtime);
      expect(Number(runtime?.[1]), id).toBeGreaterThanOrEqual(22);
      expect(fn.Properties!.Architectures).toEqual(['arm64']);
      expect(fn.Properties!.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Properties!.Timeout).toBe(FUNCTION_SETTINGS[name].timeout.toSeconds());
      expect(fn.Properties!.MemorySize).toBe(FUNCTION_SETTINGS[name].memorySize);
      expect(fn.Properties!.LoggingConfig).toEqual({ LogFormat: 'JSON', LogGroup: { Ref: expect.stringMatching(/Logs/) } });
    }
  });

  it('gives every function the same environment contract', () => {
    for (const [id, fn] of functions()) {
      const variables = fn.Properties!.Environment.Variables;
      expect(Object.keys(variables).sort(), id).toEqual([...ENVIRONMENT_NAMES].sort());
      expect(variables.TRANSLATION_ENGINE).toBe('amazon-translate');
      expect(variables.TARGET_LANGUAGES).toBe('en,ko,ja,ar,zh-Hans,zh-Hant,vi,th,id,ms,de,ru,fr,es,pt');
      expect(JSON.parse(variables.PRICE_TABLE)).toMatchObject({ 'amazon-translate': 15 });
      // Engine settings that are not set are not passed (no terminologies by default).
      expect(variables.AMAZON_TERMINOLOGIES).toBeUndefined();
      expect(variables.POWERTOOLS_SERVICE_NAME).toBe('polywire');
      // Source maps are in the asset but not applied by default, nor is the tracer loaded (bundling.test.ts).
      expect(variables.NODE_OPTIONS).toBeUndefined();
      expect(variables.POWERTOOLS_TRACE_ENABLED).toBe('false');
      expect(variables.TABLE_NAME).toEqual({ 'Fn::ImportValue': 'polywire-storage-TableName' });
    }
  });

  it('keeps logs a month in a log group of its own, without a managed policy on the role', () => {
    defaults.pipelineTemplate.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    for (const name of FUNCTION_NAMES) {
      const role = resourcesOfType(defaults.pipelineTemplate, 'AWS::IAM::Role')[logicalId(defaults, 'AWS::IAM::Role', `${capitalize(name)}Role`)]!;
      expect(role.Properties!.ManagedPolicyArns, name).toBeUndefined();
    }
  });

  it('passes optional settings and reserved concurrency through from context', () => {
    const translate = resourcesOfType(custom.pipelineTemplate, 'AWS::Lambda::Function')[logicalId(custom, 'AWS::Lambda::Function', 'TranslateFunction')]!;
    expect(translate.Properties!.ReservedConcurrentExecutions).toBe(5);
    expect(translate.Properties!.Environment.Variables.TRANSLATE_FORMALITY).toBe('formal');
    expect(JSON.parse(translate.Properties!.Environment.Variables.AMAZON_TERMINOLOGIES)).toHaveLength(2);
    expect(translate.Properties!.Environment.Variables.QA_POLICY).toBe('errors=hold, ja:length=flag');
    const deeplVariables = resourcesOfType(deepl.pipelineTemplate, 'AWS::Lambda::Function')[logicalId(deepl, 'AWS::Lambda::Function', 'TranslateFunction')]!.Properties!.Environment.Variables;
    expect(deeplVariables.DEEPL_API_KEY_SECRET_ARN).toBe(DEEPL_SECRET);
    expect(deeplVariables.TRANSLATION_ENGINE).toBe('deepl');
  });
});

describe('IAM', () => {
  const STAR_RESOURCE_ACTIONS = new Set([
    'translate:TranslateText',
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
    // CDK's own bucket-notification handler.
    's3:PutBucketNotification',
  ]);

  it.each([
    ['defaults', () => defaults],
    ['every option', () => custom],
    ['deepl', () => deepl],
  ])('has no wildcard action, and Resource "*" only for actions that require it (%s)', (_, app) => {
    const statements = identityStatements(app());
    expect(statements.length).toBeGreaterThan(20);
    for (const { owner, statement } of statements) {
      for (const action of asArray(statement.Action)) {
        expect(action, owner).not.toBe('*');
        expect(action, owner).not.toMatch(/^[a-z0-9-]+:\*$/);
      }
      if (asArray(statement.Resource).includes('*')) {
        for (const action of asArray(statement.Action)) {
          expect(STAR_RESOURCE_ACTIONS.has(action), `${owner}: ${action} on *`).toBe(true);
        }
      }
    }
  });

  it('scopes ingest to incoming/ reads, quarantine/ and releases/ writes, the table, the translate queues (both lanes) and the lifecycle queue', () => {
    const statements = statementsOf(defaults, 'ingest');
    const reads = resourcesFor(statements, 's3:GetObject');
    expect(reads).toHaveLength(2);
    expect(reads.join()).toContain('/incoming/*');
    // HeadObject on the human translations waiting beside a release, and nothing else of releases/.
    expect(reads.join()).toContain('/releases/*/translations/*');
    const writes = resourcesFor(statements, 's3:PutObject');
    expect(writes).toHaveLength(2);
    expect(writes.join()).toContain('/quarantine/*');
    expect(writes.join()).toContain('/releases/*');
    expect(actionsOf(statements)).not.toContain('s3:DeleteObject');
    expect(actionsOf(statements)).not.toContain('translate:TranslateText');
    expect(resourcesFor(statements, 'sqs:SendMessage').sort()).toEqual(['lifecycle', 'translateBulk', 'translate'].map((stage) => expect.stringContaining(stageQueueId(defaults, stage))));
  });

  it('lets only the translate function call Amazon Translate, and only with the amazon-translate engine', () => {
    for (const name of FUNCTION_NAMES) {
      expect(actionsOf(statementsOf(defaults, name)).includes('translate:TranslateText'), name).toBe(name === 'translate');
    }
    expect(actionsOf(statementsOf(deepl, 'translate'))).not.toContain('translate:TranslateText');
    expect(resourcesFor(statementsOf(custom, 'translate'), 'translate:GetTerminology').join()).toMatch(/terminology\/wire-asia.*terminology\/wire-europe/);
  });

  it('reads the engine secret only from the translate function, and only that secret', () => {
    expect(resourcesFor(statementsOf(deepl, 'translate'), 'secretsmanager:GetSecretValue')).toEqual([JSON.stringify(DEEPL_SECRET)]);
    for (const name of ['ingest', 'publish', 'deliver']) {
      expect(actionsOf(statementsOf(deepl, name)), name).not.toContain('secretsmanager:GetSecretValue');
    }
  });

  it('writes the distribution bucket only from publish', () => {
    const distribution = 'DistributionBucketArn';
    for (const name of FUNCTION_NAMES) {
      const writes = resourcesFor(statementsOf(defaults, name), 's3:PutObject').join();
      expect(writes.includes(distribution), name).toBe(name === 'publish');
    }
  });

  const dynamoStatements = (name: string) => statementsOf(defaults, name).filter((statement) => asArray(statement.Action).some((action) => action.startsWith('dynamodb:')));
  /** DynamoDB actions of one function, split by whether the resource is the table or an index. */
  const dynamoActions = (name: string) => {
    const onTable = new Set<string>();
    const onIndexes = new Map<string, Set<string>>();
    for (const statement of dynamoStatements(name)) {
      for (const resource of asArray(statement.Resource).map((value) => JSON.stringify(value))) {
        const index = /\/index\/([^"\\]+)/.exec(resource)?.[1];
        for (const action of asArray(statement.Action)) {
          if (index) onIndexes.set(index, (onIndexes.get(index) ?? new Set()).add(action));
          else onTable.add(action);
        }
      }
    }
    return { onTable: [...onTable].sort(), onIndexes: Object.fromEntries([...onIndexes].map(([index, actions]) => [index, [...actions].sort()])) };
  };

  // That each function gets the DynamoDB actions its code sends, and no others, is derived from
  // the integration runs' recorded commands in iam-evidence.test.ts.
  it('grants DynamoDB actions on the storage stack table and its named indexes only', () => {
    for (const name of FUNCTION_NAMES) {
      for (const statement of dynamoStatements(name)) {
        for (const resource of asArray(statement.Resource).map((value) => JSON.stringify(value))) {
          expect(resource, name).toContain('polywire-storage-TableArn');
          expect(resource, name).not.toContain('index/*');
        }
      }
    }
  });

  it('keeps deletes and batch writes to the functions that send them', () => {
    for (const name of FUNCTION_NAMES) {
      const actions = [...dynamoActions(name).onTable];
      expect(actions.includes('dynamodb:DeleteItem'), name).toBe(name === 'publish');
      expect(actions.includes('dynamodb:BatchWriteItem'), name).toBe(name === 'translate');
      expect(actions, name).not.toContain('dynamodb:Scan');
      expect(actions, name).not.toContain('dynamodb:DescribeTable');
      expect(actions, name).not.toContain('dynamodb:ConditionCheckItem');
    }
    expect(Object.keys(TABLE_ACCESS).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  it('grants s3:ListBucket on bucket ARNs only, to the functions that read objects', () => {
    for (const name of FUNCTION_NAMES) {
      const statements = statementsOf(defaults, name).filter((statement) => asArray(statement.Action).includes('s3:ListBucket'));
      expect(statements.length > 0, name).toBe(name !== 'deliver' && name !== 'lifecycle');
      for (const statement of statements) {
        // Only the bucket itself: a 404 for a missing key instead of a 403, no object access.
        expect(asArray(statement.Action), name).toEqual(['s3:ListBucket']);
        for (const resource of asArray(statement.Resource).map((value) => JSON.stringify(value))) {
          expect(resource, name).not.toContain('/*');
        }
      }
    }
  });

  it('gives deliver the table and its own queue, nothing in S3', () => {
    const actions = actionsOf(statementsOf(defaults, 'deliver'));
    expect(actions.filter((action) => action.startsWith('s3:'))).toEqual([]);
    expect(actions).toContain('dynamodb:Query');
    expect(resourcesFor(statementsOf(defaults, 'deliver'), 'sqs:SendMessage')).toEqual([expect.stringContaining(stageQueueId(defaults, 'webhook'))]);
  });
});

describe('lifecycle stage and lift schedules', () => {
  const roles = () => resourcesOfType(defaults.pipelineTemplate, 'AWS::IAM::Role');
  const schedulerRoleId = () => logicalId(defaults, 'AWS::IAM::Role', 'LiftSchedulingRole');
  /** Every statement of every identity policy attached to one role (by logical id). */
  const statementsOfRole = (roleId: string): Statement[] =>
    Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::IAM::Policy'))
      .filter((policy) => policy.Properties!.Roles.some((role: { Ref: string }) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties!.PolicyDocument.Statement as Statement[]);

  it('creates one schedule group, named for the deployment, and tells the functions its name and the role', () => {
    defaults.pipelineTemplate.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
    defaults.pipelineTemplate.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'polywire-lifts' });
    // The schedules themselves are created by the ingest stage, one per held release.
    defaults.pipelineTemplate.resourceCountIs('AWS::Scheduler::Schedule', 0);
    const ingest = resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::Function')[logicalId(defaults, 'AWS::Lambda::Function', 'IngestFunction')]!;
    const variables = ingest.Properties!.Environment.Variables;
    expect(variables.LIFT_SCHEDULE_GROUP).toBe('polywire-lifts');
    expect(variables.LIFT_SCHEDULER_ROLE_ARN).toEqual({ 'Fn::GetAtt': [schedulerRoleId(), 'Arn'] });
    expect(variables.LIFECYCLE_QUEUE_ARN).toEqual({ 'Fn::GetAtt': [stageQueueId(defaults, 'lifecycle'), 'Arn'] });
    expect(variables.LIFECYCLE_QUEUE_URL).toEqual({ Ref: stageQueueId(defaults, 'lifecycle') });
    expect(variables.EMBARGO_TRANSLATION).toBe('ahead');
  });

  it('lets EventBridge Scheduler of this account and group assume the scheduler role, and nobody else', () => {
    const trust = roles()[schedulerRoleId()]!.Properties!.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0]).toMatchObject({
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Principal: { Service: 'scheduler.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
    });
    expect(JSON.stringify(trust[0].Condition.ArnEquals['aws:SourceArn'])).toContain(':schedule-group/polywire-lifts');
    expect(roles()[schedulerRoleId()]!.Properties!.ManagedPolicyArns).toBeUndefined();
    expect(roles()[schedulerRoleId()]!.Properties!.Policies).toBeUndefined();
  });

  it('allows the scheduler role only sqs:SendMessage on the lifecycle queue', () => {
    const statements = statementsOfRole(schedulerRoleId());
    expect(statements).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [stageQueueId(defaults, 'lifecycle'), 'Arn'] } }]);
  });

  it('lets only ingest create and move schedules, in the lift group only, passing only the scheduler role', () => {
    for (const name of FUNCTION_NAMES) {
      const actions = actionsOf(statementsOf(defaults, name));
      const scheduling = actions.filter((action) => action.startsWith('scheduler:') || action === 'iam:PassRole');
      expect(scheduling.sort(), name).toEqual(name === 'ingest' ? ['iam:PassRole', 'scheduler:CreateSchedule', 'scheduler:UpdateSchedule'] : []);
    }
    const statements = statementsOf(defaults, 'ingest');
    for (const action of ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule']) {
      const resources = resourcesFor(statements, action);
      expect(resources, action).toHaveLength(1);
      expect(resources[0]).toContain(':schedule/polywire-lifts/*');
    }
    const passRole = statements.filter((statement) => asArray(statement.Action).includes('iam:PassRole'));
    expect(passRole).toEqual([
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: { 'Fn::GetAtt': [schedulerRoleId(), 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      },
    ]);
  });

  it('gives the lifecycle function its queue, the publish and translate queues (both lanes) and the table, nothing in S3', () => {
    const statements = statementsOf(defaults, 'lifecycle');
    expect(actionsOf(statements).filter((action) => action.startsWith('s3:'))).toEqual([]);
    expect(resourcesFor(statements, 'sqs:SendMessage').sort()).toEqual(['lifecycle', 'publish', 'translateBulk', 'translate'].map((stage) => expect.stringContaining(stageQueueId(defaults, stage))));
    const fn = resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::Function')[logicalId(defaults, 'AWS::Lambda::Function', 'LifecycleFunction')]!;
    expect(fn.Properties!.Handler).toBe('index.handler');
  });

  it('lets only publish invalidate CloudFront, and only the newsroom distribution', () => {
    for (const name of FUNCTION_NAMES) {
      const resources = resourcesFor(statementsOf(defaults, name), 'cloudfront:CreateInvalidation');
      if (name !== 'publish') {
        expect(resources, name).toEqual([]);
        continue;
      }
      expect(resources).toHaveLength(1);
      expect(resources[0]).toContain(':distribution/');
      expect(resources[0]).toContain('polywire-storage-DistributionId');
      expect(resources[0]).not.toContain('*');
    }
    defaults.storageTemplate.hasOutput('DistributionId', { Export: { Name: 'polywire-storage-DistributionId' } });
  });
});

describe('alarms', () => {
  const alarms = (app: SynthesizedPolywire) => Object.values(resourcesOfType(app.pipelineTemplate, 'AWS::CloudWatch::Alarm'));

  it('alarms on a message in any dead-letter queue', () => {
    const queues = resourcesOfType(defaults.pipelineTemplate, 'AWS::SQS::Queue');
    const deadLetterQueues = Object.keys(queues).filter((id) => id.includes('DeadLetterQueue'));
    expect(deadLetterQueues).toHaveLength(6);
    for (const dlq of deadLetterQueues) {
      const alarm = alarms(defaults).find((candidate) => candidate.Properties!.MetricName === 'ApproximateNumberOfMessagesVisible' && candidate.Properties!.Dimensions[0].Value['Fn::GetAtt']?.[0] === dlq);
      expect(alarm, dlq).toBeDefined();
      expect(alarm!.Properties).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    }
  });

  it('alarms on errors of every function', () => {
    for (const name of FUNCTION_NAMES) {
      const fnId = logicalId(defaults, 'AWS::Lambda::Function', `${capitalize(name)}Function`);
      const alarm = alarms(defaults).find((candidate) => candidate.Properties!.MetricName === 'Errors' && candidate.Properties!.Dimensions[0].Value.Ref === fnId);
      expect(alarm, name).toBeDefined();
    }
  });

  it.each([
    ['VariantsFailed', 'translate'],
    ['ReleasesRejected', 'ingest'],
  ])('alarms on any %s of the %s stage in 5 minutes (failures ReportBatchItemFailures hides from Errors)', (metricName, service) => {
    const matching = alarms(defaults).filter((candidate) => candidate.Properties!.MetricName === metricName);
    expect(matching).toHaveLength(1);
    expect(matching[0]!.Properties).toMatchObject({
      Namespace: 'polywire',
      Dimensions: [{ Name: 'service', Value: service }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    const withTopic = alarms(custom).find((candidate) => candidate.Properties!.MetricName === metricName)!;
    expect(withTopic.Properties!.AlarmActions).toEqual([{ Ref: logicalId(custom, 'AWS::SNS::Topic', 'AlarmsTopic') }]);
    expect(withTopic.Properties!.OKActions).toEqual(withTopic.Properties!.AlarmActions);
  });

  it('uses the namespace the functions publish their metrics to', () => {
    const functions = Object.values(resourcesOfType(defaults.pipelineTemplate, 'AWS::Lambda::Function')).filter((fn) => fn.Properties!.Environment?.Variables?.POWERTOOLS_METRICS_NAMESPACE);
    expect(functions).toHaveLength(5);
    for (const fn of functions) expect(fn.Properties!.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('polywire');
  });

  it('notifies an encrypted, TLS-only topic only when an e-mail address is configured', () => {
    defaults.pipelineTemplate.resourceCountIs('AWS::SNS::Topic', 0);
    for (const alarm of alarms(defaults)) expect(alarm.Properties!.AlarmActions).toBeUndefined();

    custom.pipelineTemplate.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    custom.pipelineTemplate.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com' });
    custom.pipelineTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      }),
    });
    custom.pipelineTemplate.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const alarm of alarms(custom)) expect(alarm.Properties!.AlarmActions).toHaveLength(1);
  });
});

describe('outputs', () => {
  it('names every dead-letter queue', () => {
    for (const stage of ['Ingest', 'Translate', 'Publish', 'Webhook', 'Lifecycle']) {
      defaults.pipelineTemplate.hasOutput(`${stage}DeadLetterQueueName`, {});
    }
  });
});
