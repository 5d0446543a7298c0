/**
 * `polywire withdraw <id> --reason "…"` and `polywire lift <id>`: queue a lifecycle job for the
 * running local stack (through `<data-dir>/stack.json`) or a deployed one (TABLE_NAME and
 * LIFECYCLE_QUEUE_URL with the normal AWS credentials). The job goes through the lifecycle queue,
 * so it is recorded and retried like every other step; this command only checks the id first.
 */
import type { Command } from 'commander';
import type { LifecycleJob } from '../../functions/core/lifecycle';

interface LifecycleOptions {
  dataDir?: string;
  table?: string;
  queueUrl?: string;
  reason?: string;
}

export function register(program: Command): void {
  program
    .command('withdraw')
    .description('Withdraw a release in every language: notice pages, pubStatus canceled, removed from feeds and sitemaps, release.withdrawn to subscribers')
    .argument('<id>', 'release id')
    .requiredOption('--reason <text>', 'why it is withdrawn (shown on the notice page and sent to subscribers)')
    .option('--data-dir <dir>', 'data folder of the local stack (default .polywire)')
    .option('--table <name>', 'DynamoDB table of a deployed stack (default $TABLE_NAME)')
    .option('--queue-url <url>', 'lifecycle queue URL of a deployed stack (default $LIFECYCLE_QUEUE_URL)')
    .action(async (id: string, options: LifecycleOptions) => {
      await queueLifecycleJob({ kind: 'withdraw', releaseId: id, reason: options.reason!, requestedBy: 'cli' }, options);
      process.stdout.write(`withdrawal of ${id} queued; \`polywire status ${id}\` shows it once done\n`);
    });
  program
    .command('lift')
    .description('Lift the embargo or schedule of a held release now')
    .argument('<id>', 'release id')
    .option('--data-dir <dir>', 'data folder of the local stack (default .polywire)')
    .option('--table <name>', 'DynamoDB table of a deployed stack (default $TABLE_NAME)')
    .option('--queue-url <url>', 'lifecycle queue URL of a deployed stack (default $LIFECYCLE_QUEUE_URL)')
    .action(async (id: string, options: LifecycleOptions) => {
      await queueLifecycleJob({ kind: 'lift', releaseId: id }, options);
      process.stdout.write(`lift of ${id} queued\n`);
    });
}

export async function queueLifecycleJob(job: LifecycleJob, options: LifecycleOptions): Promise<void> {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { SQSClient }, { readStackFile }, { DynamoDbReleaseRepository }, { SqsJobQueue }, { ConfigError, InputError }, { LifecycleJobSchema }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('@aws-sdk/client-sqs'),
    import('../../infra/local/stack-file'),
    import('../../functions/adapters/dynamodb/release-repository'),
    import('../../functions/adapters/sqs/job-queue'),
    import('../../functions/core/errors'),
    import('../../functions/core/lifecycle'),
  ]);
  const checked = LifecycleJobSchema.safeParse(job);
  if (!checked.success)
    throw new InputError('INVALID_OPTION', `invalid ${job.kind} request: ${checked.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`, { field: job.kind === 'withdraw' ? '--reason' : 'id' });
  const stack = readStackFile(options.dataDir);
  const tableName = options.table ?? stack?.tableName ?? process.env.TABLE_NAME;
  const queueUrl = options.queueUrl ?? stack?.environment.LIFECYCLE_QUEUE_URL ?? process.env.LIFECYCLE_QUEUE_URL;
  if (!tableName || !queueUrl) {
    const where = options.dataDir === undefined ? 'no running local stack found' : `no running local stack with data in ${options.dataDir}`;
    throw new ConfigError(`${where}, and TABLE_NAME / LIFECYCLE_QUEUE_URL (or --table / --queue-url) are not both set: start the stack with \`npm start\`, or name the deployed stack's table and lifecycle queue`);
  }
  const local = stack
    ? {
        region: stack.environment.AWS_REGION ?? 'us-east-1',
        credentials: { accessKeyId: stack.environment.AWS_ACCESS_KEY_ID ?? 'S3RVER', secretAccessKey: stack.environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER' },
      }
    : {};
  const dynamo = new DynamoDBClient(stack ? { ...local, endpoint: stack.dynamoEndpoint } : {});
  const sqs = new SQSClient(stack ? { ...local, endpoint: stack.sqsEndpoint } : {});
  try {
    const repository = new DynamoDbReleaseRepository({ client: DynamoDBDocumentClient.from(dynamo), tableName });
    if (!(await repository.getRelease(job.releaseId))) {
      throw new InputError('RELEASE_UNKNOWN', `no release ${JSON.stringify(job.releaseId)} in table ${tableName}`, { field: 'id' }, 'run `polywire status` to list the releases');
    }
    await new SqsJobQueue({ client: sqs, queueUrl }).send([{ body: checked.data }]);
  } finally {
    dynamo.destroy();
    sqs.destroy();
  }
}
