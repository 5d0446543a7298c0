/**
 * `polywire subscribe`: manage webhook subscriptions in the DynamoDB table (the local stack's
 * dynalite when `AWS_ENDPOINT_URL_DYNAMODB` is set, the deployed table otherwise).
 */
import type { Command } from 'commander';
import type { LocalStackInfo } from '../../infra/local/stack-file';

interface SubscribeOptions {
  languages?: string;
  categories?: string;
  events?: string;
  embargoed?: boolean;
  list?: boolean;
  disable?: string;
  enable?: string;
  deliveries?: string;
  reason?: string;
  table?: string;
  dataDir?: string;
  allowLoopback?: boolean;
}

export function register(program: Command): void {
  program
    .command('subscribe')
    .description('Create, list, disable or inspect webhook subscriptions (subscribers get signed Standard Webhooks)')
    .argument('[url]', 'https endpoint of the subscriber that receives the webhooks')
    .option('--languages <tags>', 'only these languages, comma-separated BCP 47 tags (e.g. de,fr,zh-Hans); default all')
    .option('--categories <names>', 'only releases in these categories, comma-separated; default all')
    .option('--events <types>', 'only these events: release.published, release.updated, release.withdrawn, release.embargoed; default all')
    .option('--embargoed', 'a trusted subscriber: also receive embargoed releases before the lift (release.embargoed, full text inline)')
    .option('--list', 'list subscriptions (secrets are never shown)')
    .option('--disable <id>', 'stop deliveries to a subscription')
    .option('--reason <text>', 'with --disable: why, kept on the subscription')
    .option('--enable <id>', 'resume deliveries to a disabled subscription')
    .option('--deliveries <id>', "show a subscription's delivery log (last 7 days)")
    .option('--data-dir <dir>', 'data folder of the running local stack to use (default .polywire, when its stack runs)')
    .option('--table <name>', 'DynamoDB table (default: the local stack’s, else $TABLE_NAME or polywire)')
    .option('--allow-loopback', 'accept http://127.0.0.1 / localhost URLs (local stack only)')
    .addHelpText(
      'after',
      `
Examples:
  polywire subscribe https://news.example.com/hooks/polywire --languages de,fr
  polywire subscribe https://copies.example.org/hook --events release.updated,release.withdrawn
  polywire subscribe https://desk.partner.example/hook --embargoed
  polywire subscribe --list
  polywire subscribe --deliveries sub_4f1c9a2e7b3d
  polywire subscribe --disable sub_4f1c9a2e7b3d --reason "site closed"`,
    )
    .action(async (url: string | undefined, options: SubscribeOptions) => {
      await runSubscribe(url, options);
    });
}

function splitList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? [...new Set(items)] : undefined;
}

async function runSubscribe(url: string | undefined, options: SubscribeOptions): Promise<void> {
  const [{ ConfigError, InputError }, { isLocalEnvironment }, { readStackFile }] = await Promise.all([import('../../functions/core/errors'), import('../../functions/config'), import('../../infra/local/stack-file')]);
  const actions = [url !== undefined, options.list, options.disable, options.enable, options.deliveries].filter(Boolean);
  if (actions.length !== 1) {
    throw new InputError('CLI_USAGE', 'give exactly one of: a URL to subscribe, --list, --disable <id>, --enable <id>, --deliveries <id>', { field: 'polywire subscribe' }, 'see polywire subscribe --help');
  }
  // Like `status`: the running local stack of --data-dir (default .polywire) unless --table names
  // another table; a folder named explicitly must have a running stack, never another folder's.
  const stack = options.table === undefined ? readStackFile(options.dataDir) : undefined;
  if (options.dataDir !== undefined && options.table === undefined && !stack) {
    throw new ConfigError(`no running local stack with data in ${options.dataDir}: start it with \`npm start -- --data-dir ${options.dataDir}\`, or give --table for a deployed table`);
  }
  const local = stack !== undefined || isLocalEnvironment(process.env);
  if (options.allowLoopback && !local) {
    const { LOOPBACK_RULE } = await import('../../functions/core/webhooks/subscription');
    throw new InputError('CLI_USAGE', `no running local stack found: ${LOOPBACK_RULE}`, { field: '--allow-loopback' }, 'start it with `npm start` (or name its folder with --data-dir), or subscribe a public https URL');
  }
  const store = await openStore(options.table, local, stack);

  if (url !== undefined) return createSubscription(store, url, options);
  if (options.list) return listSubscriptions(store);
  if (options.deliveries) return showDeliveries(store, options.deliveries);
  const id = (options.disable ?? options.enable)!;
  const changed = options.disable ? await store.disable(id, options.reason ?? 'disabled by an operator (polywire subscribe --disable)', new Date()) : await store.enable(id);
  if (!changed) {
    throw new InputError('SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`, { field: 'id' }, 'list them with polywire subscribe --list');
  }
  console.log(`${id} ${options.disable ? 'disabled' : 'enabled'}`);
}

async function openStore(table: string | undefined, local: boolean, stack?: LocalStackInfo) {
  const [{ DynamoDBClient }, { DynamoDBDocumentClient }, { DynamoDbSubscriptionStore }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
    import('../../functions/adapters/dynamodb/subscriptions'),
  ]);
  if (stack) {
    const client = new DynamoDBClient({
      endpoint: stack.dynamoEndpoint,
      region: stack.environment.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: stack.environment.AWS_ACCESS_KEY_ID ?? 'S3RVER', secretAccessKey: stack.environment.AWS_SECRET_ACCESS_KEY ?? 'S3RVER' },
    });
    return new DynamoDbSubscriptionStore({ client: DynamoDBDocumentClient.from(client), tableName: stack.tableName });
  }
  // The SDK reads the endpoint from AWS_ENDPOINT_URL_DYNAMODB; the emulator accepts any credentials.
  const client = new DynamoDBClient({
    ...(local && !process.env.AWS_REGION && !process.env.AWS_DEFAULT_REGION ? { region: 'us-east-1' } : {}),
    ...(local && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
  return new DynamoDbSubscriptionStore({
    client: DynamoDBDocumentClient.from(client),
    tableName: table ?? process.env.TABLE_NAME?.trim() ?? 'polywire',
  });
}

type Store = Awaited<ReturnType<typeof openStore>>;

async function createSubscription(store: Store, url: string, options: SubscribeOptions): Promise<void> {
  const [{ randomBytes }, { InputError }, { LanguageTagSchema }, subscriptionModule, { WEBHOOK_EVENT_TYPES }, { assertAllowedHost, BlockedAddressError }] = await Promise.all([
    import('node:crypto'),
    import('../../functions/core/errors'),
    import('../../functions/core/release'),
    import('../../functions/core/webhooks/subscription'),
    import('../../functions/core/webhooks/event'),
    import('../../functions/adapters/webhook/address-policy'),
  ]);
  const allowLoopback = options.allowLoopback ?? false;
  if (!allowLoopback && subscriptionModule.subscriptionUrlProblem(url) && !subscriptionModule.subscriptionUrlProblem(url, { allowLoopback: true })) {
    throw new InputError('WEBHOOK_URL_INVALID', `${url}: ${subscriptionModule.LOOPBACK_RULE}`, { field: 'url' }, 'add --allow-loopback to subscribe a local receiver on the local stack');
  }
  const href = subscriptionModule.assertSubscriptionUrl(url, { allowLoopback });
  try {
    assertAllowedHost(new URL(href).hostname, { allowLoopback });
  } catch (error) {
    if (!(error instanceof BlockedAddressError)) throw error;
    throw new InputError('WEBHOOK_URL_INVALID', error.message, { field: 'url' }, 'use the public host name or address of the endpoint');
  }

  const languages = splitList(options.languages);
  for (const tag of languages ?? []) {
    if (!LanguageTagSchema.safeParse(tag).success) {
      throw new InputError('SUBSCRIPTION_INVALID', `${JSON.stringify(tag)} is not a BCP 47 language tag`, { field: '--languages' }, 'use tags such as de, fr, zh-Hans, pt');
    }
  }
  const events = splitList(options.events);
  for (const type of events ?? []) {
    if (!(WEBHOOK_EVENT_TYPES as readonly string[]).includes(type)) {
      throw new InputError('SUBSCRIPTION_INVALID', `unknown event ${JSON.stringify(type)}`, { field: '--events' }, `choose from ${WEBHOOK_EVENT_TYPES.join(', ')}`);
    }
  }
  if (events && options.embargoed && !events.includes('release.embargoed')) {
    throw new InputError(
      'SUBSCRIPTION_INVALID',
      '--embargoed with --events that leave out release.embargoed would never receive embargoed content',
      { field: '--events' },
      'add release.embargoed to --events, or leave --events out',
    );
  }
  if (events?.includes('release.embargoed') && !options.embargoed) {
    throw new InputError(
      'SUBSCRIPTION_INVALID',
      'release.embargoed goes only to subscriptions trusted with embargoed content',
      { field: '--events' },
      'add --embargoed if this subscriber may see releases before their embargo lifts',
    );
  }
  const categories = splitList(options.categories);

  const subscription = subscriptionModule.SubscriptionSchema.parse({
    id: `sub_${randomBytes(8).toString('hex')}`,
    url: href,
    // Standard Webhooks: whsec_ + base64 of 24–64 random bytes.
    secret: `whsec_${randomBytes(24).toString('base64')}`,
    status: 'active',
    createdAt: new Date().toISOString(),
    ...(languages ? { languages } : {}),
    ...(categories ? { categories } : {}),
    ...(events ? { events } : {}),
    ...(options.embargoed ? { embargoed: true } : {}),
    // The subscription itself says it may be delivered to loopback; deliver honours it only on the local stack.
    ...(allowLoopback ? { allowLoopback: true } : {}),
  });
  await store.create(subscription);

  console.log(`Subscribed ${subscription.url}`);
  console.log(`  id:         ${subscription.id}`);
  console.log(`  languages:  ${subscription.languages?.join(', ') ?? 'all'}`);
  console.log(`  categories: ${subscription.categories?.join(', ') ?? 'all'}`);
  console.log(`  events:     ${subscription.events?.join(', ') ?? 'all'}`);
  console.log(`  embargoed:  ${subscription.embargoed ? 'yes: receives release.embargoed before the lift (trusted subscriber)' : 'no'}`);
  if (subscription.allowLoopback) console.log('  loopback:   allowed (local stack only)');
  console.log('');
  console.log(`  secret:     ${subscription.secret}`);
  console.log('');
  console.log('Store the secret with the receiver now: it is shown only this once. It verifies the');
  console.log('webhook-signature header (Standard Webhooks; see docs/webhooks.md#verifying-a-signature).');
}

async function listSubscriptions(store: Store): Promise<void> {
  const { default: Table } = await import('cli-table3');
  const subscriptions = await store.list();
  if (subscriptions.length === 0) {
    console.log('No subscriptions. Add one with: polywire subscribe https://news.example.com/hooks/polywire');
    return;
  }
  const table = new Table({ head: ['id', 'url', 'status', 'languages', 'events', 'categories', 'embargoed'] });
  for (const s of subscriptions) {
    table.push([
      s.id,
      s.url,
      s.status === 'disabled' ? `disabled: ${s.disabledReason ?? 'no reason recorded'}` : 'active',
      s.languages?.join(', ') ?? 'all',
      s.events?.join(', ') ?? 'all',
      s.categories?.join(', ') ?? 'all',
      s.embargoed ? 'yes' : 'no',
    ]);
  }
  console.log(table.toString());
}

async function showDeliveries(store: Store, id: string): Promise<void> {
  const [{ default: Table }, { InputError }] = await Promise.all([import('cli-table3'), import('../../functions/core/errors')]);
  const subscription = await store.get(id);
  if (!subscription) {
    throw new InputError('SUBSCRIPTION_NOT_FOUND', `no subscription ${id}`, { field: 'id' }, 'list them with polywire subscribe --list');
  }
  const records = (await store.listDeliveries(id)).sort((a, b) => (b.lastAttemptAt ?? '').localeCompare(a.lastAttemptAt ?? ''));
  if (records.length === 0) {
    console.log(`No deliveries to ${id} in the last 7 days.`);
    return;
  }
  const table = new Table({ head: ['webhook-id', 'event', 'release', 'status', 'attempts', 'last answer', 'next attempt'] });
  for (const r of records) {
    table.push([
      r.messageId,
      r.eventType,
      `${r.releaseId} v${r.version} ${r.language}`,
      r.status,
      String(r.attempts),
      [r.lastStatus === undefined ? undefined : `HTTP ${r.lastStatus}`, r.lastError].filter(Boolean).join(': ') || '—',
      r.nextAttemptAt ?? '—',
    ]);
  }
  console.log(table.toString());
  const failed = records.filter((r) => r.status === 'failed').length;
  if (failed > 0) console.log(`${failed} delivery(ies) failed for good: the subscriber did not get them.`);
}
