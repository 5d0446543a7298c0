/**
 * `polywire start` (`npm start`): the local stack, fed with the seed releases and a drop folder,
 * with a live per-release × per-language display and a summary after each wave of work.
 */
import { Listr } from 'listr2';
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { S3Event } from 'aws-lambda';
import { parseTargetLanguages } from '../../functions/config';
import { ConfigError } from '../../functions/core/errors';
import { paths } from '../../functions/core/render/paths';
import { INCOMING_PREFIX, decodeS3Key } from '../../functions/core/pipeline/s3-events';
import { WIRE_LANGUAGES, wireLanguage } from '../../functions/core/languages';
import { ENGINE_NAMES, type EngineName, isEngineName } from '../../functions/adapters/engines/registry';
import { assertDataDirFree } from './data-dir';
import { prepareEngine } from './engine-setup';
import { exportBucket } from './export';
import { isSettled, releaseRepository, renderGrid, renderSummary, snapshotPipeline, type PipelineSnapshot } from './progress';
import type { DeadLetter } from './dead-letters';
import type { InvocationEvent } from './runner';
import { QUEUE_NAMES, startLocalStack, type LocalStack } from './stack';
import { DEFAULT_DATA_DIR } from './stack-file';
import { releaseFilesIn, seedRecordFile, uploadDroppedFile, uploadSeeds, watchDropFolder, UPLOADED_SUBFOLDER, type DropFolderWatcher } from './uploads';

export const DEFAULT_SITE_PORT = 8080;
const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));

export interface StartOptions {
  once?: boolean;
  export?: string;
  dataDir?: string;
  port?: string;
  s3Port?: string;
  dynamodbPort?: string;
  sqsPort?: string;
  engine?: string;
  languages?: string;
  baseUrl?: string;
  watch?: string;
  /** `--no-seeds` sets false. */
  seeds?: boolean;
}

/** Runs the stack until SIGINT/SIGTERM (or, with `--once`, until the seeds are processed). Returns the exit code. */
export async function runStart(options: StartOptions): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const engine = parseEngine(options.engine ?? process.env.TRANSLATION_ENGINE ?? 'pseudo');
  const languages = languagesFrom(options.languages, process.env.TARGET_LANGUAGES);
  // --once serves nothing anyone can reach after it ends: any free port, so a busy 8080 does not stop it.
  const port = parsePort(options.port, '--port') ?? (options.once ? 0 : DEFAULT_SITE_PORT);
  const baseUrl = options.baseUrl ?? process.env.PUBLIC_BASE_URL;
  if (baseUrl !== undefined && !/^https?:\/\/[^/]/.test(baseUrl)) throw new ConfigError(`--base-url must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  const dropFolder = resolve(options.watch ?? join(dataDir, 'inbox'));
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const tty = Boolean(process.stdout.isTTY) && !process.env.CI;

  assertDataDirFree(dataDir);
  const engineSetup = await prepareEngine(engine);
  // The engine's own variables come from prepareEngine (its definition lists them).
  const passThrough = pick(process.env, ['SITE_TITLE', 'PRICE_TABLE', 'POWERTOOLS_LOG_LEVEL']);
  const started = Date.now();
  const stack = await startLocalStack({
    dataDir,
    port,
    s3Port: parsePort(options.s3Port, '--s3-port'),
    dynamoPort: parsePort(options.dynamodbPort, '--dynamodb-port'),
    sqsPort: parsePort(options.sqsPort, '--sqs-port'),
    engine,
    languages,
    baseUrl,
    userCredentials: engineSetup.userCredentials,
    environment: { ...passThrough, ...engineSetup.environment },
  });

  // Registered for the whole run, never `once`: the live display's cursor restorer (signal-exit,
  // via listr2's log-update) re-raises SIGINT to end the process whenever it finds itself the only
  // SIGINT listener, which is what made Ctrl-C in a terminal kill the stack without draining.
  let signals = 0;
  let stopRequested = false;
  let resolveStop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopSignal = new Promise<NodeJS.Signals>((r) => (resolveStop = r));
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals === 1) return resolveStop(signal);
    // A second Ctrl-C forces: nothing is lost, unfinished messages stay in the queue journals.
    process.stdout.write(`\n${signal} again: stopping now; unfinished work resumes on the next start.\n`);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let stopping: Promise<number> | undefined;
  const watchers: DropFolderWatcher[] = [];
  /** How long the last shutdown's phases took, for the closing line (the documented bound is their sum). */
  const stopTimes = { batchesMs: 0, closingMs: 0 };
  const shutdown = (code: number) =>
    (stopping ??= (async () => {
      for (const w of watchers) w.close();
      let begun = performance.now();
      // The runner first (close() would do the same), timed apart: the grace is most of the bound.
      await stack.runner.stop(10_000);
      stopTimes.batchesMs = performance.now() - begun;
      begun = performance.now();
      await stack.close(10_000);
      stopTimes.closingMs = performance.now() - begun;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      return code;
    })());

  try {
    printBanner(log, stack, {
      engine: engineSetup.description,
      languages,
      dropFolder,
      dataDir,
      startupMs: Date.now() - started,
      once: options.once ? { exportFolder: options.export ? resolve(options.export) : undefined } : undefined,
    });
    const repository = releaseRepository(stack.emulators.dynamoClientConfig(), stack.emulators.tableName);
    const deadLetters: DeadLetter[] = [];
    stack.runner.on('dead-letter', (letter: DeadLetter) => {
      deadLetters.push(letter);
      log(`✖ ${letter.queue}: message ${letter.messageId} moved to the dead-letter list after ${letter.receiveCount} receives — ${letter.lastError} (see: polywire dlq)`);
    });
    // Source keys the ingest stage has seen in this wave, from the S3 notifications it was given.
    const waveKeys = new Set<string>();
    // Rejected uploads already reported (one readable line each, whatever the display mode); an upload ingested again may be reported again.
    const reportedRejections = new Set<string>();
    stack.runner.on('invoke', (event: InvocationEvent) => {
      if (event.queue !== QUEUE_NAMES.ingest) return;
      for (const record of event.records) {
        try {
          for (const r of (JSON.parse(record.body) as S3Event).Records ?? []) {
            const key = decodeS3Key(r.s3.object.key);
            waveKeys.add(key);
            reportedRejections.delete(key);
          }
        } catch {
          // Not an S3 notification: the ingest handler reports it.
        }
      }
    });

    // A dropped file is uploaded once, then moved to uploaded/: a restart never sends it again.
    const upload = async (file: string) => {
      const { outcome } = await uploadDroppedFile(stack.s3, stack.emulators.buckets.uploads, file);
      const key = `${INCOMING_PREFIX}${basename(file)}`;
      if (outcome === 'uploaded') waveKeys.add(key);
      return { key, outcome };
    };

    // Seeds are uploaded once per data folder (again only when a seed file itself changes), so a
    // correction made in the bucket since is never reverted; then files waiting in the drop folder.
    const seedKeys: string[] = [];
    if (options.seeds !== false) {
      const outcomes = await uploadSeeds(stack.s3, stack.emulators.buckets.uploads, releaseFilesIn(SEEDS_DIR), seedRecordFile(dataDir));
      const count = (o: string) => [...outcomes.values()].filter((x) => x === o).length;
      for (const [file, outcome] of outcomes) {
        seedKeys.push(`${INCOMING_PREFIX}${basename(file)}`);
        if (outcome === 'uploaded') waveKeys.add(`${INCOMING_PREFIX}${basename(file)}`);
      }
      log(`Seeds: ${count('uploaded')} uploaded, ${count('unchanged') + count('in-bucket')} already uploaded before (${SEEDS_DIR})`);
    }
    const dropped = releaseFilesIn(dropFolder);
    if (dropped.length > 0) {
      let uploaded = 0;
      for (const file of dropped) {
        const { key, outcome } = await upload(file);
        seedKeys.push(key);
        if (outcome === 'uploaded') uploaded += 1;
      }
      log(`Drop folder: ${uploaded} uploaded, ${dropped.length - uploaded} same as in the bucket; moved to ${join(dropFolder, UPLOADED_SUBFOLDER)}`);
    }

    const publishedLanguages = new Set<string>();
    // A wave shows the uploads it saw and the releases updated since it began (AWS CLI uploads included).
    const runWave = async (keys: () => Iterable<string>, sinceMs: number) => {
      const since = new Date(sinceMs).toISOString();
      const snapshot = await watchWave(stack, repository, { keys, since, tty, log, reportedRejections, stopped: () => stopRequested, stop: stopSignal });
      log(renderSummary(snapshot, { color: tty && !process.env.NO_COLOR, width: tty ? process.stdout.columns || 80 : 120 }));
      reportRejections(snapshot, reportedRejections, log);
      // After --once the servers are gone: links to them would be dead.
      if (options.once) return snapshot;
      const fresh = languages.filter((l) => !publishedLanguages.has(l) && snapshot.releases.some((r) => r.languages.some((x) => x.language === l && x.status === 'published')));
      if (fresh.length > 0) {
        log('Published languages:');
        for (const language of fresh) {
          publishedLanguages.add(language);
          const name = wireLanguage(language)?.name ?? language;
          log(`  ${language.padEnd(8)} ${name.padEnd(20)} ${urlFor(stack, paths.languageIndex(language))}   feed ${urlFor(stack, paths.rss(language))}`);
        }
      }
      return snapshot;
    };

    if (options.once) {
      const interrupted = await Promise.race([stack.whenIdle().then(() => undefined), stopSignal]);
      if (interrupted) {
        stopRequested = true;
        log(`\n${interrupted}: stopping… letting batches in flight finish (Ctrl-C again to force)`);
        await shutdown(130);
        log('Stopped. Unfinished work is kept in the data folder and resumes on the next start.');
        return 130;
      }
      const snapshot = await runWave(() => new Set([...seedKeys, ...waveKeys]), started);
      if (options.export) {
        const result = await exportBucket(stack.s3, stack.emulators.buckets.distribution, options.export);
        log(`Exported ${result.files} files (${(result.bytes / 1024).toFixed(0)} KiB) to ${resolve(options.export)}`);
      }
      const failedLanguages = snapshot.releases.reduce((n, r) => n + r.languages.filter((l) => l.status === 'failed').length, 0);
      const stuck = !isSettled(snapshot);
      if (stuck) log('Some releases did not reach a final state in every language (see the table above and polywire dlq).');
      log(
        `Done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${snapshot.releases.length} releases, ${snapshot.rejected.length} rejected uploads, ${failedLanguages} failed languages, ${deadLetters.length} dead letters.`,
      );
      return await shutdown(deadLetters.length > 0 || failedLanguages > 0 || stuck ? 1 : 0);
    }

    watchers.push(
      watchDropFolder(
        dropFolder,
        async (file) => {
          const { key, outcome } = await upload(file);
          log(
            outcome === 'uploaded'
              ? `↑ ${basename(file)} → s3://${stack.emulators.buckets.uploads}/${key} (moved to ${UPLOADED_SUBFOLDER}/)`
              : `= ${basename(file)}: the bucket holds these bytes already, not uploaded again (moved to ${UPLOADED_SUBFOLDER}/)`,
          );
        },
        { onError: (file, error) => log(`✖ could not upload ${file}: ${String(error)}`) },
      ),
    );

    // Waves: whenever the pipeline has work, show it live until it is idle again, then summarize.
    let wave: Promise<unknown> | undefined;
    let first = true;
    const startWave = () => {
      if (wave || stopping || stopRequested) return;
      const waveStarted = first ? started : Date.now() - 1000;
      first = false;
      wave = (async () => {
        await new Promise((r) => setTimeout(r, 100));
        // Keys are read on every tick: an upload ingested while the wave runs belongs to it.
        const snapshot = await runWave(() => [...waveKeys], waveStarted);
        const waiting = new Set(snapshot.waiting);
        for (const key of [...waveKeys]) if (!waiting.has(key)) waveKeys.delete(key);
      })()
        .catch((error: unknown) => log(`✖ progress display failed: ${String(error)}`))
        .finally(() => {
          wave = undefined;
          if (!stack.runner.isIdle()) startWave();
        });
    };
    stack.runner.on('invoke', startWave);
    if (!stack.runner.isIdle() || seedKeys.length > 0) startWave();

    const signal = await stopSignal;
    stopRequested = true;
    // The live display ends first, so the lines below are not drawn over.
    await wave;
    log(`\n${signal}: stopping… letting batches in flight finish (Ctrl-C again to force)`);
    const code = await shutdown(0);
    log(`Stopped. Queued and unfinished messages are kept in the data folder and resume on the next start (batches in flight: ${seconds(stopTimes.batchesMs)}, closing: ${seconds(stopTimes.closingMs)}).`);
    return code;
  } catch (error) {
    await shutdown(1);
    throw error;
  }
}

/** Shows one wave of work until the pipeline is idle; returns the final state. */
async function watchWave(
  stack: LocalStack,
  repository: ReturnType<typeof releaseRepository>,
  options: { keys: () => Iterable<string>; since: string; tty: boolean; log: (line: string) => void; reportedRejections: Set<string>; stopped: () => boolean; stop: Promise<unknown> },
): Promise<PipelineSnapshot> {
  const read = () => snapshotPipeline(repository, { sourceKeys: [...options.keys()], since: options.since });
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waitIdle = async (onTick: (snapshot: PipelineSnapshot) => void) => {
    let last: PipelineSnapshot | undefined;
    for (;;) {
      // Once stopping, the display ends with what it last showed: a read queries DynamoDB, which
      // shares the stack's thread with every batch in flight (2.9 s in a measured stop under
      // load), and shutdown waited for it before its own grace began. A read left behind ends
      // (or fails, once the emulator closes) on its own.
      if (last && options.stopped()) return last;
      const reading = read();
      reading.catch(() => undefined);
      const snapshot = await Promise.race([reading, options.stop.then(() => last ?? reading)]);
      last = snapshot;
      onTick(snapshot);
      // Ctrl-C: the display ends here; the stack drains without it.
      if (options.stopped()) return snapshot;
      // Idle twice in a row: a handler's follow-up message has had time to land.
      if (stack.runner.isIdle()) {
        await sleep(150);
        if (stack.runner.isIdle()) return read();
      }
      await Promise.race([stack.whenIdle(), sleep(400), options.stop]);
    }
  };

  if (options.tty) {
    let final: PipelineSnapshot | undefined;
    await new Listr(
      [
        {
          title: 'Processing releases',
          rendererOptions: { outputBar: Infinity, persistentOutput: true },
          task: async (_ctx, task) => {
            final = await waitIdle((snapshot) => {
              // Room left by listr2's indentation and title, so a frame never wraps or scrolls.
              task.output = renderGrid(snapshot, (process.stdout.columns || 80) - 6, (process.stdout.rows || 24) - 4) || 'waiting for the ingest stage…';
              const done = snapshot.releases.filter((r) => r.languages.every((l) => l.status === 'published')).length;
              task.title = `Processing releases: ${done}/${snapshot.releases.length} fully published`;
            });
            task.title = `Processed ${final.releases.length} releases`;
          },
        },
      ],
      { registerSignalListeners: false, exitOnError: false, rendererOptions: { collapseSubtasks: false } },
    ).run();
    return final!;
  }

  // Plain log lines (CI, pipes, tests): one line whenever a release's counts change.
  const seen = new Map<string, string>();
  return waitIdle((snapshot) => {
    for (const release of snapshot.releases) {
      const published = release.languages.filter((l) => l.status === 'published').length;
      const failed = release.languages.filter((l) => l.status === 'failed').map((l) => l.language);
      const held = release.languages.filter((l) => l.status === 'held').map((l) => l.language);
      const line = `${release.releaseId} (v${release.version}): ${published}/${release.languages.length} languages published${failed.length ? `, failed: ${failed.join(', ')}` : ''}${held.length ? `, held for QA review: ${held.join(', ')} (polywire review ${release.releaseId})` : ''}`;
      if (seen.get(release.releaseId) === line) continue;
      seen.set(release.releaseId, line);
      options.log(line);
    }
    reportRejections(snapshot, options.reportedRejections, options.log);
  });
}

/** One readable line per rejected upload not reported yet (the handler's own log is a JSON warning). */
function reportRejections(snapshot: PipelineSnapshot, reported: Set<string>, log: (line: string) => void): void {
  for (const row of snapshot.rejected) {
    if (reported.has(row.sourceKey)) continue;
    reported.add(row.sourceKey);
    log(`${row.sourceKey}: rejected — ${row.message}`);
  }
}

function printBanner(log: (line: string) => void, stack: LocalStack, details: { engine: string; languages: string[]; dropFolder: string; dataDir: string; startupMs: number; once?: { exportFolder?: string } }): void {
  const s3 = stack.emulators.s3Endpoint;
  const languages = `${details.languages.length === WIRE_LANGUAGES.length ? `all ${details.languages.length}` : details.languages.length}: ${details.languages.join(', ')}`;
  if (details.once) {
    // The servers stop when the run ends: their URLs and an upload command would be dead links.
    log(
      [
        `polywire local stack, one run (--once; started in ${(details.startupMs / 1000).toFixed(1)} s)`,
        '',
        `  Engine        ${details.engine}`,
        `  Languages     ${languages}`,
        `  Drop folder   ${details.dropFolder}`,
        `  Data folder   ${details.dataDir}`,
        ...(details.once.exportFolder ? [`  Export to     ${details.once.exportFolder}`] : []),
        '',
      ].join('\n'),
    );
    return;
  }
  log(
    [
      `polywire local stack is running (started in ${(details.startupMs / 1000).toFixed(1)} s)`,
      '',
      `  Site          ${stack.siteUrl}${stack.baseUrl !== stack.siteUrl.replace(/\/$/, '') ? `   (links use ${stack.baseUrl})` : ''}`,
      `  Engine        ${details.engine}`,
      `  Languages     ${languages}`,
      `  Drop folder   ${details.dropFolder}   (files dropped here are uploaded to incoming/)`,
      `  Data folder   ${details.dataDir}`,
      `  Endpoints     S3 ${s3}  DynamoDB ${stack.emulators.dynamoEndpoint}  SQS ${stack.sqs.endpoint}`,
      '',
      '  Upload a release with the AWS CLI:',
      `    AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 aws --endpoint-url ${s3} s3 cp release.md s3://${stack.emulators.buckets.uploads}/incoming/`,
      '  Follow it:      npx polywire status        Dead letters:  npx polywire dlq',
      '',
    ].join('\n'),
  );
}

function urlFor(stack: LocalStack, key: string): string {
  return `${stack.siteUrl}${key.replace(/index\.html$/, '')}`;
}

function languagesFrom(flag: string | undefined, env: string | undefined): string[] {
  if (flag === undefined) return parseTargetLanguages(env);
  try {
    return parseTargetLanguages(flag);
  } catch (error) {
    throw new ConfigError((error as Error).message.replace('environment variable TARGET_LANGUAGES', '--languages'));
  }
}

function parseEngine(value: string): EngineName {
  if (!isEngineName(value)) throw new ConfigError(`--engine ${JSON.stringify(value)} is not an engine: choose one of ${ENGINE_NAMES.join(', ')}`);
  return value;
}

function parsePort(value: string | undefined, flag: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError(`${flag} must be a port number from 0 to 65535 (0 = any free port), got ${JSON.stringify(value)}`);
  return port;
}

function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) if (env[name]) picked[name] = env[name]!;
  return picked;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
