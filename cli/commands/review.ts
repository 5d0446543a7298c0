/**
 * `polywire review <id> [<language>]`: the languages the QA policy held, with their findings;
 * `--approve` publishes a held language as it is (an `approve` job on the publish queue);
 * `--replace <file>` uploads a corrected human translation as `incoming/<name>.<language>.<ext>`,
 * which the pipeline checks and publishes like any human translation. Reaches the running local
 * stack through `<data-dir>/stack.json`, or a deployed one through TABLE_NAME, PUBLISH_QUEUE_URL
 * and UPLOADS_BUCKET with the normal AWS credentials.
 */
import type { Command } from 'commander';

interface ReviewOptions {
  approve?: boolean;
  replace?: string;
  by?: string;
  json?: boolean;
  dataDir?: string;
  table?: string;
  queueUrl?: string;
  bucket?: string;
}

export function register(program: Command): void {
  program
    .command('review')
    .description('List the languages held by QA with their findings; approve one (--approve) or replace it with a corrected translation (--replace)')
    .argument('<id>', 'release id')
    .argument('[language]', 'language tag (required with --approve and --replace)')
    .option('--approve', 'publish the held language as it is')
    .option('--replace <file>', 'upload a corrected human translation of the language (checked by QA again)')
    .option('--by <name>', 'who approves (recorded with the approval)')
    .option('--json', 'print JSON (listing)')
    .option('--data-dir <dir>', 'data folder of the local stack (default .polywire)')
    .option('--table <name>', 'DynamoDB table of a deployed stack (default $TABLE_NAME)')
    .option('--queue-url <url>', 'publish queue URL of a deployed stack (default $PUBLISH_QUEUE_URL)')
    .option('--bucket <name>', 'uploads bucket of a deployed stack (default $UPLOADS_BUCKET)')
    .action(async (id: string, language: string | undefined, options: ReviewOptions) => {
      process.exitCode = await runReview(id, language, options);
    });
}

export async function runReview(id: string, languageArg: string | undefined, options: ReviewOptions): Promise<number> {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { readStackFile }, { DynamoDbReleaseRepository }, review, { ConfigError, InputError }, { normalizeLanguageTag }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('../../infra/local/stack-file'),
    import('../../functions/adapters/dynamodb/release-repository'),
    import('../../functions/core/pipeline/review'),
    import('../../functions/core/errors'),
    import('../../functions/core/languages'),
  ]);
  if (options.approve && options.replace) throw new InputError('INVALID_OPTION', 'give --approve or --replace, not both', { field: '--approve' });
  let language: string | undefined;
  if (languageArg !== undefined) {
    try {
      language = normalizeLanguageTag(languageArg);
    } catch {
      throw new InputError('INVALID_OPTION', `${JSON.stringify(languageArg)} is not a language tag`, { field: 'language' });
    }
  }
  if ((options.approve || options.replace) && language === undefined) {
    throw new InputError('INVALID_OPTION', `${options.approve ? '--approve' : '--replace'} needs the language: polywire review ${id} <language> ${options.approve ? '--approve' : '--replace <file>'}`, {
      field: 'language',
    });
  }

  const stack = readStackFile(options.dataDir);
  const tableName = options.table ?? stack?.tableName ?? process.env.TABLE_NAME;
  if (!tableName) {
    const where = options.dataDir === undefined ? 'no running local stack found' : `no running local stack with data in ${options.dataDir}`;
    throw new ConfigError(`${where} and TABLE_NAME is not set: start the stack with \`npm start\`, or set TABLE_NAME (or --table) to a deployed table`);
  }
  const local = stack
    ? {
        region: stack.environment.AWS_REGION ?? 'us-east-1',
        credentials: { accessKeyId: stack.environment.AWS_ACCESS_KEY_ID ?? 'S3RVER', secretAccessKey: stack.environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER' },
      }
    : {};
  const dynamo = new DynamoDBClient(stack ? { ...local, endpoint: stack.dynamoEndpoint } : {});
  const closers: Array<() => void> = [() => dynamo.destroy()];
  try {
    const repository = new DynamoDbReleaseRepository({ client: DynamoDBDocumentClient.from(dynamo), tableName });
    if (options.approve) {
      const queueUrl = options.queueUrl ?? stack?.environment.PUBLISH_QUEUE_URL ?? process.env.PUBLISH_QUEUE_URL;
      if (!queueUrl) throw new ConfigError("the publish queue is unknown: start the local stack, or set PUBLISH_QUEUE_URL (or --queue-url) to the deployed stack's publish queue");
      const [{ SQSClient }, { SqsJobQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('../../functions/adapters/sqs/job-queue')]);
      const sqs = new SQSClient(stack ? { ...local, endpoint: stack.sqsEndpoint } : {});
      closers.push(() => sqs.destroy());
      const result = await review.approveHeld({ repository, publishQueue: new SqsJobQueue({ client: sqs, queueUrl }) }, id, language!, options.by);
      process.stdout.write(`${result.message}\n`);
      return 0;
    }
    if (options.replace) {
      const bucket = options.bucket ?? stack?.buckets.uploads ?? process.env.UPLOADS_BUCKET;
      if (!bucket) throw new ConfigError('the uploads bucket is unknown: start the local stack, or set UPLOADS_BUCKET (or --bucket)');
      const [{ readFile }, { basename }, { S3Client }, { S3ObjectStore }] = await Promise.all([
        import('node:fs/promises'),
        import('node:path'),
        import('@aws-sdk/client-s3'),
        import('../../functions/adapters/s3/object-store'),
      ]);
      let bytes: Uint8Array;
      try {
        bytes = await readFile(options.replace);
      } catch (error) {
        throw new InputError('FILE_UNREADABLE', `cannot read ${options.replace}: ${(error as Error).message}`, { file: options.replace });
      }
      const s3 = new S3Client(stack ? { ...local, endpoint: stack.s3Endpoint, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' } : {});
      closers.push(() => s3.destroy());
      const key = await review.uploadReplacement({ repository, uploads: new S3ObjectStore({ client: s3, bucket }) }, id, language!, { name: basename(options.replace), bytes });
      process.stdout.write(`uploaded ${options.replace} as ${key}: it replaces the ${language} translation once checked; \`polywire review ${id} ${language}\` shows the result\n`);
      return 0;
    }
    const state = await review.reviewState(repository, id, language);
    process.stdout.write(`${options.json ? JSON.stringify(state, null, 2) : review.formatReview(state)}\n`);
    return 0;
  } finally {
    for (const close of closers) close();
  }
}
