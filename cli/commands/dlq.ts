/**
 * `polywire dlq`: the local stack's dead letters (messages a handler failed five times): list
 * them, move them back to their queue, or delete them. Works while the stack runs.
 */
import type { Command } from 'commander';

interface DlqOptions {
  dataDir?: string;
  queue?: string;
  json?: boolean;
}

/**
 * The options of a `dlq` (sub)command, wherever they were written: commander gives an option the
 * parent also declares to the parent (`dlq redrive --data-dir X` sets `dlq`'s), so the subcommand
 * reads both, its own first. No option has a default here, or the subcommand's default would hide
 * the folder given to the parent (and `dlq purge --data-dir X` purged `./.polywire`).
 */
async function optionsOf(command: Command): Promise<DlqOptions & { dataDir: string }> {
  const { DEFAULT_DATA_DIR } = await import('../../infra/local/stack-file');
  const options = command.optsWithGlobals<DlqOptions>();
  if (options.queue !== undefined) await assertKnownQueue(options.queue);
  return { ...options, dataDir: options.dataDir ?? DEFAULT_DATA_DIR };
}

/** A misspelt --queue would otherwise list "No dead letters" and purge or redrive nothing, silently. */
async function assertKnownQueue(queue: string): Promise<void> {
  const [{ LOCAL_QUEUE_NAMES: names }, { InputError }] = await Promise.all([import('../../infra/local/stack'), import('../../functions/core/errors')]);
  if (!names.includes(queue)) {
    throw new InputError('DLQ_UNKNOWN_QUEUE', `unknown queue ${JSON.stringify(queue)}`, { field: '--queue' }, `choose one of ${names.join(', ')}`);
  }
}

const DATA_DIR_HELP = 'the local stack data folder (default .polywire)';

export function register(program: Command): void {
  const dlq = program
    .command('dlq')
    .description("List the local stack's dead-letter messages (redrive or purge them with the subcommands)")
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--queue <name>', 'only this queue (polywire-ingest, polywire-translate, polywire-publish.fifo, polywire-webhook, polywire-lifecycle, polywire-translate-bulk)')
    .option('--json', 'print JSON')
    .action(async (_options: DlqOptions, command: Command) => {
      const options = await optionsOf(command);
      const { deadLetterStore } = await import('../../infra/local/dlq');
      const letters = deadLetterStore(options.dataDir).list(options.queue);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        return;
      }
      if (letters.length === 0) {
        process.stdout.write('No dead letters.\n');
        return;
      }
      for (const l of letters) {
        process.stdout.write(
          `${l.queue}  ${l.messageId}  ${l.deadLetteredAt}  receives ${l.receiveCount}${l.groupId ? `  group ${l.groupId}` : ''}\n  ${l.functionName}: ${l.lastError}\n  body: ${l.body.length > 200 ? `${l.body.slice(0, 199)}…` : l.body}\n`,
        );
      }
      process.stdout.write(`${letters.length} dead letter(s). Retry: polywire dlq redrive [id…]   Delete: polywire dlq purge\n`);
    });

  dlq
    .command('redrive')
    .description('Move dead letters back to their queue (all, or the given message ids)')
    .argument('[ids...]', 'message ids (default: all)')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--queue <name>', 'only this queue')
    .action(async (ids: string[], _options: DlqOptions, command: Command) => {
      const options = await optionsOf(command);
      const { redriveDeadLetters } = await import('../../infra/local/dlq');
      const result = await redriveDeadLetters({ dataDir: options.dataDir, queue: options.queue, ids });
      const where = result.via === 'running' ? 'sent to the running stack' : 'queued; they run when the stack starts';
      process.stdout.write(`${result.redriven.length} message(s) redriven (${where}).\n`);
    });

  dlq
    .command('purge')
    .description('Delete dead letters for good')
    .option('--data-dir <dir>', DATA_DIR_HELP)
    .option('--queue <name>', 'only this queue')
    .action(async (_options: DlqOptions, command: Command) => {
      const options = await optionsOf(command);
      const { deadLetterStore } = await import('../../infra/local/dlq');
      const count = deadLetterStore(options.dataDir).purge(options.queue);
      process.stdout.write(`${count} dead letter(s) deleted.\n`);
    });
}
