/**
 * Records the AWS SDK commands each stage sends during the integration runs (the middleware of
 * functions/shared/sdk-commands.ts on the harness's clients), as evidence for the IAM test:
 * every entry of test/integration/sdk-commands.json must be granted to that stage's function in
 * the synthesized CDK app (test/unit/infra/iam-evidence.test.ts), and every command a run records
 * must be in that file (checked after each integration test file by test/setup/sdk-commands.ts).
 *
 * An entry reads `<service>:<operation> <resource>`, e.g. `s3:PutObject uploads` or
 * `dynamodb:Query table/index/gsi1`; resources are the logical names of `resourceNames`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync } from 'node:fs';
import { type MiddlewareClient, type SentCommand, observeCommands } from '../../functions/shared/sdk-commands';

const EVIDENCE_FILE = new URL('../integration/sdk-commands.json', import.meta.url);

/** Stage name → entries, sorted. */
export type CommandEvidence = Record<string, string[]>;

const currentStage = new AsyncLocalStorage<string>();
const recorded = new Map<string, Set<string>>();

/**
 * Observes `clients`; commands sent inside `asStage` count for that stage, others (the test's own
 * uploads and reads) are ignored. `resourceNames` maps bucket and table names to logical names.
 */
export function recordStageCommands(resourceNames: Readonly<Record<string, string>>, ...clients: MiddlewareClient[]): void {
  for (const client of clients) {
    observeCommands(client, (sent) => {
      const stage = currentStage.getStore();
      if (stage === undefined) return;
      const entries = recorded.get(stage) ?? new Set<string>();
      for (const entry of evidenceEntries(sent, resourceNames)) entries.add(entry);
      recorded.set(stage, entries);
    });
  }
}

/** Runs one invocation of `stage`: the commands it sends, however concurrent, are attributed to it. */
export function asStage<T>(stage: string, run: () => T): T {
  return currentStage.run(stage, run);
}

/** Logical names of the emulators' buckets and table, as the evidence file spells them. */
export function emulatorResourceNames(emulators: { buckets: { uploads: string; distribution: string }; tableName: string }): Record<string, string> {
  return { [emulators.buckets.uploads]: 'uploads', [emulators.buckets.distribution]: 'distribution', [emulators.tableName]: 'table' };
}

/** The evidence entries of one sent command (one per resource it names). */
export function evidenceEntries(sent: SentCommand, resourceNames: Readonly<Record<string, string>>): string[] {
  const operation = `${sent.service}:${sent.command.replace(/Command$/, '')}`;
  const logical = (name: unknown) => resourceNames[String(name)] ?? String(name);
  const input = sent.input;
  let resources: string[];
  if (sent.service === 's3') {
    resources = [logical(input.Bucket)];
  } else if (sent.service === 'dynamodb') {
    const tables = typeof input.TableName === 'string' ? [input.TableName] : Object.keys((input.RequestItems as object | undefined) ?? {});
    resources = tables.map((table) => logical(table) + (typeof input.IndexName === 'string' ? `/index/${input.IndexName}` : ''));
  } else if (sent.service === 'sqs' && typeof input.QueueUrl === 'string') {
    resources = [logical(input.QueueUrl.split('/').pop())];
  } else {
    resources = ['*'];
  }
  return resources.map((resource) => `${operation} ${resource}`);
}

/** What this test file's runs recorded so far. */
export function recordedEvidence(): CommandEvidence {
  return Object.fromEntries([...recorded].map(([stage, entries]) => [stage, [...entries].sort()]));
}

export function readEvidence(): CommandEvidence {
  return JSON.parse(readFileSync(EVIDENCE_FILE, 'utf8')) as CommandEvidence;
}

/** Recorded entries missing from `evidence`, as `stage: entry`. */
export function unlistedEntries(recordedNow: CommandEvidence, evidence: CommandEvidence): string[] {
  return Object.entries(recordedNow).flatMap(([stage, entries]) => entries.filter((entry) => !(evidence[stage] ?? []).includes(entry)).map((entry) => `${stage}: ${entry}`));
}
