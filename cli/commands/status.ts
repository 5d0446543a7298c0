/**
 * `polywire status [<id>] [--json]`: the pipeline's state from DynamoDB. With an id: the
 * release's versions and per-language state (engine, characters billed and remembered, estimated
 * cost, errors), or a rejected/awaiting-base upload by id or key; without: the latest releases
 * and the uploads that need attention. Reaches the running local stack (`npm start`)
 * through its stack file, else the table named by TABLE_NAME with the normal AWS credentials.
 */
import type { Command } from 'commander';

interface StatusOptions {
  json?: boolean;
  limit: string;
  dataDir?: string;
  table?: string;
}

export function register(program: Command): void {
  program
    .command('status')
    .description('Show the latest releases, or one release’s versions and languages (state, engine, cost, errors)')
    .argument('[id]', 'release id (as shown in the listing)')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'releases to list', '20')
    .option('--data-dir <dir>', 'data folder of the local stack (default .polywire)')
    .option('--table <name>', 'DynamoDB table (default: the local stack’s, else $TABLE_NAME)')
    .action(async (id: string | undefined, options: StatusOptions) => {
      process.exitCode = await runStatus(id, options);
    });
}

export async function runStatus(id: string | undefined, options: StatusOptions): Promise<number> {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { readStackFile }, { DynamoDbReleaseRepository }, status, { ConfigError, InputError }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('../../infra/local/stack-file'),
    import('../../functions/adapters/dynamodb/release-repository'),
    import('../../functions/core/pipeline/status'),
    import('../../functions/core/errors'),
  ]);

  const stack = readStackFile(options.dataDir);
  const tableName = options.table ?? stack?.tableName ?? process.env.TABLE_NAME;
  if (!tableName) {
    // The local data lives in dynalite, which only answers while the stack runs.
    const where = options.dataDir === undefined ? 'no running local stack found' : `no running local stack with data in ${options.dataDir}`;
    throw new ConfigError(
      `${where} and TABLE_NAME is not set: start the stack with \`npm start\` (its data stays readable only while it runs), or set TABLE_NAME (or --table) to a deployed table and use your AWS credentials`,
    );
  }
  const client = stack
    ? new DynamoDBClient({
        endpoint: stack.dynamoEndpoint,
        region: stack.environment.AWS_REGION ?? 'us-east-1',
        credentials: {
          accessKeyId: stack.environment.AWS_ACCESS_KEY_ID ?? 'S3RVER',
          secretAccessKey: stack.environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
        },
      })
    : new DynamoDBClient({});
  const repository = new DynamoDbReleaseRepository({ client: DynamoDBDocumentClient.from(client), tableName });
  try {
    if (id === undefined) {
      const limit = Number.parseInt(options.limit, 10);
      if (!Number.isInteger(limit) || limit < 1) throw new InputError('INVALID_OPTION', `--limit ${options.limit} is not a positive number`, { field: '--limit' });
      const [releases, recent] = await Promise.all([repository.listReleases(limit), repository.listSourcesNeedingAttention(limit)]);
      const sources = status.uploadsNeedingAttention(recent, new Date());
      if (options.json) console.log(JSON.stringify({ releases, uploadsNeedingAttention: sources }, null, 2));
      else console.log([status.formatReleaseList(releases), status.formatSourceList(sources)].filter(Boolean).join('\n\n'));
      return 0;
    }
    const report = await status.releaseStatus(repository, id);
    if (!report) {
      const source = await status.findSource(repository, id);
      if (source) {
        console.log(options.json ? JSON.stringify({ upload: source }, null, 2) : status.formatSource(source));
        return 0;
      }
      throw new InputError(
        'UNKNOWN_RELEASE',
        `no release or upload ${JSON.stringify(id)} in table ${tableName}`,
        { field: 'id' },
        'run `polywire status` without an id to list the releases and the uploads that need attention',
      );
    }
    const { DynamoDbLifecycleStore } = await import('../../functions/adapters/dynamodb/lifecycle-store');
    const { formatLifecycle } = await import('../../functions/core/lifecycle');
    const { formatUnmappedCategories, unmappedCategories } = await import('../../functions/core/render/media-topics');
    const [lifecycle, original] = await Promise.all([new DynamoDbLifecycleStore({ client: DynamoDBDocumentClient.from(client), tableName }).get(id), repository.getPublication(id, report.release.sourceLanguage)]);
    // The original's category names: what a wire would add to the Media Topics mapping.
    const categories = original?.categories ?? [];
    const unmappedLine = formatUnmappedCategories(categories);
    console.log(
      options.json
        ? JSON.stringify({ ...report, ...(lifecycle ? { lifecycle } : {}), unmappedCategories: unmappedCategories(categories) }, null, 2)
        : [status.formatReleaseStatus(report), `lifecycle: ${formatLifecycle(lifecycle)}`, ...(unmappedLine ? [unmappedLine] : [])].join('\n'),
    );
    return 0;
  } finally {
    client.destroy();
  }
}
