/**
 * `polywire start` (`npm start`): the whole pipeline on this machine, on embedded S3, DynamoDB
 * and SQS, with the real handlers, serving the site like the CDN does.
 */
import type { Command } from 'commander';
import { ENGINE_CHOICES } from '../engine-option';

export function register(program: Command): void {
  program
    .command('start')
    .description('Run the whole pipeline locally (no AWS account): seeds in, pages and feeds in every language out, served over HTTP')
    .option('--once', 'process the seeds (and the drop folder), print the summary and exit; exit code 1 if anything failed or was dead-lettered')
    .option('--export <dir>', 'with --once: copy the published site into <dir> as plain files')
    .option('--data-dir <dir>', 'where the stack keeps its state (S3 objects, DynamoDB, dead letters)', '.polywire')
    .option('--port <port>', 'HTTP port of the site (0 = any free port; default 8080, with --once any free port)')
    .option('--s3-port <port>', 'S3 endpoint port (default: any free port)')
    .option('--dynamodb-port <port>', 'DynamoDB endpoint port (default: any free port)')
    .option('--sqs-port <port>', 'SQS endpoint port (default: any free port)')
    .option('--engine <name>', `translation engine: ${ENGINE_CHOICES} (default: $TRANSLATION_ENGINE or pseudo)`)
    .option('--languages <tags>', 'target languages, comma-separated (default: $TARGET_LANGUAGES or all 15)')
    .option('--base-url <url>', 'absolute URL the pages and feeds link to (default: the local site URL); set one for a stable --export')
    .option('--watch <dir>', 'drop folder to watch for releases (default: <data-dir>/inbox)')
    .option('--no-seeds', 'do not upload the files in seeds/ at start-up')
    .addHelpText(
      'after',
      `
Examples:
  npm start
  npm start -- --once --export out/ --base-url https://news.example.com
  npx polywire start --engine deepl --languages de,fr,ja     (DEEPL_API_KEY in .env)`,
    )
    .action(async (options: Record<string, unknown>) => {
      const { runStart } = await import('../../infra/local/start');
      process.exitCode = await runStart(options);
    });
}
